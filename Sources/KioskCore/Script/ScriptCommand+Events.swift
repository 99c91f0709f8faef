extension ScriptCommand {
    /// The input events this command sends through the kiosk's normal input path, found on the
    /// frame now shown; `[]` for commands that only wait, check or save.
    /// Throws when `tap-text` finds no button with that label.
    public func events(on display: DisplayList, line: Int) throws(ScriptError) -> [KioskEvent] {
        switch self {
        case .tap(let x, let y):
            return [.touchDown(x: x, y: y), .touchUp(x: x, y: y)]
        case .tapText(let text):
            guard let point = display.tapPoint(forLabelContaining: text) else {
                let labels = display.hitRegions.map(\.label).filter { !$0.isEmpty }.prefix(12).joined(separator: " | ")
                throw ScriptError(line: line, message: "no button whose label contains '\(text)'; buttons now: \(labels)")
            }
            return [.touchDown(x: point.x, y: point.y), .touchUp(x: point.x, y: point.y)]
        case .type(let text):
            return [.text(text)]
        case .key(let name):
            return [.key(name)]
        case .press, .wait, .waitText, .waitEvent, .waitStdin, .expectText, .expectNoText, .screenshot, .quit, .freeze:
            // `press` sends its touch down and up apart in time (the scripted session does that).
            return []
        }
    }

    /// For `expect-text` / `expect-no-text`: whether the frame meets the expectation
    /// (`nil` for other commands). For `wait-text`: whether the wait is over.
    public func isSatisfied(by display: DisplayList) -> Bool? {
        switch self {
        case .expectText(let text), .waitText(let text, _): display.containsText(text)
        case .expectNoText(let text): !display.containsText(text)
        default: nil
        }
    }
}
