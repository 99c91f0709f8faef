import HallAPI

extension Reducer {
    /// The printer finished with the ticket on screen. When no paper came out, the screen stays
    /// longer (time to photograph the QR code) and says so.
    func printFinished(_ state: inout KioskState, ticketId: String, outcome: PrintOutcome) -> [KioskEffect] {
        guard case .ticket(var screen) = state.screen, screen.ticket.id == ticketId else { return [] }
        switch outcome {
        case .printed: screen.printStatus = .printed
        case .failed(let reason): screen.printStatus = .failed(reason: reason)
        case .notConfigured: screen.printStatus = .notConfigured
        }
        if screen.printStatus.leavesNoPaper {
            let longer = screen.shownAt + context.ticketScreenSecondsWithoutPaper
            if longer > screen.returnAt { screen.returnAt = longer }
        }
        state.screen = .ticket(screen)
        return screen.printStatus.leavesNoPaper ? [.sound(.error)] : []
    }

    /// The ticket screen returns home by itself at its deadline.
    func checkTicketDeadline(_ state: inout KioskState) {
        guard case .ticket(let screen) = state.screen, state.uptime >= screen.returnAt else { return }
        resetForNextCitizen(&state)
    }
}
