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
    /// The copy could not be written; `unsaved` are asked about again.
    case copyFailed(String, unsaved: [String])
    /// Another handläggare saved a change to a person; `time` is when, as HH:MM.
    case changedElsewhere(ChangedElsewhere, time: String)
    /// Who the user is in the unit, read again (a cover began or ended, a case moved).
    case unitChanged(UnitContext)
    /// A handläggarbyte was made (or refused, with the reason).
    case reassigned(clientID: String, to: String, error: String?)
    /// A gallring the user confirmed is done: `ids` were removed (an error: none were).
    case gallrad(ids: [String], outside: String?, error: String?)
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
    case saveCopy(path: String, caseload: Caseload, unsaved: [String])
    /// Move a case to another handläggare (shared store, unit manager).
    case reassign(clientID: String, to: String)
    /// Open the text in the user's own editor ($VISUAL, $EDITOR, nano, vi) and bring it back.
    case editExternally(String)
    /// List what in the folder of a typed path starts like it (folders end with /).
    case completePath(String)
    /// Remember the folder an import was read from, for the next import (also after a restart).
    case rememberImportFolder(String)
    /// Remove these people for good (gallring), everywhere the store keeps them; the user said yes.
    case gallra(ids: [String])
    /// The user opened a person's full case (`what`: which screen of it): the shared store's
    /// access log records it. Returned by `reduce` whenever the case on the screen changes.
    case recordOpen(clientID: String, what: String)
}

/// The whole app's behaviour: a pure function of state and action.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    let before = state.message
    let viewedBefore = state.viewedCase?.clientID
    var effects = reduceChecked(&state, action)
    // Every opening of a person's full case is logged: leaving the case and coming back is a new one.
    if let viewed = state.viewedCase, viewed.clientID != viewedBefore {
        effects.append(.recordOpen(clientID: viewed.clientID, what: viewed.what))
    }
    // Every new message goes to the log (`L`), masked like the status line shows it.
    if let message = state.message, message != before {
        state.messageLog.append(TerminalText.maskPersonalNumbers(message))
        if state.messageLog.count > 50 { state.messageLog.removeFirst(state.messageLog.count - 50) }
    }
    return effects
}

func reduceChecked(_ state: inout AppState, _ action: Action) -> [Effect] {
    // The unit manager's view is planning data: nothing in it may be changed from the app. The
    // key table says which keys change a case; those are refused before anything happens.
    guard state.readOnly, case .key(let key) = action else { return reduceAction(&state, action) }
    if state.overlays.isEmpty, state.screen != .form, let binding = KeyMap.binding(for: key, in: state.keyContext),
       binding.changes {
        state.message = AppState.readOnlyWords
        state.messageIsError = true
        return []
    }
    // And whatever a key reached, the view's caseload is not changed by it (the database refuses
    // such a save anyway): a change that got through is undone, with the same words.
    let before = state
    let effects = reduceAction(&state, action)
    guard state.caseload != before.caseload else { return effects }
    state = before
    state.message = AppState.readOnlyWords
    state.messageIsError = true
    return []
}

extension AppState {
    static let readOnlyWords = "Enhetschefens vy är bara för planering; ärendet ändras av handläggaren."
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
        if var progress = state.importing {
            progress.done = done
            progress.total = total
            state.put(.importing(progress))
        }
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
    case .gallrad(let ids, let outside, let error):
        state.takeGallrad(ids: ids, outside: outside, error: error)
        return []
    case .storeNotice(let text):
        state.message = TerminalText.sanitize(text)
        state.messageIsError = false
        return []
    case .externalEdit(let text, let error):
        return state.takeExternalEdit(text: text, error: error)
    case .copyFailed(let reason, let unsaved):
        state.message = reason + " Välj igen: försök spara, spara en kopia någon annanstans eller avsluta."
        state.messageIsError = true
        state.askBeforeLosingChanges(reason: nil, unsavedClientIDs: unsaved)
        return []
    }
}

extension AppState {
    mutating func handle(_ key: Key) -> [Effect] {
        // Ctrl-C quits from everywhere but text entry, also from help and the welcome screen,
        // which do not dispatch through the key table (where it is listed for the help screen).
        if key == .ctrl("c") && !overlays.contains(where: \.takesText) { return quit() }
        if importing != nil { return [] }  // the import is running; it takes seconds at most
        // The top overlay takes the key; with none, the screen does.
        switch overlays.last?.kind {
        case .textEditor?: return handleTextEditor(key)
        case .prompt?: return handlePrompt(key)
        case .choice?: return handleChoice(key)
        case .importPreview?: return handleImportPreview(key)
        case .filter?: return handleFilter(key)
        case .help?: return handleHelp(key)
        case .messageLog?: return handleMessageLog(key)
        case .leaveHomeVisit?: return answerLeaveHomeVisit(key)
        case .importing?, nil: break
        }
        if form != nil && screen == .form { return handleForm(key) }
        message = nil
        messageIsError = false
        if homeVisitActive {
            if let effects = handleHomeVisitKey(key) { return effects }
            guard let binding = KeyMap.binding(for: key, in: keyContext) else { return [] }
            guard binding.homeVisit else {
                message = "Hembesöksläge: lämna det med Ctrl-X och sedan H."
                return []
            }
            // Esc on the checklist: hembesöksläge has nowhere else to go.
            if binding.when == .away && !meets(.away) { return [] }
            return perform(binding.command)
        }
        if screen == .welcome {
            // No caseload yet: read a list, add a person, or try the demo — from here (issue 35, item 12).
            switch key {
            case .character("q"), .escape: return quit()
            case .character("?"), .f1: push(.help(scroll: 0))
            case .character("i"): return perform(.importCSV)
            case .character("a"): return perform(.newClient)
            case .character("d"):
                demo = true
                caseload = DemoCaseload.make(today: today)
                // As any arrival on Översikt: the cursor on its first item, not its first line.
                show(.overview)
                message = "Demo: påhittade ärenden, ingenting sparas. Starta om Bevaka för din egen lista."
                messageIsError = false
            default:
                message = "Tryck i för att läsa in en lista, a för att lägga till en person eller d för demo."
                messageIsError = false
            }
            return []
        }
        guard let command = KeyMap.command(for: key, in: keyContext) else { return [] }
        return perform(command)
    }

    /// The keys that act now: on the Översikt with a section open, the section's.
    public var keyContext: KeyContext {
        screen.unit.keyContext(self)
    }

    /// Help scrolls with the list keys and closes only with ?, Esc or q (any other key stays).
    mutating func handleHelp(_ key: Key) -> [Effect] {
        switch key {
        case .character("?"), .f1, .escape, .character("q"):
            dismiss(.help)
        default:
            scrollPage(key, lines: helpLines.count)
        }
        return []
    }

    /// The message log scrolls like help and closes with L, Esc or q.
    mutating func handleMessageLog(_ key: Key) -> [Effect] {
        switch key {
        case .character("L"), .escape, .character("q"): dismiss(.messageLog)
        default: scrollPage(key, lines: messageLogLines.count)
        }
        return []
    }

    /// ↑/↓ (k/j), PgUp/PgDn (and Space), Home/End (g/G) scroll the top overlay that scrolls (help,
    /// the message log, the import preview) over `lines` lines. Returns false for any other key.
    @discardableResult
    mutating func scrollPage(_ key: Key, lines: Int) -> Bool {
        let page = max(1, helpRows - 1)
        var top = overlayScroll
        switch key {
        case .up, .character("k"): top -= 1
        case .down, .character("j"): top += 1
        case .pageUp: top -= page
        case .pageDown, .character(" "): top += page
        case .home, .character("g"): top = 0
        case .end, .character("G"): top = Int.max / 2
        default: return false
        }
        scrollOverlay(to: max(0, min(top, max(0, lines - helpRows))))
        return true
    }

    mutating func quit() -> [Effect] {
        quitting = true
        return [.quit]
    }
}
