import BevakaDomain

/// What an answer to a question (`Choice`) does: the question carries one per option and one for
/// Esc, set where it is asked, so answering needs to know nothing about who asked.
public indirect enum Answer: Equatable, Sendable {
    /// Only a message on the status line (no, not now, cancelled).
    case say(String)
    /// Nothing at all.
    case nothing
    /// A follow-up: its trigger is chosen, now how it is done.
    case askFollowUpForm(clientID: String, trigger: FollowUpTrigger, reminderID: String?, homeVisit: Bool)
    /// A follow-up begins: a draft is made and the checklist opens.
    case startFollowUp(clientID: String, trigger: FollowUpTrigger, form: FollowUpForm, reminderID: String?, homeVisit: Bool)
    /// Finishing: what came of the follow-up.
    case askOutcome(clientID: String)
    /// The outcome is chosen: who took part.
    case askParticipants(clientID: String, outcome: FollowUpOutcome)
    /// The follow-up is finished (and a later booking ended, or not).
    case finishFollowUp(clientID: String, outcome: FollowUpOutcome, participants: String, endLaterBooking: Bool)
    /// The follow-up begun is thrown away.
    case discardFollowUp(clientID: String)
    /// The open form's changes are thrown away.
    case discardForm
    /// The decision a change (end, plan, performed …) applies to is chosen.
    case decisionAction(DecisionAction, clientID: String, decisionID: String)
    case closeDecision(clientID: String, decisionID: String, day: Day)
    case archive(clientID: String, archived: Bool)
    /// Quitting with unsaved changes: try again, save a copy, or quit and lose them.
    case retrySaveAndQuit
    case askCopyPath(unsaved: [String])
    case quitLosingChanges
    /// A booking on a day off: back to the form's date.
    case bookAnotherDay
    /// A booking is kept as it is (asked about a day off first, when it is one).
    case book(Booking, clientID: String, fromChecklist: Bool, dayOffAsked: Bool)
    /// A date the user moved an item to, confirmed.
    case move(PendingMove)
    case resolveFormConflict([FormConflict], keepMine: Bool)
    /// The checklist answer being written is saved over the colleague's.
    case saveNoteOverColleague(TextEditing)
    /// Back to the checklist answer being written (nothing of it lost).
    case resumeNote(TextEditing)
    case markIVOSent(Quarter)
    case reassign(clientID: String, to: String)
    case gallra(ids: [String])
    /// The unit manager opens a protected person's case, for the purpose given.
    case openWithPurpose(clientID: String, purpose: String)
}

extension AppState {
    /// The open question's answer to `key`: the question closes and its answer is carried out.
    mutating func handleChoice(_ key: Key) -> [Effect] {
        guard var current = choice else { return [] }
        guard let answer = current.handle(key) else {
            put(.choice(current))
            return []
        }
        dismiss(.choice)
        return carryOut(answer)
    }

    mutating func carryOut(_ answer: Answer) -> [Effect] {
        switch answer {
        case .say(let text):
            message = text
            return []
        case .nothing:
            return []
        case .askFollowUpForm(let clientID, let trigger, let reminderID, let homeVisit):
            askFollowUpForm(clientID: clientID, trigger: trigger, reminderID: reminderID, homeVisit: homeVisit)
            return []
        case .startFollowUp(let clientID, let trigger, let form, let reminderID, let homeVisit):
            return startFollowUp(clientID: clientID, trigger: trigger, form: form, reminderID: reminderID, homeVisit: homeVisit)
        case .askOutcome(let clientID):
            askOutcome(clientID)
            return []
        case .askParticipants(let clientID, let outcome):
            askParticipants(clientID: clientID, outcome: outcome)
            return []
        case .finishFollowUp(let clientID, let outcome, let participants, let endLaterBooking):
            return finishFollowUp(clientID: clientID, outcome: outcome, participantsText: participants, endLaterBooking: endLaterBooking)
        case .discardFollowUp(let clientID):
            return discardFollowUp(clientID)
        case .discardForm:
            closeForm()
            message = "Ändringarna är inte sparade."
            return []
        case .decisionAction(let action, let clientID, let decisionID):
            startDecisionAction(action, clientID: clientID, decisionID: decisionID)
            return []
        case .closeDecision(let clientID, let decisionID, let day):
            return closeDecision(clientID: clientID, decisionID: decisionID, on: day)
        case .archive(let clientID, let archived):
            return setArchived(clientID: clientID, archived)
        case .retrySaveAndQuit:
            message = "Försöker spara igen …"
            quitting = true
            return [.quit]
        case .askCopyPath(let unsaved):
            put(.prompt(Prompt(purpose: .saveCopy(unsaved: unsaved), editor: LineEditor("~/bevaka-kopia.json"))))
            return []
        case .quitLosingChanges:
            quitting = true
            return [.quitDiscarding]
        case .bookAnotherDay:
            bookAnotherDay()
            return []
        case .book(let booking, let clientID, let fromChecklist, let dayOffAsked):
            if dayOffAsked {
                form = nil
                return saveBooking(booking, clientID: clientID, fromChecklist: fromChecklist)
            }
            return confirmOrSaveBooking(booking, clientID: clientID, fromChecklist: fromChecklist)
        case .move(let pending):
            guard let item = items.first(where: pending.key.matches) else {
                message = "Inte flyttad: bevakningen finns inte längre."
                return []
            }
            return move(item, to: pending.day)
        case .resolveFormConflict(let conflicts, let keepMine):
            return resolveFormConflict(conflicts, keepMine: keepMine)
        case .saveNoteOverColleague(let pending):
            put(.textEditor(pending))
            return saveTextEditor(pending.editor.text, checked: true)
        case .resumeNote(let pending):
            put(.textEditor(pending))
            message = "Fortsätt skriva; Ctrl-S sparar."
            return []
        case .markIVOSent(let quarter):
            return markIVOSent(quarter)
        case .reassign(let clientID, let role):
            message = "Byter handläggare …"
            messageIsError = false
            return [.reassign(clientID: clientID, to: role)]
        case .gallra(let ids):
            message = "Gallrar \(ids.count == 1 ? "1 person" : "\(ids.count) personer") …"
            return [.gallra(ids: ids)]
        case .openWithPurpose(let clientID, let purpose):
            openPurposes[clientID] = purpose
            openCase(clientID)
            message = "Öppningen loggas med syftet \"\(purpose)\" och granskas i loggkontrollen."
            messageIsError = false
            return []
        }
    }
}
