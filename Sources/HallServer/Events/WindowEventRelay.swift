import Foundation
import ServiceLifecycle

/// Brings window events committed by the other server instances of a shared store (`SharedHallStore`) to this
/// instance's `WindowEventHub`, until shutdown.
struct WindowEventRelay: Service {
    let store: any SharedHallStore
    let hub: WindowEventHub
    /// Every window of the hall now: what a reconnect catches up on while a hall-wide stream listens.
    let windowIds: @Sendable () -> [String]

    func run() async throws {
        let hub = self.hub
        let windowIds = self.windowIds
        try await cancelWhenGracefulShutdown {
            try await store.followWindowEvents(subscribedWindows: { hub.hasHallSubscribers ? windowIds() : hub.subscribedWindows },
                                               wake: { windowId, eventId in hub.wake(windowId: windowId, eventId: eventId) })
        }
    }
}
