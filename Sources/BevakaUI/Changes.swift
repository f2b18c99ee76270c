import BevakaDomain
import BevakaStore
import Foundation

/// Changes to the caseload: each saved at once and each undoable; the bevakningar's edits.
extension AppState {
    /// Applies a change to the caseload: pushes the old one for undo and asks for a save.
    mutating func mutate(_ note: String, _ change: (inout Caseload) -> Void) -> [Effect] {
        var next = caseload
        change(&next)
        guard next != caseload else { return [] }
        undoStack.append(UndoEntry(caseload: caseload, note: note))
        if undoStack.count > 100 { undoStack.removeFirst() }
        redoStack = []
        caseload = next
        message = note
        return requestSave()
    }

    /// The person's name for a message ("Astrid Lind"), cleaned of control characters.
    func personName(_ clientID: String) -> String {
        client(clientID).map { TerminalText.sanitize($0.name) } ?? "personen"
    }

    /// The note without its hint to undo ("… Ångra med u.").
    static func plain(_ note: String) -> String {
        var text = note
        if text.hasSuffix(" Ångra med u.") { text.removeLast(" Ångra med u.".count) }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    mutating func undo() -> [Effect] {
        travel(from: \.undoStack, to: \.redoStack, nothing: "Det finns inget att ångra.",
               notHere: "Det senaste att ångra gäller inte den här personen; lämna hembesöksläget först.") {
            "Ångrat: \($0). Ctrl-R gör om."
        }
    }

    mutating func redo() -> [Effect] {
        travel(from: \.redoStack, to: \.undoStack, nothing: "Det finns inget att göra om.",
               notHere: "Det som kan göras om gäller inte den här personen; lämna hembesöksläget först.") {
            "Gjort igen: \($0)."
        }
    }

    /// Undo and redo: takes the caseload from one stack, keeps the current one on the other, and
    /// says what was undone or done again.
    private mutating func travel(from source: WritableKeyPath<AppState, [UndoEntry]>,
                                 to target: WritableKeyPath<AppState, [UndoEntry]>,
                                 nothing: String, notHere: String, said: (String) -> String) -> [Effect] {
        guard let entry = self[keyPath: source].last else {
            message = nothing
            return []
        }
        guard let restored = restoring(entry.caseload) else {
            message = notHere
            return []
        }
        self[keyPath: source].removeLast()
        self[keyPath: target].append(UndoEntry(caseload: caseload, note: entry.note))
        caseload = restored
        message = said(AppState.plain(entry.note))
        return requestSave()
    }

    /// The caseload to go back (or forward) to, or nil with the reason when it would change
    /// another person in hembesöksläge. Hembesöksläge itself is left only with Ctrl-X H.
    func restoring(_ target: Caseload) -> Caseload? {
        // In hembesöksläge only this person's changes can be undone: another's would be changed unseen.
        if homeVisitActive, let id = openClientID {
            let others = zip(target.clients, caseload.clients).contains { $0.id != id && $0 != $1 }
            if others || target.clients.count != caseload.clients.count {
                return nil
            }
        }
        var restored = target
        for index in restored.clients.indices where index < caseload.clients.count
            && restored.clients[index].id == caseload.clients[index].id {
            restored.clients[index].homeVisit = caseload.clients[index].homeVisit
            // Text being written is not part of the history: undo never brings an old one back.
            if restored.clients[index].draft != nil {
                restored.clients[index].draft?.unsaved = caseload.clients[index].draft?.unsaved
            }
        }
        return restored
    }

    /// After a change: save it, except in the demo, where nothing is saved and the status line
    /// keeps saying so.
    mutating func requestSave() -> [Effect] {
        clampSelection()
        guard !demo else { return [] }
        saveState = .pending
        return [.save(caseload)]
    }

    /// Changes the stored reminder behind an item, creating it for a rule item that has none.
    mutating func change(_ item: DueItem, _ note: String, _ edit: @escaping (inout Reminder) -> Void) -> [Effect] {
        guard let index = clientIndex[item.clientID] else { return [] }
        return mutate(note) { caseload in
            if let id = item.reminderID,
               let r = caseload.clients[index].reminders.firstIndex(where: { $0.id == id }) {
                edit(&caseload.clients[index].reminders[r])
            } else {
                var reminder = Reminder(id: caseload.makeID("r"), decisionID: item.decisionID, kind: item.kind,
                                        due: item.due, ruleDue: item.ruleDue, priority: item.priority)
                edit(&reminder)
                caseload.clients[index].reminders.append(reminder)
            }
        }
    }

    mutating func markDone(_ item: DueItem, on day: Day) -> [Effect] {
        // The verkställighet ladder is answered on the decision itself: the day the order was
        // confirmed, the day the support started, the day it was escalated.
        if [.orderConfirmation, .startCheck, .escalation].contains(item.kind), let decisionID = item.decisionID,
           let index = clientIndex[item.clientID],
           let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
            let service = caseload.clients[index].decisions[d].service
            let name = personName(item.clientID)
            let note: String
            switch item.kind {
            case .orderConfirmation: note = "Beställningen av \(service) för \(name) bekräftad \(day)."
            case .startCheck: note = "\(service) för \(name) verkställt \(day)."
            default: note = "Att \(service) för \(name) inte är verkställt eskalerades till enhetschefen \(day)."
            }
            return mutate(note + " Ångra med u.") { caseload in
                switch item.kind {
                case .orderConfirmation: caseload.clients[index].decisions[d].orderConfirmedOn = day
                case .startCheck: caseload.clients[index].decisions[d].startedOn = day
                default: caseload.clients[index].decisions[d].escalatedOn = day
                }
            }
        }
        return change(item, "\(item.kind.label) för \(personName(item.clientID)) markerad klar \(day). Ångra med u.") {
            $0.status = .done
            $0.doneOn = day
        }
    }

    /// Moves an item, asking first when the day has passed or lies after the rule's date.
    mutating func moveAsking(_ item: DueItem, to day: Day) -> [Effect] {
        if day < today {
            push(.choice(Choice("\(item.kind.label) för \(personName(item.clientID)): \(day) har redan passerat "
                                + "(idag är \(today)). Flytta ändå dit?", [
                                .init("Nej, behåll \(item.due)", .say("Inte flyttad: datumet är kvar.")),
                                .init("Ja, flytta till \(day) (ett passerat datum)",
                                      .move(PendingMove(key: ItemKey(item), day: day, ruleDue: item.ruleDue ?? item.due))),
                            ])))
            return []
        }
        if let ruleDue = item.ruleDue, day > ruleDue, item.kind != .manual {
            askMovePastRule(item, to: day, ruleDue: ruleDue)
            return []
        }
        return move(item, to: day)
    }

    /// A move past the rule's date is asked about, with both dates in full; no is the default.
    mutating func askMovePastRule(_ item: DueItem, to day: Day, ruleDue: Day) {
        push(.choice(Choice("\(item.kind.label) för \(personName(item.clientID)): regeln säger senast \(ruleDue). "
                            + "Flytta ändå till \(day)?", [
                            .init("Nej, behåll \(item.due)", .say("Inte flyttad: datumet är kvar.")),
                            .init("Ja, flytta till \(day) (efter regelns datum)",
                                  .move(PendingMove(key: ItemKey(item), day: day, ruleDue: ruleDue))),
                        ])))
    }

    /// Moves an item to a day (the answer to the question, or a move within the rule).
    mutating func move(_ item: DueItem, to day: Day) -> [Effect] {
        var warning = ""
        if let ruleDue = item.ruleDue, day > ruleDue, item.kind != .manual {
            warning = " Efter regelns datum \(ruleDue)."
        }
        if !WorkingDays.isWorkingDay(day) {
            warning += " Obs: \(WorkingDays.holidayName(day) ?? "helg") är ingen arbetsdag."
        }
        let effects = change(item, "\(item.kind.label) för \(personName(item.clientID)) flyttad till \(day).\(warning)") {
            $0.due = day
        }
        messageIsError = !warning.isEmpty
        if screen == .yearPlan && yearPlanView.monthOpen && day.year == yearPlanView.year {
            yearPlanView.selectedMonth = day.month
            let moved = monthEntries(yearPlan)
            selection[.yearPlan] = moved.firstIndex { $0.clientID == item.clientID } ?? 0
            keepSelectionVisible()
        }
        return effects
    }
}
