extension CupsPrinter.FormatChoice {
    /// The format to send to a destination that offers `offered` (its `document-format-supported`), or the
    /// reason there is none. `destination` names it in the message. Pure: the CUPS adapter asks, this decides.
    public func resolve(offered: [String], destination: String) -> Result<DocumentFormat, PrintError> {
        let takes = Set(offered)
        let listed = Self.list(offered)
        switch self {
        case .auto:
            if takes.contains(DocumentFormat.pwg.mimeType) { return .success(.pwg) }
            if takes.contains(DocumentFormat.png.mimeType) { return .success(.png) }
            return .failure(PrintError(.rejected, "\(destination) takes neither image/pwg-raster nor image/png (it offers \(listed)); "
                + "an IPP Everywhere queue added while its printer was off lacks them: add it again with the printer on "
                + "(lpadmin -p NAME -E -v ipp://PRINTER/ipp/print -m everywhere); "
                + "for a receipt printer without a driver use a raw queue and printer.format = \"escpos\""))
        case .pwg, .png:
            let format: DocumentFormat = self == .pwg ? .pwg : .png
            if takes.contains(format.mimeType) { return .success(format) }
            return .failure(PrintError(.rejected, "\(destination) does not take \(format.mimeType) (it offers \(listed)); "
                + "set printer.format = \"auto\""))
        case .escpos:
            if takes.contains(DocumentFormat.escpos.mimeType) || takes.contains("application/octet-stream") { return .success(.escpos) }
            return .failure(PrintError(.rejected, "\(destination) does not take raw data (it offers \(listed)); ESC/POS needs a raw queue "
                + "(lpadmin -p NAME -E -v socket://PRINTER:9100 -m raw)"))
        }
    }

    /// "image/png, image/urf and 12 more", for messages.
    static func list(_ offered: [String]) -> String {
        guard !offered.isEmpty else { return "no formats" }
        let shown = offered.prefix(6).joined(separator: ", ")
        return offered.count > 6 ? "\(shown) and \(offered.count - 6) more" : shown
    }
}
