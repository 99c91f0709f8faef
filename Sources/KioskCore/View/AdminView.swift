import Foundation
import HallAPI

extension Canvas {
    /// The admin PIN entry: dots for the digits typed, a message, the digit pad, 确定 and 退出.
    mutating func drawAdminPin(_ state: KioskState, pin: AdminPinScreen, words: Wording) {
        let content = header(state, words)
        let canType: Bool
        switch pin.phase {
        case .editing, .wrong: canType = true
        case .locked(let until): canType = state.uptime >= until
        case .checking, .notConfigured: canType = false
        }
        let area = bottomButtons([
            (.backHome, words(.adminExit), .secondary),
            (.keypad(.submit), words(.adminPinSubmit), .primary),
        ], in: content)
        if !canType || pin.entry.count < 4 { disableRegion(.keypad(.submit)) }
        let message: String
        switch pin.phase {
        case .editing: message = words(.adminPinPrompt)
        case .checking: message = words(.adminPinChecking)
        case .wrong(let remaining): message = words(.adminPinWrong, ["count": String(remaining)])
        case .locked(let until):
            message = words(.adminPinLocked, ["time": Wording.clock(state.wallTime(at: until), in: Wording.timeZone(of: state.hall))])
        case .notConfigured: message = words(.adminPinNotConfigured)
        }
        let infoHeight = (metrics.line(metrics.font(48)) * 2 + metrics.line(metrics.font(36)) * 2 + metrics.gap * 2).rounded()
        let (info, pad) = area.slicedFromTop(infoHeight, gap: metrics.gap)
        column([
            Line(text: words(.adminPinTitle), size: metrics.font(48), bold: true, color: theme.text),
            Line(text: pin.entry.isEmpty ? " " : String(repeating: "●", count: pin.entry.count), size: metrics.font(48),
                 bold: true, color: theme.accentText),
            Line(text: message, size: metrics.font(36), color: theme.text, maxLines: 2),
        ], in: info)
        let width = min(pad.width, 640 * metrics.unit)
        drawKeypad(letters: [], in: Rect(x: (pad.midX - width / 2).rounded(), y: pad.y, width: width, height: pad.height),
                   enabled: canType, words: words)
    }

    /// The admin screen: device facts, then the maintenance buttons.
    mutating func drawAdmin(_ state: KioskState, admin: AdminScreen, role: DeviceRole, words: Wording) {
        let content = header(state, words)
        var commands: [(KioskAction, String, ButtonStyle)] = []
        if role == .ticketKiosk {
            commands.append((.admin(.testPrint), words(.adminTestPrint), .secondary))
            commands.append((.toggleIssuingPaused, words(state.issuingPaused ? .adminResumeIssuing : .adminPauseIssuing),
                             state.issuingPaused ? .selected : .secondary))
        }
        commands += [
            (.admin(.resendOutbox), words(.adminResendOutbox), .secondary),
            (.admin(.reloadConfig), words(.adminReloadConfig), .secondary),
            (.admin(.restart), words(.adminRestart), .secondary),
            (.backHome, words(.adminExit), .primary),
        ]
        let columns = metrics.size.isLandscape ? 3 : 2
        let rows = (commands.count + columns - 1) / columns
        let buttonHeight = max(metrics.touch, (metrics.line(metrics.font(34)) * 2 + metrics.padding).rounded())
        let gridHeight = buttonHeight * Double(rows) + metrics.gap * Double(rows - 1)
        let (grid, top) = content.slicedFromBottom(gridHeight, gap: metrics.gap)
        for (index, (action, label, style)) in commands.enumerated() {
            let row = grid.rows(rows, gap: metrics.gap)[index / columns]
            button(action, row.columns(columns, gap: metrics.gap)[index % columns], label: label, style: style,
                   size: metrics.font(34))
        }
        var lines = [Line(text: words(.adminTitle), size: metrics.font(48), bold: true, color: theme.text)]
        if let message = admin.message {
            lines.append(Line(text: message, size: metrics.font(32), bold: true, color: theme.accentText, maxLines: 2))
        }
        if state.issuingPaused {
            lines.append(Line(text: words(.adminIssuingPaused), size: metrics.font(32), bold: true, color: theme.warningText))
        }
        guard let info = admin.info else {
            lines.append(Line(text: words(.adminLoading), size: metrics.font(32), color: theme.mutedText))
            column(lines, in: top, alignment: .leading)
            return
        }
        let uptime = words.duration(minutes: max(1, info.uptimeSeconds / 60))
        lines.append(Line(text: words(.adminDevice, ["id": info.deviceId, "version": info.version, "uptime": uptime]),
                          size: metrics.font(30), color: theme.text, maxLines: 2))
        lines.append(Line(text: words(.adminAddresses, ["addresses": info.addresses.isEmpty ? "—" : info.addresses.joined(separator: ", ")]),
                          size: metrics.font(30), color: theme.text, maxLines: 2))
        let server = info.serverLatencyMilliseconds.map {
            words(info.serverDegraded ? .adminServerDegraded : .adminServerOk, ["url": info.serverURL, "ms": String($0)])
        } ?? words(.adminServerDown, ["url": info.serverURL])
        let serverTrouble = info.serverLatencyMilliseconds == nil || info.serverDegraded
        lines.append(Line(text: server, size: metrics.font(30), bold: serverTrouble,
                          color: serverTrouble ? theme.warningText : theme.text, maxLines: 2))
        if role == .ticketKiosk {
            let printer = state.printer ?? PrinterHealth(condition: .unknown)
            var described = words(Self.printerKey(printer.condition))
            if !printer.reasons.isEmpty { described += " (" + printer.reasons.joined(separator: ", ") + ")" }
            if let message = printer.message, !message.isEmpty { described += " — " + message }
            let bad = ![PrinterCondition.ok, .notConfigured].contains(printer.condition)
            lines.append(Line(text: words(.adminPrinter, ["state": described]), size: metrics.font(30), bold: bad,
                              color: bad ? theme.warningText : theme.text, maxLines: 2))
        }
        lines.append(Line(text: words(.adminOutbox, ["pending": String(info.outboxPending), "held": String(info.outboxHeld)]),
                          size: metrics.font(30), bold: info.outboxHeld > 0,
                          color: info.outboxHeld > 0 ? theme.warningText : theme.text))
        lines.append(Line(text: info.recentErrors.isEmpty ? words(.adminNoErrors)
                            : words(.adminErrors, ["errors": info.recentErrors.prefix(3).joined(separator: "; ")]),
                          size: metrics.font(28), color: theme.mutedText, maxLines: 4))
        column(lines, in: top, alignment: .leading)
    }

    static func printerKey(_ condition: PrinterCondition) -> StringKey {
        switch condition {
        case .ok: .printerOk
        case .paperLow: .printerPaperLow
        case .paperOut: .printerPaperOut
        case .coverOpen: .printerCoverOpen
        case .offline: .printerOffline
        case .stopped: .printerStopped
        case .notConfigured: .printerNotConfigured
        case .unknown: .printerUnknown
        }
    }
}
