import BevakaDomain
import BevakaStore

public enum Action: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case saved(at: String)
    case saveFailed(String)
    /// Midnight passed (or the clock was corrected): due dates are recomputed.
    case newDay(Day)
    /// A document was written to a file, or could not be.
    case fileWritten(path: String)
    case fileFailed(String)
    /// An import running in the background: rows read so far, and its end.
    case importProgress(done: Int, total: Int)
    case importFinished(ImportOutcome)
    /// Quitting found changes the store could not take: why, and the ids of the people whose
    /// changes would be lost. The user is asked; nothing is dropped without an answer.
    case quitBlocked(reason: String, unsavedClientIDs: [String])
    /// The copy asked for when saves failed could not be written.
    case copyFailed(String)
    /// Another handläggare saved a change to a person; `time` is when, as HH:MM.
    case changedElsewhere(ChangedElsewhere, time: String)
    /// Who the user is in the unit, read again (a cover began or ended, a case moved).
    case unitChanged(UnitContext)
    /// A handläggarbyte was made (or refused, with the reason).
    case reassigned(clientID: String, to: String, error: String?)
    /// Something about the store itself, said once (the shared store moved to another server).
    case storeNotice(String)
    /// The user's own editor closed: the text (nil when it failed, with the reason).
    case externalEdit(text: String?, error: String?)
    /// The full record of a case the manager opened, read through the database's logging function.
    case opened(Client)
    /// The names in the folder of a path being typed that start as it does (Tab in the file prompt).
    case pathCompleted(typed: String, candidates: [String])
    /// Typing has paused, or the terminal is closing: the answer being written is kept with the
    /// caseload (not yet as the answer) so that nothing typed is lost.
    case keepUnsavedText
}

public enum ImportOutcome: Sendable, Equatable {
    /// The file read and merged into a copy of the caseload (nothing written yet), and what it did.
    case imported(Caseload, report: CaseloadImport.Report, file: String)
    case failed(String)
}

public enum Effect: Equatable, Sendable {
    case save(Caseload)
    case quit
    /// Put text on the clipboard (OSC 52).
    case copy(String)
    /// Write text to a new file readable by the owner only (`~` is the home folder).
    case writeFile(path: String, contents: String)
    /// Read a CSV file and merge it into this caseload, in the background.
    /// Read a list in the background; `assuming` is what a list without a verkställt column means.
    /// `namesAnyway`: rows whose name is not the personnummer's person are read too.
    case importFile(path: String, into: Caseload, assuming: CaseloadImport.StartAssumption, namesAnyway: Bool = false)
    /// Leave although changes are unsaved: the user chose to, after being told what is lost.
    case quitDiscarding
    /// Write the whole caseload, in the store's format, to a new file (when the store cannot be saved).
    case saveCopy(path: String, caseload: Caseload)
    /// Move a case to another handläggare (shared store, unit manager).
    case reassign(clientID: String, to: String)
    /// Open the text in the user's own editor ($VISUAL, $EDITOR, nano, vi) and bring it back.
    case editExternally(String)
    /// List what in the folder of a typed path starts like it (folders end with /).
    case completePath(String)
    /// Remember the folder an import was read from, for the next import (also after a restart).
    case rememberImportFolder(String)
}

/// The whole app's behaviour: a pure function of state and action.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    let before = state.message
    let effects = reduceChecked(&state, action)
    // Every new message goes to the log (`L`), masked like the status line shows it.
    if let message = state.message, message != before {
        state.messageLog.append(TerminalText.maskPersonalNumbers(message))
        if state.messageLog.count > 50 { state.messageLog.removeFirst(state.messageLog.count - 50) }
    }
    return effects
}

func reduceChecked(_ state: inout AppState, _ action: Action) -> [Effect] {
    // The unit manager's view is planning data: nothing in it may be changed from the app.
    guard state.readOnly, case .key = action else { return reduceAction(&state, action) }
    let before = state
    let effects = reduceAction(&state, action)
    let asksReassign: Bool
    if case .reassign? = state.choice?.purpose { asksReassign = true } else { asksReassign = false }
    let startsAChange = (state.form != nil && before.form == nil) || (state.choice != nil && before.choice == nil && !asksReassign)
        || (state.prompt != nil && before.prompt == nil) || (state.textEditing != nil && before.textEditing == nil)
    guard state.caseload != before.caseload || startsAChange else { return effects }
    state = before
    state.message = "Enhetschefens vy är bara för planering; ärendet ändras av handläggaren."
    state.messageIsError = true
    return []
}

func reduceAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .resize(let width, let height):
        state.width = width
        state.height = height
        state.clampSelection()
        return []
    case .saved(let time):
        state.saveState = .saved(at: time)
        return []
    case .saveFailed(let reason):
        state.saveState = .failed(reason)
        return []
    case .keepUnsavedText:
        return state.keepUnsavedText()
    case .newDay(let day):
        state.today = day
        state.recompute()
        state.clampSelection()
        return []
    case .key(let key):
        return state.handle(key)
    case .fileWritten(let path):
        state.message = "Sparat i \(path) (bara du kan läsa filen)."
        state.messageIsError = false
        return []
    case .fileFailed(let reason):
        state.message = reason
        state.messageIsError = true
        return []
    case .importProgress(let done, let total):
        state.importing?.done = done
        state.importing?.total = total
        return []
    case .importFinished(let outcome):
        return state.finishImport(outcome)
    case .quitBlocked(let reason, let ids):
        state.askBeforeLosingChanges(reason: reason, unsavedClientIDs: ids)
        return []
    case .changedElsewhere(let change, let time):
        state.takeChangeElsewhere(change, time: time)
        return []
    case .unitChanged(let unit):
        state.unit = unit
        if let owner = state.scopeOwner, !state.scopeChoices.contains(owner) { state.scopeOwner = nil }
        state.clampSelection()
        return []
    case .opened(let client):
        state.takeOpened(client)
        return []
    case .pathCompleted(let typed, let candidates):
        state.takeCompletion(typed, candidates: candidates)
        return []
    case .reassigned(let clientID, let to, let error):
        state.takeReassigned(clientID: clientID, to: to, error: error)
        return []
    case .storeNotice(let text):
        state.message = TerminalText.sanitize(text)
        state.messageIsError = false
        return []
    case .externalEdit(let text, let error):
        return state.takeExternalEdit(text: text, error: error)
    case .copyFailed(let reason):
        state.message = reason + " Välj igen: försök spara, spara en kopia någon annanstans eller avsluta."
        state.messageIsError = true
        state.askBeforeLosingChanges(reason: nil, unsavedClientIDs: state.unsavedOnQuit)
        return []
    }
}

extension AppState {
    mutating func handle(_ key: Key) -> [Effect] {
        // Ctrl-C quits from everywhere but text entry, also from help and the welcome screen,
        // which do not dispatch through the key table (where it is listed for the help screen).
        if key == .ctrl("c") && prompt == nil && textEditing == nil && !filterEditing { return quit() }
        if importing != nil { return [] }  // the import is running; it takes seconds at most
        if textEditing != nil { return handleTextEditor(key) }
        if prompt != nil { return handlePrompt(key) }
        if choice != nil { return handleChoice(key) }
        if importPreview != nil { return handleImportPreview(key) }
        if form != nil && screen == .form && !helpVisible { return handleForm(key) }
        if filterEditing { return handleFilter(key) }
        if helpVisible { return handleHelp(key) }
        if messageLogVisible { return handleMessageLog(key) }
        message = nil
        messageIsError = false
        if homeVisitActive {
            if let effects = handleHomeVisitKey(key) { return effects }
            guard let command = KeyMap.command(for: key, in: keyContext) else { return [] }
            guard AppState.homeVisitCommands.contains(command) else {
                message = "Hembesöksläge: lämna det med Ctrl-X och sedan H."
                return []
            }
            if command == .back && screen == .checklist { return [] }
            return perform(command)
        }
        if screen == .welcome {
            switch key {
            case .character("q"), .escape: return quit()
            case .character("?"), .f1: helpVisible = true
            default: break
            }
            return []
        }
        guard let command = KeyMap.command(for: key, in: keyContext) else { return [] }
        return perform(command)
    }

    /// The keys that act now: on the Översikt with a section open, the section's.
    public var keyContext: KeyContext {
        screen == .overview && overviewSection != nil ? .section : KeyContext.of(screen)
    }

    /// Help scrolls with the list keys and closes only with ?, Esc or q (any other key stays).
    mutating func handleHelp(_ key: Key) -> [Effect] {
        switch key {
        case .character("?"), .f1, .escape, .character("q"):
            helpVisible = false
            helpScroll = 0
        default:
            scrollPage(key, lines: helpLines.count)
        }
        return []
    }

    /// The message log scrolls like help and closes with L, Esc or q.
    mutating func handleMessageLog(_ key: Key) -> [Effect] {
        switch key {
        case .character("L"), .escape, .character("q"): messageLogVisible = false
        default: scrollPage(key, lines: messageLogLines.count)
        }
        return []
    }

    /// ↑/↓ (k/j), PgUp/PgDn (and Space), Home/End (g/G) move a page of `lines` lines (help, the
    /// message log, the import preview). Returns false for any other key.
    @discardableResult
    mutating func scrollPage(_ key: Key, lines: Int) -> Bool {
        let page = max(1, helpRows - 1)
        switch key {
        case .up, .character("k"): helpScroll -= 1
        case .down, .character("j"): helpScroll += 1
        case .pageUp: helpScroll -= page
        case .pageDown, .character(" "): helpScroll += page
        case .home, .character("g"): helpScroll = 0
        case .end, .character("G"): helpScroll = Int.max / 2
        default: return false
        }
        helpScroll = max(0, min(helpScroll, max(0, lines - helpRows)))
        return true
    }

    mutating func quit() -> [Effect] {
        quitting = true
        return [.quit]
    }

    // MARK: Commands

    mutating func perform(_ command: Command) -> [Effect] {
        if screen == .checklist && command != .back && command != .help && command != .undo {
            switch command {
            case .up, .down, .pageUp, .pageDown, .home, .end, .toggleDone, .notApplicable, .editNote, .nextPhase,
                 .previousPhase, .finishFollowUp, .discardFollowUp:
                return performChecklist(command)
            default: break
            }
        }
        if screen == .document {
            switch command {
            case .up, .down, .pageUp, .pageDown, .home, .end, .editParagraph, .newParagraph, .copyDocument,
                 .saveDocument, .regenerateJournal:
                return performDocument(command)
            default: break
            }
        }
        switch command {
        case .up: moveSelection(by: -1)
        case .down: moveSelection(by: 1)
        case .pageUp: moveSelection(by: -max(1, contentHeight - 4))
        case .pageDown: moveSelection(by: max(1, contentHeight - 4))
        case .home: moveSelection(by: -listCount)
        case .end: moveSelection(by: listCount)
        case .open: open()
        case .back: back()
        case .nextScreen, .previousScreen:
            let tabs = self.tabs
            let current = tabs.firstIndex(of: screen == .caseDetail ? returnScreen : screen) ?? 0
            let step = command == .nextScreen ? 1 : tabs.count - 1
            show(tabs[(current + step) % tabs.count])
        case .showOverview: show(.overview)
        case .showYearPlan: show(.yearPlan)
        case .showReminders: show(.reminders)
        case .showCaseload: show(.caseload)
        case .showUnit:
            if tabs.contains(.unit) {
                show(.unit)
            } else {
                message = "Enheten per handläggare visas för enhetschefen på den delade ärendelistan."
                messageIsError = false
            }
        case .reassign: askReassign()
        case .book:
            if let id = currentClientID { openBookingForm(id, fromChecklist: screen == .checklist) }
        case .filter:
            if screen == .overview || screen == .caseDetail { show(.caseload) }
            filterEditing = true
        case .help:
            helpVisible = true
            helpScroll = 0
        case .messageLog:
            messageLogVisible = true
            helpScroll = Int.max / 2
            helpScroll = max(0, messageLogLines.count - helpRows)
        case .quit: return quit()
        case .undo: return undo()
        case .redo: return redo()
        case .markIVOSent:
            return askIVOSent()
        case .markDone:
            guard let item = selectedItem else { return [] }
            // Not carried out (or its IVO report) without a reason: the report would be incomplete,
            // so the reason is asked for first; the rule itself ends when the decision starts.
            if !item.isDone, [.notStarted, .interrupted, .ivoReport].contains(item.kind), let decisionID = item.decisionID,
               let decision = client(item.clientID)?.decisions.first(where: { $0.id == decisionID }),
               (decision.delayReason ?? "").isEmpty {
                prompt = Prompt(purpose: .delayReason(clientID: item.clientID, decisionID: decisionID), editor: LineEditor(),
                                label: "Skäl till att \(decision.service) för \(personName(item.clientID)) inte är verkställt (till IVO):")
                return []
            }
            if !item.isDone, item.kind == .notStarted || item.kind == .interrupted {
                message = "\(item.kind.label) försvinner när starten (verkställt) eller återupptagandet registreras: B eller I på ärendet."
                return []
            }
            return item.isDone ? change(item, "\(item.kind.label) för \(personName(item.clientID)) markerad som ej klar.") {
                $0.status = .notStarted
                $0.doneOn = nil
            } : markDone(item, on: today)
        case .markDoneOn:
            guard let item = selectedItem else { return [] }
            prompt = Prompt(purpose: .markDoneOn(ItemKey(item)), editor: LineEditor("idag"))
        case .moveDate:
            guard let item = screen == .yearPlan ? selectedYearPlanItem() : selectedItem else { return [] }
            prompt = Prompt(purpose: .moveTo(ItemKey(item)), editor: LineEditor(item.due.description))
        case .cyclePriority:
            guard let item = selectedItem else { return [] }
            let next: Priority = item.priority == .normal ? .high : item.priority == .high ? .low : .normal
            return change(item, "\(item.kind.label) för \(personName(item.clientID)): prioritet \(next.label).") {
                $0.priority = next
            }
        case .newReminder:
            guard let clientID = currentClientID else { return [] }
            prompt = Prompt(purpose: .newReminderDate(clientID: clientID), editor: LineEditor("+1v"),
                            label: "Ny bevakning för \(personName(clientID)), datum (\(DateInput.hint)):")
        case .cycleReminderFilter:
            reminderFilter = ReminderFilter(rawValue: (reminderFilter.rawValue + 1) % ReminderFilter.allCases.count) ?? .all
            selection[.reminders] = 0
        case .cycleScope:
            cycleScope()
        case .cycleKindFilter:
            let kinds = DueKind.allCases
            if let current = kindFilter, let index = kinds.firstIndex(of: current) {
                kindFilter = index + 1 < kinds.count ? kinds[index + 1] : nil
            } else {
                kindFilter = kinds.first
            }
            selection[.reminders] = 0
        case .toggleSort:
            caseSort = caseSort == .name ? .nextDue : .name
        case .previousYear: year -= 1; selection[.yearPlan] = monthOpen ? 0 : selectedMonth - 1
        case .nextYear: year += 1; selection[.yearPlan] = monthOpen ? 0 : selectedMonth - 1
        case .monthEarlier: return moveFollowUp(byMonths: -1)
        case .monthLater: return moveFollowUp(byMonths: 1)
        case .startFollowUp: return startFollowUp(homeVisit: false)
        case .homeVisit:
            if screen == .checklist { return setHomeVisit(true) }
            return startFollowUp(homeVisit: true)
        case .leaveHomeVisit:
            message = "Ctrl-X och sedan H lämnar hembesöksläget, när det är på."
        case .showJournal: showJournal()
        case .showUnderlag:
            if let id = openClientID { openDocument(.underlag(clientID: id)) }
        case .toggleDone, .notApplicable, .editNote, .nextPhase, .previousPhase, .finishFollowUp, .discardFollowUp,
             .editParagraph, .newParagraph, .copyDocument, .saveDocument, .regenerateJournal:
            break
        case .newClient: openClientForm(nil)
        case .editClient: if let id = openClientID { openClientForm(id) }
        case .newDecision: if let id = openClientID { openDecisionForm(clientID: id, decisionID: nil) }
        case .editDecision: chooseDecision(.edit)
        case .editPlan: chooseDecision(.plan)
        case .performedTime: chooseDecision(.performed)
        case .closeDecision: chooseDecision(.close)
        case .offer: chooseDecision(.offer)
        case .interruption: chooseDecision(.interruption)
        case .archiveClient: askArchive()
        case .toggleArchived:
            showArchived.toggle()
            message = showArchived ? "Arkiverade personer visas (markerade A)." : "Arkiverade personer döljs."
        case .importCSV:
            prompt = Prompt(purpose: .importFile, editor: LineEditor(importFolder))
        case .nextField, .previousField, .saveForm:
            break  // a form handles its own keys (handleForm); these bindings document them
        }
        clampSelection()
        return []
    }

    /// The client of the selected row, or of the open case.
    var currentClientID: String? {
        switch screen {
        case .caseDetail, .checklist, .document: return openClientID
        case .caseload:
            let rows = caseRows
            return rows.indices.contains(selectedIndex) ? rows[selectedIndex].client.id : nil
        default: return selectedItem?.clientID
        }
    }

    mutating func show(_ target: Screen) {
        // A filter belongs to the screen it was set on: leaving the screen forgets it.
        let leaving = screen == .caseDetail ? returnScreen : screen
        if leaving != target {
            filter = LineEditor()
            reminderFilter = .overdue
            kindFilter = nil
            overviewSection = nil
        }
        if target == .overview && leaving != .overview { selection[.overview] = firstOverviewItemLine }
        screen = target
        if target != .caseDetail { returnScreen = target }
        monthOpen = false
        if target == .yearPlan { selection[.yearPlan] = selectedMonth - 1 }
    }

    mutating func open() {
        switch screen {
        case .yearPlan:
            if monthOpen {
                let entries = monthEntries(yearPlan)
                guard entries.indices.contains(selectedIndex) else { return }
                openCase(entries[selectedIndex].clientID)
            } else {
                selectedMonth = selectedIndex + 1
                monthOpen = true
                selection[.yearPlan] = 0
            }
        case .caseload:
            let rows = caseRows
            guard rows.indices.contains(selectedIndex) else { return }
            openCase(rows[selectedIndex].client.id)
        case .overview:
            if openSection == nil, let line = selectedOverviewLine {
                switch line {
                case .header:
                    guard let index = sectionIndex(ofLine: selectedIndex) else { return }
                    overviewSection = index
                    selection[.overview] = 0
                    scroll[.overview] = 0
                case .item(let item): openCase(item.clientID)
                case .booking(let clientID, _): openCase(clientID)
                }
            } else if let item = selectedItem {
                openCase(item.clientID)
            }
        case .reminders:
            if let item = selectedItem { openCase(item.clientID) }
        case .unit:
            let rows = unitRows
            guard rows.indices.contains(selectedIndex) else { return }
            // The owner is taken before the screen changes (the selection is the list's then).
            let owner = rows[selectedIndex].owner
            scopeOwner = owner
            show(.caseload)
            message = "Visar \(unit.map { $0.shortName(owner) } ?? owner):s ärenden. v växlar, R byter handläggare."
            messageIsError = false
        case .caseDetail, .welcome, .checklist, .document, .form:
            break
        }
    }

    /// Opens a case; one with a follow-up in progress opens at its checklist, where it was left.
    public mutating func openCase(_ clientID: String) {
        openClientID = clientID
        returnScreen = screen
        selection[.caseDetail] = 0
        if client(clientID)?.draft != nil {
            screen = .checklist
            message = "Pågående uppföljning: du är där du slutade. Esc visar ärendet."
        } else {
            screen = .caseDetail
        }
    }

    mutating func back() {
        if case .importReport = document, screen == .document {
            screen = .caseload
        } else if screen == .document {
            screen = openClient?.draft != nil || homeVisitActive ? .checklist : .caseDetail
            if homeVisitActive || openClient?.homeVisit == true { screen = .checklist }
        } else if screen == .checklist {
            screen = .caseDetail
        } else if screen == .caseDetail {
            screen = returnScreen
        } else if screen == .overview, let section = overviewSection {
            overviewSection = nil
            selection[.overview] = headerLine(ofSection: section)
        } else if screen == .yearPlan && monthOpen {
            monthOpen = false
            selection[.yearPlan] = selectedMonth - 1
        } else if filterActive {
            filter = LineEditor()
        } else if screen != .overview {
            show(.overview)
        }
        clampSelection()
    }

    mutating func moveSelection(by delta: Int) {
        let count = listCount
        guard count > 0 else { return }
        let next = min(count - 1, max(0, selectedIndex + delta))
        selection[screen] = next
        if screen == .yearPlan && !monthOpen { selectedMonth = next + 1 }
        keepSelectionVisible()
    }

    mutating func clampSelection() {
        let count = listCount
        selection[screen] = count == 0 ? 0 : min(count - 1, max(0, selectedIndex))
        keepSelectionVisible()
    }

    /// Scrolls the list so the selection stays on screen (`visibleRows` of the current screen).
    mutating func keepSelectionVisible() {
        let rows = max(1, listRows)
        if screen == .caseDetail {
            // A text view: the arrows scroll it directly.
            let top = min(selectedIndex, max(0, listCount - rows))
            scroll[.caseDetail] = top
            selection[.caseDetail] = top
            return
        }
        var top = scroll[screen] ?? 0
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + rows { top = selectedIndex - rows + 1 }
        scroll[screen] = max(0, min(top, max(0, listCount - rows)))
    }

    /// Rows a screen's scrolling list has (its content height less headers).
    var listRows: Int {
        switch screen {
        case .reminders: return contentHeight - 2
        case .overview: return contentHeight - 2
        case .caseload: return contentHeight - 3
        case .yearPlan: return monthOpen ? contentHeight - 3 : 12
        case .caseDetail: return caseBodyRows
        default: return contentHeight
        }
    }

    // MARK: Filter and prompt input

    mutating func handleFilter(_ key: Key) -> [Effect] {
        switch key {
        case .enter:
            filterEditing = false
        case .escape:
            filterEditing = false
            filter = LineEditor()
        default:
            filter.handle(key)
        }
        selection[screen] = 0
        scroll[screen] = 0
        clampSelection()
        return []
    }

    mutating func handlePrompt(_ key: Key) -> [Effect] {
        guard var current = prompt else { return [] }
        switch key {
        case .escape:
            prompt = nil
            message = "Avbrutet."
            return []
        case .enter:
            return submit(current)
        case .tab where current.purpose == .importFile:
            return [.completePath(current.editor.text)]
        default:
            current.editor.handle(key)
            current.error = nil
            prompt = current
            return []
        }
    }

    /// Keeps the prompt open with the reason beside it.
    mutating func reject(_ current: Prompt, _ reason: String) -> [Effect] {
        var again = current
        again.error = reason
        prompt = again
        return []
    }

    /// The prompt's text as a date, or nil with the reason beside the prompt (FieldInput's wording,
    /// the same as in the forms).
    mutating func promptDate(_ current: Prompt) -> Day? {
        do {
            return try FieldInput.date(current.editor.text, today: today, required: true)
        } catch {
            _ = reject(current, error.message)
            return nil
        }
    }

    mutating func submit(_ current: Prompt) -> [Effect] {
        let text = current.editor.text
        switch current.purpose {
        case .markDoneOn(let key):
            guard let day = promptDate(current) else { return [] }
            guard day <= today else {
                return reject(current, "Ett klar-datum kan inte ligga i framtiden.")
            }
            prompt = nil
            guard let item = items.first(where: key.matches) else { return [] }
            return markDone(item, on: day)
        case .moveTo(let key):
            guard let day = promptDate(current) else { return [] }
            prompt = nil
            guard let item = items.first(where: key.matches) else { return [] }
            return moveAsking(item, to: day)
        case .newReminderDate(let clientID):
            guard let day = promptDate(current) else { return [] }
            prompt = Prompt(purpose: .newReminderText(clientID: clientID, due: day), editor: LineEditor(),
                            label: "Ny bevakning för \(personName(clientID)) \(day), text:")
            return []
        case .checklistNote(let clientID, let entryID):
            return submitChecklistNote(current, clientID: clientID, entryID: entryID)
        case .participants(let clientID, let outcome):
            prompt = nil
            return finishFollowUp(clientID: clientID, outcome: outcome, participantsText: text)
        case .documentParagraph(let index, let insert):
            return submitParagraph(text, index: index, insert: insert)
        case .importFile:
            let path = PathInput.restarted(text.trimmingCharacters(in: .whitespaces))
            guard !path.isEmpty else { return reject(current, "Skriv sökvägen till Excel- eller CSV-filen.") }
            prompt = nil
            importing = ImportProgress(file: path, done: 0, total: 0)
            // The next import starts in this file's folder (kept across restarts).
            var effects: [Effect] = [.importFile(path: path, into: caseload, assuming: .fromStart)]
            if let slash = path.lastIndex(of: "/") {
                let folder = String(path[...slash])
                if folder != importFolder {
                    importFolder = folder
                    effects.append(.rememberImportFolder(folder))
                }
            }
            return effects
        case .saveDocument:
            let path = text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                return reject(current, "Skriv ett filnamn.")
            }
            prompt = nil
            message = "Sparar…"
            return [.writeFile(path: path, contents: documentText)]
        case .saveCopy:
            let path = text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                return reject(current, "Skriv ett filnamn, t.ex. på ett USB-minne eller i en annan mapp.")
            }
            prompt = nil
            message = "Sparar en kopia…"
            return [.saveCopy(path: path, caseload: caseload)]
        case .delayReason(let clientID, let decisionID):
            let reason = TerminalText.sanitize(text).trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { return reject(current, "Skriv skälet; IVO-rapporten är ofullständig utan det.") }
            guard reason.count <= 1000 else { return reject(current, "Skälet får vara högst 1 000 tecken.") }
            prompt = nil
            guard let index = clientIndex[clientID] else { return [] }
            return mutate("Skälet till dröjsmålet för \(personName(clientID)) är sparat; IVO-rapporten är komplett för beslutet.") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].delayReason = reason
                }
            }
        case .newReminderText(let clientID, let due):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                return reject(current, "Skriv vad bevakningen gäller.")
            }
            prompt = nil
            guard let index = clientIndex[clientID] else { return [] }
            return mutate("Bevakning för \(personName(clientID)) tillagd \(due): \(TerminalText.sanitize(trimmed)).") { caseload in
                let id = caseload.makeID("r")
                caseload.clients[index].reminders.append(Reminder(id: id, kind: .manual, due: due, text: trimmed))
            }
        }
    }

    // MARK: Changes (each saved at once, each undoable)

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
        change(item, "\(item.kind.label) för \(personName(item.clientID)) markerad klar \(day). Ångra med u.") {
            $0.status = .done
            $0.doneOn = day
        }
    }

    /// Moves the selected follow-up of the open month to the same day in another month,
    /// on a working day, warning when that is past the rule's date.
    /// The årshjul's selected follow-up as a bevakning that can be moved, or nil with the reason said.
    mutating func selectedYearPlanItem() -> DueItem? {
        guard monthOpen else {
            message = "Välj en månad med Enter och sedan en uppföljning att flytta."
            return nil
        }
        let entries = monthEntries(yearPlan)
        guard entries.indices.contains(selectedIndex) else { return nil }
        let entry = entries[selectedIndex]
        guard !entry.done else {
            message = "Uppföljningen är redan gjord."
            return nil
        }
        guard let item = openItems.first(where: { $0.clientID == entry.clientID && $0.due == entry.due
            && ($0.kind == .annualFollowUp || $0.kind == .decisionEnding) }) else {
            message = "Bara nästa planerade uppföljning kan flyttas; senare år följer av den."
            return nil
        }
        return item
    }

    mutating func moveFollowUp(byMonths months: Int) -> [Effect] {
        guard let item = selectedYearPlanItem() else { return [] }
        return moveAsking(item, to: WorkingDays.onOrBefore(item.due.adding(months: months)))
    }

    /// Moves an item, asking first when the day has passed or lies after the rule's date.
    mutating func moveAsking(_ item: DueItem, to day: Day) -> [Effect] {
        if day < today {
            pendingMove = PendingMove(key: ItemKey(item), day: day, ruleDue: item.ruleDue ?? item.due)
            choice = Choice(purpose: .confirmMove,
                            title: "\(item.kind.label) för \(personName(item.clientID)): \(day) har redan passerat "
                                + "(idag är \(today)). Flytta ändå dit?",
                            options: ["Nej, behåll \(item.due)", "Ja, flytta till \(day) (ett passerat datum)"])
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
        pendingMove = PendingMove(key: ItemKey(item), day: day, ruleDue: ruleDue)
        choice = Choice(purpose: .confirmMove,
                        title: "\(item.kind.label) för \(personName(item.clientID)): regeln säger senast \(ruleDue). "
                            + "Flytta ändå till \(day)?",
                        options: ["Nej, behåll \(item.due)", "Ja, flytta till \(day) (efter regelns datum)"])
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
        if screen == .yearPlan && monthOpen && day.year == year {
            selectedMonth = day.month
            let moved = monthEntries(yearPlan)
            selection[.yearPlan] = moved.firstIndex { $0.clientID == item.clientID } ?? 0
            keepSelectionVisible()
        }
        return effects
    }
}

import Foundation
