/// A printing problem: a kind for code, a sentence for logs that names the problem and, where there is
/// one, the fix. (The citizen never sees it; the ticket screen has its own words.)
public struct PrintError: Error, CustomStringConvertible, Hashable, Sendable {
    /// What went wrong, coarsely.
    public enum Kind: String, Hashable, Sendable {
        /// Fonts, layout or rendering.
        case layout
        /// Encoding the raster into a document format.
        case encoding
        /// The destination setting is malformed.
        case configuration
        /// The printer or cupsd did not answer.
        case unreachable
        /// The destination refused the job (not accepting, stopped, unsupported format, …).
        case rejected
        /// The job was accepted but did not complete.
        case jobFailed
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
