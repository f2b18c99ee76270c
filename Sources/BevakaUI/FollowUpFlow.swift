import BevakaDomain
import Foundation

/// The follow-up of one person, from the first key on a case to the journal: start, the
/// checklist, hembesöksläge, finishing. Every change of the draft is stored in the case and
/// saved at once, so the visit resumes where it was after a closed terminal or a crash.
extension AppState {
    /// The checklist of the open case's follow-up in progress.
    /// Built once per caseload change (a frame asks for it several times).
    public var checklistEntries: [ChecklistEntry] {
        guard let client = openClient, let draft = client.draft else { return [] }
        return cache.value("checklist", key: [AnyHashable(version), client.id]) {
            ChecklistLibrary.entries(for: client, draft: draft, routines: routines, checklists: checklists)
        }
    }

    /// The items of the phase the cursor is in.
    public var phaseEntries: [ChecklistEntry] {
        guard let phase = openClient?.draft?.phase else { return [] }
        return checklistEntries.filter { $0.template.phase == phase }
    }

    /// The cursor's position in the current phase (the stored entry id, else the first item).
    public var checklistCursor: Int {
        let entries = phaseEntries
        guard let id = openClient?.draft?.cursor else { return 0 }
        return entries.firstIndex { $0.id == id } ?? 0
    }

    public var selectedEntry: ChecklistEntry? {
        let entries = phaseEntries
        return entries.indices.contains(checklistCursor) ? entries[checklistCursor] : nil
    }

    // MARK: Starting

    /// `F`: resume the person's follow-up, or ask what started it and how it is done.
    mutating func startFollowUp(homeVisit: Bool) -> [Effect] {
        guard let clientID = currentClientID, let client = client(clientID) else { return [] }
        if client.draft != nil {
            openClientID = clientID
            if screen != .checklist && screen != .caseDetail { returnScreen = screen }
            screen = .checklist
            message = "Fortsätter uppföljningen från \(client.draft?.date.description ?? "")."
            return homeVisit ? setHomeVisit(true) : []
        }
        guard client.decisions.contains(where: { $0.closedOn == nil }) else {
            message = "Personen har inga pågående beslut att följa upp."
            messageIsError = true
            return []
        }
        // From a reminder: its kind suggests the trigger, and a manual one is answered by the follow-up.
        // From a case: the person's next follow-up item says the same.
        let item = screen == .overview || screen == .reminders ? selectedItem
            : (itemsByClient[clientID] ?? []).filter { !$0.isDone && [.annualFollowUp, .decisionEnding, .decisionEnded].contains($0.kind) }
                .min { $0.due < $1.due }
        let suggested: FollowUpTrigger = item?.kind == .decisionEnding || item?.kind == .decisionEnded
            ? .decisionEnding : .ownPlan
        let reminderID = item?.kind == .manual ? item?.reminderID : nil
        push(.choice(Choice("Uppföljning av \(client.name): vad föranleder den?", FollowUpTrigger.allCases.map {
            Choice.Option($0.label, .askFollowUpForm(clientID: clientID, trigger: $0, reminderID: reminderID, homeVisit: homeVisit))
        }, selected: FollowUpTrigger.allCases.firstIndex(of: suggested) ?? 0)))
        return []
    }

    mutating func askFollowUpForm(clientID: String, trigger: FollowUpTrigger, reminderID: String?, homeVisit: Bool) {
        push(.choice(Choice("Hur görs uppföljningen?", FollowUpForm.allCases.map {
            Choice.Option($0.label, .startFollowUp(clientID: clientID, trigger: trigger, form: $0, reminderID: reminderID,
                                                   homeVisit: homeVisit))
        }, selected: FollowUpForm.allCases.firstIndex(of: .homeVisit) ?? 0)))
    }

    mutating func startFollowUp(clientID: String, trigger: FollowUpTrigger, form: FollowUpForm, reminderID: String?,
                                homeVisit: Bool) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        let today = self.today
        let effects = mutate("Uppföljningen påbörjad. Allt du skriver sparas direkt.") { caseload in
            var client = caseload.clients[index]
            client.draft = FollowUpDraft.start(for: client, date: today, form: form, trigger: trigger,
                                               reminderID: reminderID)
            if homeVisit { client.homeVisit = true }
            caseload.clients[index] = client
        }
        openClientID = clientID
        if screen != .caseDetail { returnScreen = screen }
        screen = .checklist
        scroll[.checklist] = 0
        return effects
    }

    /// Who took part: as recorded, else whom the booked visit invited (issue 35, item 16).
    mutating func askParticipants(clientID: String, outcome: FollowUpOutcome) {
        var participants = client(clientID)?.draft?.participants ?? []
        if participants.isEmpty, let invited = client(clientID)?.booking?.invited, !invited.isEmpty { participants = invited }
        put(.prompt(Prompt(purpose: .participants(clientID: clientID, outcome: outcome),
                        editor: LineEditor(participants.isEmpty ? "den enskilde" : participants.joined(separator: ", ")))))
    }

    mutating func discardFollowUp(_ clientID: String) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        let effects = mutate("Den påbörjade uppföljningen är borttagen. Ångra med u.") { caseload in
            caseload.clients[index].draft = nil
        }
        if !homeVisitActive { screen = .caseDetail }
        return effects
    }

    // MARK: The checklist

    mutating func performChecklist(_ command: Command) -> [Effect] {
        guard let client = openClient, let draft = client.draft else {
            if command == .finishFollowUp || command == .toggleDone || command == .editNote {
                message = "Ingen pågående uppföljning. F startar en."
            }
            return []
        }
        let entries = phaseEntries
        let cursor = checklistCursor
        switch command {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            guard !entries.isEmpty else { return [] }
            let page = max(1, checklistRows - 2)
            let delta = [Command.up: -1, .down: 1, .pageUp: -page, .pageDown: page, .home: -entries.count,
                         .end: entries.count][command] ?? 0
            let next = min(entries.count - 1, max(0, cursor + delta))
            return updateDraft(undoable: false) { $0.cursor = entries[next].id }
        case .nextPhase, .previousPhase:
            let phases = ChecklistPhase.allCases
            let index = phases.firstIndex(of: draft.phase) ?? 0
            let step = command == .nextPhase ? 1 : phases.count - 1
            let phase = phases[(index + step) % phases.count]
            let first = checklistEntries.first { $0.template.phase == phase }?.id
            scroll[.checklist] = 0
            return updateDraft(undoable: false) {
                $0.phase = phase
                $0.cursor = first
            }
        case .toggleDone, .notApplicable:
            guard let entry = selectedEntry else { return [] }
            let current = draft.answer(entry.id)
            let target: ChecklistMark = command == .toggleDone ? .done : .notApplicable
            if target == .done && current.mark != .done && entry.template.type == .date && current.date == nil {
                message = "Skriv datumet med Enter."
                return []
            }
            // A question is answered, not ticked: Space on one without an answer asks for it (a
            // ticked question without an answer would drop out of the journal).
            if target == .done && current.mark != .done && entry.template.type == .question && (current.note ?? "").isEmpty {
                return performChecklist(.editNote)
            }
            let mark: ChecklistMark = current.mark == target ? .open : target
            // Ticking moves on, so a run of items is Space, Space, Space.
            let next = mark != .open && cursor + 1 < entries.count ? entries[cursor + 1].id : entry.id
            return updateDraft(undoable: true) { draft in
                var answer = draft.answer(entry.id)
                answer.mark = mark
                draft.answers[entry.id] = answer.isEmpty ? nil : answer
                draft.cursor = next
            }
        case .editNote:
            guard let entry = selectedEntry else { return [] }
            // "Boka uppföljningsmöte eller hembesök" is answered by booking it.
            if entry.template.id == FollowUpDraft.bookingItem {
                openBookingForm(client.id, fromChecklist: true)
                return []
            }
            let answer = draft.answer(entry.id)
            let label: String
            let text: String
            switch entry.template.type {
            case .question: label = "Svar:"; text = answer.note ?? ""
            case .tick: label = "Anteckning:"; text = answer.note ?? ""
            case .date: label = "Datum (\(DateInput.hint)):"; text = answer.date?.description ?? ""
            }
            if entry.template.type == .date {
                put(.prompt(Prompt(purpose: .checklistNote(clientID: client.id, entryID: entry.id), editor: LineEditor(text),
                                label: label)))
            } else {
                openTextEditor(.checklistNote(clientID: client.id, entryID: entry.id),
                               title: "\(label) \(entry.template.text)", text: text)
            }
            return []
        case .finishFollowUp:
            let open = draft.openBeforeFinishing(checklistEntries)
            if let first = open.first {
                push(.choice(Choice("\(open.count) obligatoriska punkter är obesvarade, först: \(first.template.text)", [
                    .init("Tillbaka till checklistan", .say("Uppföljningen är inte slutförd.")),
                    .init("Slutför ändå", .askOutcome(clientID: client.id)),
                ])))
            } else {
                askOutcome(client.id)
            }
            return []
        case .discardFollowUp:
            let answered = draft.answers.values.filter { !$0.isEmpty }.count
            push(.choice(Choice("Kasta uppföljningen från \(draft.date) med \(answered) ifyllda punkter?", [
                .init("Nej, behåll den", .say("Uppföljningen är kvar.")),
                .init("Ja, kasta den", .discardFollowUp(clientID: client.id)),
            ])))
            return []
        default:
            return []
        }
    }

    mutating func askOutcome(_ clientID: String) {
        push(.choice(Choice("Resultat av uppföljningen", FollowUpOutcome.allCases.map {
            Choice.Option($0.label.prefix(1).uppercased() + $0.label.dropFirst(), .askParticipants(clientID: clientID, outcome: $0))
        })))
    }

    /// The one-line editor's text for a checklist item: an answer marks a question done; a date must parse.
    /// `text`: from the multi-line editor (else the prompt's); `moveOn`: the cursor goes on to
    /// the next item afterwards, as Space does.
    mutating func submitChecklistNote(_ current: Prompt, clientID: String, entryID: String, text typed: String? = nil,
                                      moveOn: Bool = false) -> [Effect] {
        let text = (typed ?? current.editor.text).trimmingCharacters(in: .whitespaces)
        guard let entry = checklistEntries.first(where: { $0.id == entryID }) else {
            dismiss(.prompt)
            return []
        }
        var date: Day?
        if entry.template.type == .date && !text.isEmpty {
            guard let parsed = promptDate(current) else { return [] }
            guard parsed <= today else {
                return reject(current, "Planen kan inte vara upprättad i framtiden.")
            }
            date = parsed
        }
        dismiss(.prompt)
        let entries = phaseEntries
        let next = moveOn ? entries.firstIndex(where: { $0.id == entryID }).flatMap { index in
            index + 1 < entries.count ? entries[index + 1].id : nil
        } : nil
        return updateDraft(undoable: true) { draft in
            if let next { draft.cursor = next }
            // Saved now: the text kept while it was being written is no longer needed.
            if draft.unsaved?.entry == entryID { draft.unsaved = nil }
            var answer = draft.answer(entryID)
            switch entry.template.type {
            case .date:
                answer.date = date
                answer.mark = date == nil ? (answer.mark == .done ? .open : answer.mark) : .done
            case .question:
                answer.note = text.isEmpty ? nil : text
                if !text.isEmpty && answer.mark == .open { answer.mark = .done }
            case .tick:
                answer.note = text.isEmpty ? nil : text
            }
            draft.answers[entryID] = answer.isEmpty ? nil : answer
        }
    }

    /// Changes the open case's draft and saves. Cursor moves are saved but not undone one by one.
    mutating func updateDraft(undoable: Bool, _ change: (inout FollowUpDraft) -> Void) -> [Effect] {
        guard let id = openClientID, let index = clientIndex[id], var draft = caseload.clients[index].draft else { return [] }
        // Compared as a draft, not as a whole caseload: this runs on every key of the checklist.
        let before = draft
        change(&draft)
        guard draft != before else { return [] }
        if undoable { return mutate(message ?? "") { $0.clients[index].draft = draft } }
        caseload.clients[index].draft = draft
        return requestSave()
    }

    // MARK: Hembesöksläge

    mutating func setHomeVisit(_ on: Bool) -> [Effect] {
        guard let id = openClientID, let index = clientIndex[id] else { return [] }
        var next = caseload
        next.clients[index].homeVisit = on
        guard next != caseload else { return [] }
        caseload = next
        message = on ? "Hembesöksläge: bara den här personen visas. Lämna med Ctrl-X och sedan H."
            : "Hembesöksläget är avslutat."
        return requestSave()
    }

    /// Ctrl-X, then H: the deliberate way out of hembesöksläge.
    mutating func handleHomeVisitKey(_ key: Key) -> [Effect]? {
        if key == .ctrl("x") {
            // The next key answers: an overlay of its own waits for it.
            push(.leaveHomeVisit)
            message = "Tryck H för att lämna hembesöksläget (annan tangent: stanna kvar)."
            return []
        }
        return nil
    }

    /// The key after Ctrl-X in hembesöksläge: H leaves, anything else stays.
    mutating func answerLeaveHomeVisit(_ key: Key) -> [Effect] {
        dismiss(.leaveHomeVisit)
        if key == .character("H") || key == .character("h") { return setHomeVisit(false) }
        message = "Hembesöksläget är kvar."
        return []
    }

    // MARK: Finishing

    mutating func finishFollowUp(clientID: String, outcome: FollowUpOutcome, participantsText: String,
                                 endLaterBooking: Bool = false) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        let participants = participantsText.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var next = caseload
        guard let result = FollowUpCompletion.finish(clientAt: index, in: &next, outcome: outcome,
                                                     participants: participants, routines: routines,
                                                     checklists: checklists, today: today, endLaterBooking: endLaterBooking) else { return [] }
        let summary = (["Uppföljningen är registrerad."] + result.set.prefix(2).map { $0 + "." }).joined(separator: " ")
        let effects = mutate(summary) { $0 = next }
        openDocument(.journal(clientID: clientID, followUpID: result.followUp.id))
        return effects
    }
}
