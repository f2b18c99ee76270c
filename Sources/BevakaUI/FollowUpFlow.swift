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
        choice = Choice(purpose: .trigger(clientID: clientID, reminderID: reminderID, homeVisit: homeVisit),
                        title: "Uppföljning av \(client.name): vad föranleder den?",
                        options: FollowUpTrigger.allCases.map(\.label),
                        selected: FollowUpTrigger.allCases.firstIndex(of: suggested) ?? 0)
        return []
    }

    mutating func handleChoice(_ key: Key) -> [Effect] {
        guard var current = choice else { return [] }
        if key == .escape {
            choice = nil
            switch current.purpose {
            case .noteConflict(let pending):
                // Back to the text being written: nothing of it is lost.
                textEditing = pending
                message = "Fortsätt skriva; Ctrl-S sparar."
            case .unsavedOnQuit:
                message = "Bevaka försöker spara igen var 3:e sekund. Frigör utrymme, avsluta sedan."
            default:
                message = "Avbrutet."
            }
            return []
        }
        guard let picked = current.handle(key) else {
            choice = current
            return []
        }
        choice = nil
        switch current.purpose {
        case .unsavedOnQuit(let unsaved):
            return handleUnsavedChoice(picked, unsaved: unsaved)
        case .bookingOccurrence(let clientID, var booking, let fromChecklist):
            booking.secondOccurrence = picked == 1
            return confirmOrSaveBooking(booking, clientID: clientID, fromChecklist: fromChecklist)
        case .confirmBooking(let clientID, let booking, let fromChecklist):
            guard picked == 1 else {
                // Back to the form's date, the rest of what was typed kept.
                if let date = form?.fields.firstIndex(where: { $0.key == .date }) {
                    form?.focus = date
                    screen = .form
                    message = "Välj en annan dag."
                } else {
                    message = "Inte bokat. K bokar en annan dag."
                }
                return []
            }
            form = nil
            return saveBooking(booking, clientID: clientID, fromChecklist: fromChecklist)
        case .confirmIVOSent(let quarter):
            guard picked == 1 else {
                message = "Inget är markerat; rapporten kan tas fram med bevaka rapport ivo --kvartal \(quarter.year)-\(quarter.number)."
                return []
            }
            return markIVOSent(quarter)
        case .formConflict(let conflicts):
            return resolveFormConflict(conflicts, keepMine: picked == 0)
        case .noteConflict(let pending):
            guard picked == 0 else {
                message = "Kollegans svar är kvar; din text sparades inte."
                return []
            }
            textEditing = pending
            return saveTextEditor(pending.editor.text, checked: true)
        case .confirmMove(let pending):
            guard picked == 1, let item = items.first(where: pending.key.matches) else {
                message = "Inte flyttad: datumet är kvar."
                return []
            }
            return move(item, to: pending.day)
        case .reassign(let clientID, let roles):
            guard roles.indices.contains(picked) else { return [] }
            message = "Byter handläggare …"
            messageIsError = false
            return [.reassign(clientID: clientID, to: roles[picked])]
        case .trigger(let clientID, let reminderID, let homeVisit):
            let trigger = FollowUpTrigger.allCases[picked]
            choice = Choice(purpose: .form(clientID: clientID, trigger: trigger, reminderID: reminderID, homeVisit: homeVisit),
                            title: "Hur görs uppföljningen?", options: FollowUpForm.allCases.map(\.label),
                            selected: FollowUpForm.allCases.firstIndex(of: .homeVisit) ?? 0)
            return []
        case .form(let clientID, let trigger, let reminderID, let homeVisit):
            guard let index = clientIndex[clientID] else { return [] }
            let form = FollowUpForm.allCases[picked]
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
        case .confirmFinish(let clientID):
            guard picked == 1 else {
                message = "Uppföljningen är inte slutförd."
                return []
            }
            askOutcome(clientID)
            return []
        case .laterBooking(let clientID, let outcome, let participants):
            return finishFollowUp(clientID: clientID, outcome: outcome, participantsText: participants, endLaterBooking: picked == 1)
        case .outcome(let clientID):
            let outcome = FollowUpOutcome.allCases[picked]
            // Who took part: as recorded, else whom the booked visit invited (issue 35, item 16).
            var participants = client(clientID)?.draft?.participants ?? []
            if participants.isEmpty, let invited = client(clientID)?.booking?.invited, !invited.isEmpty { participants = invited }
            prompt = Prompt(purpose: .participants(clientID: clientID, outcome: outcome),
                            editor: LineEditor(participants.isEmpty ? "den enskilde" : participants.joined(separator: ", ")))
            return []
        case .confirmDiscard(let clientID):
            guard picked == 1, let index = clientIndex[clientID] else {
                message = "Uppföljningen är kvar."
                return []
            }
            let effects = mutate("Den påbörjade uppföljningen är borttagen. Ångra med u.") { caseload in
                caseload.clients[index].draft = nil
            }
            if !homeVisitActive { screen = .caseDetail }
            return effects
        case .discardForm:
            if picked == 1 {
                closeForm()
                message = "Ändringarna är inte sparade."
            }
            return []
        case .pickDecision(let clientID, let action, let decisionIDs):
            startDecisionAction(action, clientID: clientID, decisionID: decisionIDs[picked])
            return []
        case .confirmClose(let clientID, let decisionID, let day):
            guard picked == 1 else {
                message = "Beslutet är inte avslutat."
                return []
            }
            return closeDecision(clientID: clientID, decisionID: decisionID, on: day)
        case .confirmArchive(let clientID, let archive):
            guard picked == 1 else { return [] }
            return setArchived(clientID: clientID, archive)
        case .openPurpose(let clientID):
            openPurposes[clientID] = AppState.openPurposeWords[picked]
            openCase(clientID)
            message = "Öppningen loggas med syftet \"\(AppState.openPurposeWords[picked])\" och granskas i loggkontrollen."
            messageIsError = false
            return []
        case .confirmGallring(let ids):
            guard picked == 1 else {
                message = "Ingen gallrades. Nästa start frågar igen; bevaka gallra gör det från kommandoraden."
                return []
            }
            message = "Gallrar \(ids.count == 1 ? "1 person" : "\(ids.count) personer") …"
            return [.gallra(ids: ids)]
        }
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
                prompt = Prompt(purpose: .checklistNote(clientID: client.id, entryID: entry.id), editor: LineEditor(text),
                                label: label)
            } else {
                openTextEditor(.checklistNote(clientID: client.id, entryID: entry.id),
                               title: "\(label) \(entry.template.text)", text: text)
            }
            return []
        case .finishFollowUp:
            let open = draft.openBeforeFinishing(checklistEntries)
            if let first = open.first {
                choice = Choice(purpose: .confirmFinish(clientID: client.id),
                                title: "\(open.count) obligatoriska punkter är obesvarade, först: \(first.template.text)",
                                options: ["Tillbaka till checklistan", "Slutför ändå"])
            } else {
                askOutcome(client.id)
            }
            return []
        case .discardFollowUp:
            let answered = draft.answers.values.filter { !$0.isEmpty }.count
            choice = Choice(purpose: .confirmDiscard(clientID: client.id),
                            title: "Kasta uppföljningen från \(draft.date) med \(answered) ifyllda punkter?",
                            options: ["Nej, behåll den", "Ja, kasta den"])
            return []
        default:
            return []
        }
    }

    mutating func askOutcome(_ clientID: String) {
        choice = Choice(purpose: .outcome(clientID: clientID), title: "Resultat av uppföljningen",
                        options: FollowUpOutcome.allCases.map { $0.label.prefix(1).uppercased() + $0.label.dropFirst() })
    }

    /// The one-line editor's text for a checklist item: an answer marks a question done; a date must parse.
    /// `text`: from the multi-line editor (else the prompt's); `moveOn`: the cursor goes on to
    /// the next item afterwards, as Space does.
    mutating func submitChecklistNote(_ current: Prompt, clientID: String, entryID: String, text typed: String? = nil,
                                      moveOn: Bool = false) -> [Effect] {
        let text = (typed ?? current.editor.text).trimmingCharacters(in: .whitespaces)
        guard let entry = checklistEntries.first(where: { $0.id == entryID }) else {
            prompt = nil
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
        prompt = nil
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

    /// Commands that stay inside the person's follow-up; everything else waits until the mode is left.
    static let homeVisitCommands: Set<Command> = [
        .up, .down, .pageUp, .pageDown, .home, .end, .help, .undo, .back, .homeVisit, .leaveHomeVisit,
        .showJournal, .showUnderlag, .startFollowUp,
        .toggleDone, .notApplicable, .editNote, .nextPhase, .previousPhase, .finishFollowUp, .discardFollowUp,
        .editParagraph, .newParagraph, .copyDocument, .saveDocument, .regenerateJournal,
    ]

    /// Ctrl-X, then H: the deliberate way out of hembesöksläge.
    mutating func handleHomeVisitKey(_ key: Key) -> [Effect]? {
        if key == .ctrl("x") {
            // The next key answers: an overlay of its own waits for it.
            overlays.append(.leaveHomeVisit)
            message = "Tryck H för att lämna hembesöksläget (annan tangent: stanna kvar)."
            return []
        }
        return nil
    }

    /// The key after Ctrl-X in hembesöksläge: H leaves, anything else stays.
    mutating func answerLeaveHomeVisit(_ key: Key) -> [Effect] {
        setOverlay(.leaveHomeVisit, nil)
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
