import Foundation

/// A registerutdrag (GDPR art. 15): everything Bevaka holds about one person, in Swedish, with
/// where each part comes from, and nothing about anyone else. Bevaka is a working list beside
/// the case system: the personakt is there, but door codes, access notes, checklist answers,
/// bookings and Bevaka's own bevakningar are only here. Pure: `today` is a parameter.
public enum Registerutdrag {
    /// An opening or change of the person's case in the shared store's access log.
    public struct LogLine: Sendable, Equatable {
        public var at: String
        public var who: String
        public var what: String
        public init(at: String, who: String, what: String) {
            self.at = at
            self.who = who
            self.what = what
        }
    }

    /// `stored` is the person's record exactly as the store keeps it (JSON), shown last so that
    /// no field is left out, also one added after this text was written. `log` is nil on the
    /// file store (it keeps no access log).
    public static func text(_ client: Client, routines: RoutineSet, checklists: ChecklistSet = .standard, today: Day,
                            stored: String, log: [LogLine]?) -> String {
        var out: [String] = []
        func line(_ text: String) { out.append(TerminalText.sanitize(text)) }
        func field(_ label: String, _ value: String?) {
            guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return }
            line("  \(label): \(value)")
        }
        func heading(_ title: String, source: String) {
            out.append("")
            line(title)
            line("  Källa: \(source)")
        }
        func day(_ value: Day?) -> String? { value?.description }

        line("Registerutdrag ur Bevaka (artikel 15 i dataskyddsförordningen)")
        line("Gjort \(today). Bevaka är socialtjänstens arbetslista för uppföljning av beslut. Personakten med utredningar, "
             + "beslut och journal finns i verksamhetssystemet och lämnas ut därifrån; det här är vad Bevaka innehåller om "
             + "personen nedan, och ingenting om någon annan.")

        heading("Personen", source: "inskrivet av handläggaren i Bevaka eller inläst från handläggarens lista (Excel/CSV)")
        field("Namn", client.name)
        field("Personnummer", client.personnummer.digits.isEmpty ? nil : client.personnummer.formatted)
        field("Skyddade personuppgifter", client.protectedIdentity ? "ja" : nil)
        field("Bor med barn", client.livesWithChildren.map { $0 ? "ja" : "nej" })
        field("Arkiverad", client.archived ? "ja (visas inte i listorna)" : nil)
        field("Anteckningar", client.notes)
        if let representative = client.representative {
            field("Företrädare", [representative.name, representative.role, representative.contact ?? ""]
                .filter { !$0.isEmpty }.joined(separator: ", "))
        }
        field("IVO-identitet", client.ivoID)

        heading("Kontakt och hembesök", source: "inskrivet av handläggaren; visas bara i ärendet och vid hembesök")
        if let address = client.address, !address.isEmpty {
            field("Adress", [address.street, address.postcode, address.town].compactMap { $0 }.joined(separator: ", "))
        }
        for phone in client.phones { field("Telefon", [phone.label, phone.number].compactMap { $0 }.joined(separator: " ")) }
        field("Portkod", client.doorCode)
        field("Så kommer man in", client.access)
        if let booking = client.booking {
            field("Bokat besök", "\(booking.date) kl. \(String(format: "%02d:%02d", booking.start / 60, booking.start % 60)), "
                  + "\(booking.minutes) minuter" + (booking.place.map { ", \($0)" } ?? "")
                  + (booking.invited.isEmpty ? "" : ", inbjudna: " + booking.invited.joined(separator: ", ")))
        }
        if client.homeVisit { field("Hembesöksläge", "ja") }

        heading("Beslut", source: "beslut i verksamhetssystemet, inskrivna eller inlästa i Bevaka av handläggaren")
        if client.decisions.isEmpty { line("  Inga.") }
        for decision in client.decisions {
            line("  \(decision.service) (\(decision.law.rawValue)), från \(decision.validFrom)"
                 + (decision.validTo.map { " till \($0)" } ?? " tills vidare"))
            field("  Beslutsdatum", day(decision.decidedOn))
            field("  Verkställt", day(decision.startedOn))
            field("  Avslutat", day(decision.closedOn))
            field("  Beviljad tid per månad", decision.grantedHours.map { Hours.format($0) })
            field("  Utförd tid per månad", decision.performedHours.map { Hours.format($0) + (decision.performedMonth.map { " (\($0))" } ?? "") })
            if let provider = decision.provider { field("  Utförare", provider.name + " (\(provider.regi.label))") }
            field("  Samtycke", decision.consent.map(\.label))
            field("  Genomförandeplan", decision.plan?.currentDate.map { "daterad \($0)" })
            field("  Skäl till dröjsmål", decision.delayReason)
            field("  Uppskjutet på egen begäran (LOV) från", day(decision.postponedOn))
            field("  Konsekvenser", decision.consequences)
            field("  Inte verkställt", decision.notCarriedOut)
            for offer in decision.offers {
                field("  Erbjudande", "\(offer.on): \(offer.what)" + (offer.accepted ? ", antaget" : ", avböjt"))
            }
            for interruption in decision.interruptions {
                field("  Avbrott", "från \(interruption.from)" + (interruption.resumed.map { ", återupptaget \($0)" } ?? "")
                      + (interruption.reason.map { ": \($0)" } ?? ""))
            }
            field("  Rapporterat till IVO", decision.ivoReported.isEmpty ? nil : decision.ivoReported.joined(separator: ", "))
        }

        heading("Uppföljningar", source: "gjorda av handläggaren och antecknade i Bevaka")
        if client.followUps.isEmpty { line("  Inga.") }
        for followUp in client.followUps {
            line("  \(followUp.date): \(followUp.form.label), \(followUp.trigger.label)"
                 + (followUp.outcome.map { ", \($0.label)" } ?? ""))
            field("  Deltagare", followUp.participants.isEmpty ? nil : followUp.participants.joined(separator: ", "))
            field("  Anteckningar", followUp.notes)
            field("  Journalanteckning", followUp.journal)
        }

        if let draft = client.draft {
            heading("Pågående uppföljning (checklistan)", source: "handläggarens svar och anteckningar under uppföljningen")
            line("  Påbörjad \(draft.date)" + (draft.participants.isEmpty ? "" : ", deltagare: " + draft.participants.joined(separator: ", ")))
            let entries = ChecklistLibrary.entries(for: client, draft: draft, routines: routines, checklists: checklists)
            var texts: [String: String] = [:]
            for entry in entries where texts[entry.id] == nil { texts[entry.id] = entry.template.text }
            for (id, answer) in draft.answers.sorted(by: { $0.key < $1.key }) where !answer.isEmpty {
                line("  \(texts[id] ?? id): \(answer.mark.label)" + (answer.date.map { ", \($0)" } ?? "")
                     + (answer.note.map { ": \($0)" } ?? ""))
            }
            field("  Journalutkast", draft.journal)
            field("  Osparad text", draft.unsaved?.text)
        }

        heading("Bevakningar", source: "Bevakas egna, räknade ur besluten enligt kommunens rutiner, och de handläggaren satt själv")
        let items = RuleEngine.items(for: client, routines: routines, today: today).sorted { $0.due < $1.due }
        if items.isEmpty && client.reminders.isEmpty { line("  Inga.") }
        for item in items { line("  \(item.due): \(item.reason)" + (item.isDone ? " (klar)" : "")) }
        for reminder in client.reminders where reminder.kind == .manual {
            line("  \(reminder.due): \(reminder.text ?? "egen bevakning")" + (reminder.doneOn.map { " (klar \($0))" } ?? ""))
        }

        if !client.handovers.isEmpty {
            heading("Handläggarbyten", source: "enhetens delade ärendelista")
            for handover in client.handovers { line("  \(handover.on): från \(handover.from) till \(handover.to)") }
        }

        if let log {
            heading("Åtkomstloggen", source: "enhetens databas: varje gång ärendet öppnades, ändrades eller lämnades ut")
            if log.isEmpty { line("  Inga rader.") }
            for entry in log { line("  \(entry.at)  \(entry.who)  \(entry.what)") }
        }

        heading("Allt som lagras om personen, fält för fält", source: "Bevakas lagring, precis som den sparas")
        out.append(stored)
        return out.joined(separator: "\n") + "\n"
    }
}
