/// Finishing a follow-up: what it records and which bevakningar it answers and sets.
///
/// - The follow-up goes into the history with date, form, trigger, participants, outcome,
///   the decisions it covered (R8) and the journal text.
/// - The open items it answers are marked done on its date: the annual follow-up and its
///   preparation (R1/R2/R6), a decision's ending follow-up (R3) when it was the trigger or due
///   within `endingWindowDays`, an ended decision (R9), and the manual reminder it was started from.
/// - The next annual follow-up (R2: 12 months after this one) is set as a reminder on the last
///   working day on or before the rule's date.
/// - A decision without a plan gets its plan bevakning moved to one month ahead (seed 003:
///   "följa upp extra"); a plan date answered in the checklist is recorded on the decision.
/// - Outcomes: changed needs → a high-priority reminder to start a new investigation within a
///   week; an ended decision → a reminder to check that a new application came in within a month;
///   support not delivered as decided → a reminder to follow up the provider's correction.
public enum FollowUpCompletion {
    /// Days before a decision's end within which a follow-up also answers R3's item.
    public static let endingWindowDays = 60
    /// Documented defaults for the reminders an outcome sets (docs/rules.md).
    public static let newInvestigationDays = 7
    public static let followUpExtraMonths = 1

    public struct Result: Sendable, Equatable {
        public var followUp: FollowUp
        /// The kinds marked done, in order.
        public var answered: [DueKind]
        /// The next annual follow-up, on a working day; nil when R3 alone follows the person up.
        public var nextFollowUp: Day?
        /// Reminders added (manual) or moved, as Swedish lines for the status and the tests.
        public var set: [String]
    }

    public static func finish(clientAt index: Int, in caseload: inout Caseload, outcome: FollowUpOutcome,
                              participants: [String], routines: RoutineSet, checklists: ChecklistSet = .standard,
                              today: Day, endLaterBooking: Bool = false) -> Result? {
        guard caseload.clients.indices.contains(index), var draft = caseload.clients[index].draft else { return nil }
        var client = caseload.clients[index]
        draft.outcome = outcome
        draft.participants = participants
        let entries = ChecklistLibrary.entries(for: client, draft: draft, routines: routines, checklists: checklists)
        let journal = JournalDraft.current(client: client, draft: draft, entries: entries, today: today)
        let date = draft.date
        let covered = Set(draft.decisionIDs)

        // 1. What the follow-up answers, taken from the items before it is recorded.
        let before = RuleEngine.items(for: client, routines: routines, today: today).filter { !$0.isDone }
        var answered: [DueItem] = []
        for item in before {
            let ours = item.decisionID.map(covered.contains) ?? true
            switch item.kind {
            case .annualFollowUp, .prepareFollowUp:
                answered.append(item)
            case .decisionEnding where ours:
                if draft.trigger == .decisionEnding || item.due <= date.adding(days: endingWindowDays) {
                    answered.append(item)
                }
            case .decisionEnded where ours:
                answered.append(item)
            case .manual where item.reminderID != nil && item.reminderID == draft.reminderID:
                answered.append(item)
            default:
                break
            }
        }
        for item in answered {
            if let id = item.reminderID, let r = client.reminders.firstIndex(where: { $0.id == id }) {
                client.reminders[r].status = .done
                client.reminders[r].doneOn = date
            } else {
                client.reminders.append(Reminder(id: caseload.makeID("r"), decisionID: item.decisionID, kind: item.kind,
                                                 due: item.due, ruleDue: item.ruleDue, priority: item.priority,
                                                 status: .done, doneOn: date))
            }
        }

        // 2. A plan date learned at the visit.
        if let planEntry = entries.first(where: { $0.template.type == .date && $0.template.id.hasSuffix("plandatum") }),
           let planDate = draft.answer(planEntry.id).date {
            for d in client.decisions.indices where covered.contains(client.decisions[d].id)
                && planEntry.profiles.contains(routines.profile(for: client.decisions[d]).id) {
                var plan = client.decisions[d].plan ?? CarePlan()
                if plan.currentDate.map({ planDate > $0 }) ?? true {
                    plan.established = planDate
                    client.decisions[d].plan = plan
                }
            }
        }

        // 3. The history entry.
        var notes: [String] = []
        // Only what was ticked: the history is a record, not a guess.
        if outcome == .decisionEnded,
           entries.contains(where: { $0.template.id == "lss.lopt" && draft.answer($0.id).mark == .done }) {
            notes.append("Informerad om att ansöka på nytt.")
        }
        let followUp = FollowUp(id: caseload.makeID("f"), date: date, form: draft.form, trigger: draft.trigger,
                                participants: participants, outcome: outcome,
                                notes: notes.isEmpty ? nil : notes.joined(separator: " "),
                                decisionIDs: draft.decisionIDs, journal: journal)
        client.followUps.append(followUp)
        client.draft = nil
        // The booked visit has taken place; one booked for later ends only when the user said so
        // (the follow-up was done before the visit: issue 35, item 16).
        if let booking = client.booking, booking.date <= date || endLaterBooking { client.booking = nil }

        // 4. The next annual follow-up (R2), on a working day.
        var set: [String] = []
        let after = RuleEngine.ruleItems(for: client, routines: routines, today: today)
        var next: Day?
        if let annual = after.first(where: { $0.kind == .annualFollowUp }), let ruleDue = annual.ruleDue {
            let due = WorkingDays.onOrBefore(ruleDue)
            next = due
            client.reminders.removeAll { $0.kind == .annualFollowUp && $0.ruleDue == ruleDue && $0.status != .done }
            client.reminders.append(Reminder(id: caseload.makeID("r"), kind: .annualFollowUp, due: due, ruleDue: ruleDue))
            set.append("Nästa uppföljning \(due)")
        }

        // 5. Plans still missing: follow up extra in a month.
        let planDue = WorkingDays.onOrBefore(date.adding(months: followUpExtraMonths))
        for item in after where item.kind == .carePlanMissing && item.decisionID.map(covered.contains) == true {
            let service = client.decisions.first { $0.id == item.decisionID }?.service ?? ""
            if let r = client.reminders.firstIndex(where: { $0.kind == .carePlanMissing && $0.decisionID == item.decisionID
                && $0.ruleDue == item.ruleDue }) {
                client.reminders[r].due = planDue
                client.reminders[r].status = .notStarted
                client.reminders[r].doneOn = nil
            } else {
                client.reminders.append(Reminder(
                    id: caseload.makeID("r"), decisionID: item.decisionID, kind: .carePlanMissing, due: planDue,
                    ruleDue: item.ruleDue, text: "Saknades vid uppföljningen \(date); följ upp extra.", priority: .high))
            }
            set.append("Genomförandeplan (\(service)) \(planDue)")
        }

        // 6. What the outcome asks for.
        func manual(_ text: String, _ due: Day, _ priority: Priority) {
            client.reminders.append(Reminder(id: caseload.makeID("r"), kind: .manual, due: WorkingDays.onOrBefore(due),
                                             text: text, priority: priority))
            // The date apart, so it does not read as part of the sentence (issue 35, item 21).
            set.append("\(text) (bevakning \(WorkingDays.onOrBefore(due)))")
        }
        switch outcome {
        case .asDecided:
            break
        case .notAsDecided:
            manual("Följ upp att utföraren rättat bristerna", date.adding(months: followUpExtraMonths), .high)
        case .needsChanged:
            manual("Inled ny utredning: behoven har förändrats", date.adding(days: newInvestigationDays), .high)
        case .decisionEnded:
            manual("Kontrollera att ny ansökan kommit in", date.adding(months: followUpExtraMonths), .normal)
        }

        caseload.clients[index] = client
        return Result(followUp: followUp, answered: answered.map(\.kind), nextFollowUp: next, set: set)
    }
}
