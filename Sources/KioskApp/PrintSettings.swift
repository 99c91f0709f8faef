import KioskPrint

/// The `[printer]` keys beyond destination, format and width, validated.
public struct PrintSettings: Sendable, Hashable {
    /// Lines above the hall name.
    public var header: [String] = []
    /// Lines at the bottom of the ticket.
    public var footer: [String] = []
    /// Notes under the QR code; `nil` = the default bilingual notes.
    public var notes: [String]?
    /// The kiosk's deadline for a job (then cancelled; `job-cancel-after` is this plus 10 s).
    public var jobTimeoutSeconds: Double = 20
    /// Seconds between printer state checks.
    public var pollSeconds: Double = 15
    /// ESC/POS feed lines and cut.
    public var feedLines: Int = 4
    public var cut: Bool = true

    public init() {}

    static func make(_ p: KioskConfig.Printer?, destination: String?, destinationKey: String,
                     fail: (String, String) -> KioskConfigError) throws(KioskConfigError) -> PrintSettings {
        if let destination {
            do { _ = try PrintDestination(parsing: destination) } catch { throw fail(destinationKey, error.description) }
        }
        var s = PrintSettings()
        s.header = p?.header ?? []
        s.footer = p?.footer ?? []
        s.notes = p?.notes
        let timeout = p?.jobTimeoutSeconds ?? 20
        guard (5...300).contains(timeout) else { throw fail("printer.jobTimeoutSeconds", "\(timeout) is outside 5…300 seconds") }
        s.jobTimeoutSeconds = Double(timeout)
        let poll = p?.pollSeconds ?? 15
        guard (2...600).contains(poll) else { throw fail("printer.pollSeconds", "\(poll) is outside 2…600 seconds") }
        s.pollSeconds = Double(poll)
        let feed = p?.feedLines ?? 4
        guard (0...20).contains(feed) else { throw fail("printer.feedLines", "\(feed) is outside 0…20 lines") }
        s.feedLines = feed
        s.cut = p?.cut ?? true
        for (key, lines) in [("printer.header", s.header), ("printer.footer", s.footer), ("printer.notes", s.notes ?? [])] {
            if let long = lines.first(where: { $0.count > 120 }) {
                throw fail(key, "'\(long.prefix(30))…' is longer than 120 characters; split it into several lines")
            }
        }
        return s
    }
}
