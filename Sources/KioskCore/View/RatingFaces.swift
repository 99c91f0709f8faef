import HallAPI

extension Canvas {
    /// The colour of a level's face: green (非常满意) through amber to red (非常不满意).
    static func faceColor(_ level: RatingLevel) -> Color {
        switch level {
        case .verySatisfied: Color(hex: 0x1B7A34)
        case .satisfied: Color(hex: 0x4D8A1F)
        case .basicallySatisfied: Color(hex: 0x9A6A00)
        case .dissatisfied: Color(hex: 0xC24E00)
        case .veryDissatisfied: Color(hex: 0xB3261E)
        }
    }

    /// A round face in `box` (a square) whose mouth curves up for good levels and down for bad ones, made of
    /// plain rectangles so every renderer draws it the same way.
    mutating func face(_ level: RatingLevel, in box: Rect) {
        let side = min(box.width, box.height).rounded()
        let square = box.centered(Size(width: side, height: side))
        let color = Self.faceColor(level)
        fill(square, color, radius: side / 2)
        let white = Color(hex: 0xFFFFFF)
        let eye = (side * 0.12).rounded()
        for dx in [-0.18, 0.18] {
            let centre = Point(x: square.midX + dx * side, y: square.minY + side * 0.38)
            fill(Rect(x: centre.x - eye / 2, y: centre.y - eye / 2, width: eye, height: eye), white, radius: eye / 2)
        }
        // The mouth: five short bars along a curve; `bend` > 0 smiles, < 0 frowns, 0 is straight.
        let bend: Double
        switch level {
        case .verySatisfied: bend = 0.11
        case .satisfied: bend = 0.06
        case .basicallySatisfied: bend = 0
        case .dissatisfied: bend = -0.06
        case .veryDissatisfied: bend = -0.11
        }
        // Small overlapping discs along a parabola draw a smooth line without curve primitives.
        let thickness = max(3, (side * 0.07).rounded())
        let mouthWidth = side * 0.46
        let baseY = square.minY + side * (bend >= 0 ? 0.62 : 0.72)
        let dots = max(5, Int(mouthWidth / (thickness * 0.35)))
        for i in 0...dots {
            let t = Double(i) / Double(dots) * 2 - 1  // -1 … 1 across the mouth
            let centre = Point(x: square.midX + t * mouthWidth / 2, y: baseY + side * bend * (1 - t * t))
            fill(Rect(x: (centre.x - thickness / 2).rounded(), y: (centre.y - thickness / 2).rounded(), width: thickness,
                      height: thickness), white, radius: thickness / 2)
        }
    }
}
