import Foundation

/// Where tickets are sent (`printer.destination`): a queue on a cupsd, or a printer's own IPP URI.
public enum PrintDestination: Hashable, Sendable, CustomStringConvertible {
    /// A queue on the cupsd named by `CUPS_SERVER` (or the system default), e.g. `hallkiosk-receipt`.
    case queue(String)
    /// An IPP Everywhere printer straight, e.g. `ipp://192.168.1.50/ipp/print` (also `ipps://`).
    case uri(String)

    /// Parses the config value; the error quotes it and shows both accepted shapes.
    public init(parsing text: String) throws(PrintError) {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.contains("://") {
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), ["ipp", "ipps"].contains(scheme),
                  let host = url.host, !host.isEmpty else {
                throw PrintError(.configuration, "printer.destination '\(text)' is not an ipp:// or ipps:// printer URI "
                    + "such as ipp://192.168.1.50/ipp/print (or give a CUPS queue name such as hallkiosk-receipt)")
            }
            self = .uri(value)
            return
        }
        // CUPS queue names: printable, no spaces, '/', '#', '\' or quotes; at most 127 bytes.
        let forbidden = CharacterSet(charactersIn: " /#\\\"'\t")
        guard !value.isEmpty, value.utf8.count <= 127, value.rangeOfCharacter(from: forbidden) == nil,
              value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw PrintError(.configuration, "printer.destination '\(text)' is not a CUPS queue name (letters, digits, '-', '_', "
                + "no spaces or '/'; list queues with `lpstat -p`) nor an ipp:// URI")
        }
        self = .queue(value)
    }

    public var description: String {
        switch self {
        case .queue(let name): "CUPS queue '\(name)'"
        case .uri(let uri): uri
        }
    }
}
