import Foundation
import HallAPI

/// What happens to a calling display: the clocks move, the hall server speaks, the link breaks, the voice speaks.
public enum BoardEvent: Hashable, Sendable {
    /// The clocks, read now (wall clock for the clock on screen, monotonic for every timer).
    case tick(now: Date, uptime: Uptime)
    /// A snapshot (`GET /api/v1/hall/board`): at start and after every reconnect.
    case snapshot(HallBoard)
    /// One event of the hall stream.
    case hallEvent(HallEvent)
    /// Waiting counts changed by tickets issued.
    case queues(HallQueuesUpdate)
    /// The notice line changed.
    case notice(LocalizedText?)
    /// The stream broke (or the server cannot be reached); the adapter reconnects by itself.
    case linkLost(reason: String)
    /// The voice started saying the call of event `eventId` (`nil`: it fell silent).
    case speaking(eventId: Int64?)
    /// Whether a voice leads the featured area (configured, working and outside quiet hours).
    case voiceLeads(Bool)
    /// The staff photo at `path` is registered with the renderer (as `WindowPanel.photoImageName(path)`).
    case photoReady(path: String)
}

/// Work the calling display asks its adapters to do.
public enum BoardEffect: Hashable, Sendable {
    /// Say this live call (the announcer keeps call order, merges a recall of a call still waiting to be said).
    case announce(BoardCall)
    /// Fetch the staff photo at `path`, decode it off the frame loop and register it; answer with `photoReady`
    /// (nothing on failure, which is logged: the screen keeps its layout without a photo).
    case fetchPhoto(path: String)
}
