import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import Logging

extension KioskRunner {
    /// Hands each effect to the port that performs it: one `switch` over the ports, one over each port's effects,
    /// all checked by the compiler. Answers come back through the inbox.
    func perform(_ effect: KioskEffect) {
        switch effect {
        case .hall(let request): perform(request)
        case .printer(let job): perform(job)
        case .ratings(let work): performRatings(work)
        case .admin(let work): perform(work)
        case .sound(let sound): play(sound)
        }
    }

    /// The hall server's client; logs what went wrong for hall IT.
    private func perform(_ request: HallEffect) {
        let client = kiosk.client, inbox = self.inbox, logger = self.logger, errors = self.recentErrors, activity = kiosk.activity
        Task.detached {
            let answer = await client.perform(request)
            switch answer {
            case .hallUnreachable(let error, _):
                logger.warning("hall server: \(error)")
                errors.add("hall server: \(error)")
            case .ticketFailed(_, let failure):
                logger.warning("ticket not issued: \(failure.kind.rawValue): \(failure.message)")
                errors.add("ticket not issued: \(failure.kind.rawValue)" + (failure.kind == .other ? " (\(failure.message.prefix(300)))" : ""))
                activity.record(.ticketFailed(kind: failure.kind.rawValue, message: failure.message))
            case .checkedIn(let result, _):
                logger.info("checked in", metadata: ["ticket.number": "\(result.ticket.number)", "service.id": "\(result.ticket.service.id)"])
                activity.record(.ticketIssued(number: result.ticket.number, serviceId: result.ticket.service.id))
            case .ticketIssued(_, let t), .cardTicketIssued(let t, _):
                logger.info("ticket shown", metadata: ["ticket.number": "\(t.number)", "service.id": "\(t.service.id)"])
                activity.record(.ticketIssued(number: t.number, serviceId: t.service.id))
            case .checkinRefused(let failure, _):
                // The refusal's name and the server's message: never the card (the server answers no personal data).
                logger.notice("check-in refused: \(failure.refusal.name): \(failure.message)")
                activity.record(.ticketFailed(kind: "checkin." + failure.refusal.name, message: failure.message))
            default:
                break
            }
            inbox.post(answer)
        }
    }

    /// The printer.
    private func perform(_ job: PrinterEffect) {
        switch job {
        case .printTicket(let ticket):
            let printer = kiosk.printer, inbox = self.inbox, activity = kiosk.activity
            let context = TicketPrintContext(hall: state.hall, language: state.language)
            Task.detached {
                let outcome = await printer.print(ticket, context: context)
                activity.record(.printed(ticketId: ticket.id, outcome: outcome))
                inbox.post(.printFinished(ticketId: ticket.id, outcome: outcome))
            }
        }
    }

    /// The rating services; without them (tools that never rate) a rating is refused, never lost silently.
    private func performRatings(_ work: RatingEffect) {
        if let ratings = kiosk.ratings {
            ratings.perform(work, inbox: inbox, images: window.images)
            return
        }
        switch work {
        case .storeRating(let submission):
            let reason = "this program has no rating outbox"
            kiosk.activity.record(.ratingNotStored(ratingId: submission.ratingId, reason: reason))
            inbox.post(.ratingStoreFailed(ratingId: submission.ratingId, reason: reason))
        case .fetchWindowState, .fetchStaffPhoto:
            break  // nothing to show them on: tools without rating services run ticket kiosks
        }
    }

    /// The admin screen's services.
    private func perform(_ work: AdminEffect) {
        let inbox = self.inbox, logger = self.logger
        switch work {
        case .checkPin(let pin):
            let admin = self.admin
            Task.detached {
                let accepted = await admin.checkPin(pin)
                if !accepted { logger.notice("admin screen: wrong PIN") }
                inbox.post(.adminPinChecked(accepted: accepted))
            }
        case .fetchInfo:
            let admin = self.admin
            Task.detached { inbox.post(.adminInfoArrived(await admin.info())) }
        case .rememberIssuingPaused(let paused):
            do {
                try pauseMarker.set(paused)
                logger.notice(paused ? "issuing paused at this kiosk (kept across restarts)" : "issuing resumed at this kiosk")
            } catch {
                logger.error("the pause of issuing cannot be kept across a restart: \(error)")
                recentErrors.add("pause not saved: \(error)")
            }
        case .command(let command):
            let admin = self.admin, activity = kiosk.activity
            logger.notice("admin screen: \(command.rawValue)")
            Task.detached {
                let (message, restart) = await admin.run(command)
                logger.notice("admin screen: \(command.rawValue): \(message)")
                activity.record(.adminCommand(command, message: message))
                inbox.post(.adminCommandFinished(command, message: message))
                if restart { inbox.requestExit(code: 0, reason: "restarting at the admin screen's request") }
            }
        }
    }

    /// The speaker (silent when sound is off).
    private func play(_ sound: KioskSound) {
        kiosk.speaker?.play(sound)
        kiosk.activity.record(.sound(sound, played: kiosk.speaker != nil))
    }
}
