/// The font files a ticket is printed with (the kiosk's CJK font). `faceIndex` picks the face in a
/// `.ttc` collection (2 = Simplified Chinese in Noto Sans CJK).
public struct PrintFonts: Hashable, Sendable {
    public struct Face: Hashable, Sendable {
        public var path: String
        public var faceIndex: Int
        public init(path: String, faceIndex: Int = 0) {
            self.path = path
            self.faceIndex = faceIndex
        }
    }

    public var regular: Face
    public var bold: Face

    public init(regular: Face, bold: Face) {
        self.regular = regular
        self.bold = bold
    }
}
