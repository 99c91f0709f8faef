import Foundation
import HallAPI

extension Reducer {
    /// The square in the configured corner whose long press opens the admin PIN entry (one touch target).
    func adminCornerFrame() -> Rect {
        let size = context.display.size
        let side = Metrics(size: size, largeText: false).touch
        switch context.adminCorner {
        case .topLeft: return Rect(x: 0, y: 0, width: side, height: side)
        case .topRight: return Rect(x: size.width - side, y: 0, width: side, height: side)
        case .bottomLeft: return Rect(x: 0, y: size.height - side, width: side, height: side)
        case .bottomRight: return Rect(x: size.width - side, y: size.height - side, width: side, height: side)
        }
    }

    /// Screens from which the long press works: the resting screens, never in the middle of a citizen's task.
    func adminReachable(from screen: KioskScreen) -> Bool {
        switch screen {
        case .home, .ratingIdle, .closed, .offline: true
        default: false
        }
    }

    /// A finger went down: remember it when it is in the admin corner of a resting screen.
    func noteAdminCorner(_ state: inout KioskState, at point: Point) {
        state.adminCornerDownAt = adminReachable(from: state.screen) && adminCornerFrame().contains(point) ? state.uptime : nil
    }

    /// The finger stayed in the corner long enough: open the PIN entry (it says so when no PIN is configured).
    func checkAdminLongPress(_ state: inout KioskState) -> [KioskEffect] {
        guard let since = state.adminCornerDownAt, state.uptime - since >= context.adminLongPressSeconds,
              adminReachable(from: state.screen) else { return [] }
        state.adminCornerDownAt = nil
        state.pressed = nil
        let phase: AdminPinPhase
        if !context.adminPinConfigured {
            phase = .notConfigured
        } else if let until = state.adminLockedUntil, state.uptime < until {
            phase = .locked(until: until)
        } else {
            phase = .editing
        }
        state.screen = .adminPin(AdminPinScreen(phase: phase))
        noteActivity(&state)
        return []
    }

    /// Digits, backspace, clear and 确定 on the PIN keypad.
    func adminKeypad(_ state: inout KioskState, _ key: KeypadKey) -> [KioskEffect] {
        guard case .adminPin(var pin) = state.screen else { return [] }
        switch pin.phase {
        case .checking, .notConfigured: return []
        case .locked(let until) where state.uptime < until: return []
        default: break
        }
        switch key {
        case .character(let c):
            guard c.isASCII, c.isNumber, pin.entry.count < 12 else { return [] }
            pin.entry.append(c)
            pin.phase = .editing
        case .backspace:
            if !pin.entry.isEmpty { pin.entry.removeLast() }
        case .clear:
            pin.entry = ""
        case .submit:
            guard pin.entry.count >= 4 else { return [] }
            let typed = pin.entry
            pin.entry = ""
            pin.phase = .checking
            state.screen = .adminPin(pin)
            return [.admin(.checkPin(typed))]
        }
        state.screen = .adminPin(pin)
        return []
    }

    /// The PIN was checked: open the admin screen, or count the failure (and lock after too many).
    func adminPinChecked(_ state: inout KioskState, accepted: Bool) -> [KioskEffect] {
        guard case .adminPin(var pin) = state.screen, pin.phase == .checking else { return [] }
        if accepted {
            state.adminFailures = 0
            state.adminLockedUntil = nil
            state.screen = .admin(AdminScreen())
            state.lastAdminInfoRequestAt = state.uptime
            return [.admin(.fetchInfo)]
        }
        state.adminFailures += 1
        if state.adminFailures >= context.adminMaxFailures {
            let until = state.uptime + context.adminLockoutSeconds
            state.adminLockedUntil = until
            state.adminFailures = 0
            pin.phase = .locked(until: until)
        } else {
            pin.phase = .wrong(remaining: context.adminMaxFailures - state.adminFailures)
        }
        state.screen = .adminPin(pin)
        return []
    }

    func adminInfoArrived(_ state: inout KioskState, _ info: AdminInfo) -> [KioskEffect] {
        guard case .admin(var admin) = state.screen else { return [] }
        admin.info = info
        state.screen = .admin(admin)
        return []
    }

    func adminCommandFinished(_ state: inout KioskState, message: String) -> [KioskEffect] {
        guard case .admin(var admin) = state.screen else { return [] }
        admin.message = message
        state.screen = .admin(admin)
        state.lastAdminInfoRequestAt = state.uptime
        return [.admin(.fetchInfo)]
    }

    /// A button of the admin screen.
    func adminCommand(_ state: inout KioskState, _ command: AdminCommand) -> [KioskEffect] {
        guard case .admin(var admin) = state.screen else { return [] }
        admin.message = nil
        state.screen = .admin(admin)
        return [.admin(.command(command))]
    }

    func toggleIssuingPaused(_ state: inout KioskState) -> [KioskEffect] {
        guard case .admin = state.screen, context.role == .ticketKiosk else { return [] }
        state.issuingPaused.toggle()
        return [.admin(.rememberIssuingPaused(state.issuingPaused))]
    }

    /// Fresh device facts every few seconds while the admin screen is open.
    func adminInfoDue(_ state: inout KioskState) -> [KioskEffect] {
        guard case .admin = state.screen else { return [] }
        if let last = state.lastAdminInfoRequestAt, state.uptime - last < 5 { return [] }
        state.lastAdminInfoRequestAt = state.uptime
        return [.admin(.fetchInfo)]
    }
}
