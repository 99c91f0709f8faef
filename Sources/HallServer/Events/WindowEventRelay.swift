import Foundation
import ServiceLifecycle

/// Brings window events committed by the other server instances of a shared store (`SharedHallStore`) to this
/// instance's `WindowEventHub`, until shutdown.
struct WindowEventRelay: Service {
    let store: any SharedHallStore
    let hub: WindowEventHub

    func run() async throws {
        let hub = self.hub
        try await cancelWhenGracefulShutdown {
            try await store.followWindowEvents(subscribedWindows: { hub.subscribedWindows },
                                               wake: { windowId, eventId in hub.wake(windowId: windowId, eventId: eventId) })
        }
    }
}
