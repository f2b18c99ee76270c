import BevakaDomain
import BevakaStore
import Foundation

/// The key table's commands carried out, and moving between screens and rows.
extension AppState {
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
            push(.filter)
            filterFresh = !filter.text.isEmpty
        case .help:
            push(.help(scroll: 0))
        case .messageLog:
            push(.messageLog(scroll: 0))
            scrollOverlay(to: max(0, messageLogLines.count - helpRows))
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
               (decision.delayReason ?? "").isEmpty, decision.postponedOn == nil || item.kind == .interrupted {
                put(.prompt(Prompt(purpose: .delayReason(clientID: item.clientID, decisionID: decisionID), editor: LineEditor(),
                                label: "Skäl till att \(decision.service) för \(personName(item.clientID)) inte är verkställt (till IVO):")))
                return []
            }
            // "Har insatsen startat?": the day it started is asked (today proposed); Esc if it has not.
            if !item.isDone, item.kind == .startCheck, let decisionID = item.decisionID,
               let decision = client(item.clientID)?.decisions.first(where: { $0.id == decisionID }) {
                put(.prompt(Prompt(purpose: .markDoneOn(ItemKey(item)), editor: LineEditor("idag"),
                                label: "Dagen \(decision.service) för \(personName(item.clientID)) startade (Verkställt, \(DateInput.hint); Esc om den inte har startat):")))
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
            put(.prompt(Prompt(purpose: .markDoneOn(ItemKey(item)), editor: LineEditor("idag"))))
        case .moveDate:
            guard let item = screen == .yearPlan ? selectedYearPlanItem() : selectedItem else { return [] }
            put(.prompt(Prompt(purpose: .moveTo(ItemKey(item)), editor: LineEditor(item.due.description))))
        case .cyclePriority:
            guard let item = selectedItem else { return [] }
            let next: Priority = item.priority == .normal ? .high : item.priority == .high ? .low : .normal
            return change(item, "\(item.kind.label) för \(personName(item.clientID)): prioritet \(next.label).") {
                $0.priority = next
            }
        case .newReminder:
            guard let clientID = currentClientID else { return [] }
            put(.prompt(Prompt(purpose: .newReminderDate(clientID: clientID), editor: LineEditor("+1v"),
                            label: "Ny bevakning för \(personName(clientID)), datum (\(DateInput.hint)):")))
        case .cycleReminderFilter: cycleReminderFilter()
        case .cycleScope:
            cycleScope()
        case .cycleKindFilter: cycleKindFilter()
        case .toggleSort: caseloadView.sort = caseloadView.sort == .name ? .nextDue : .name
        case .previousYear: showYear(yearPlanView.year - 1)
        case .nextYear: showYear(yearPlanView.year + 1)
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
        case .toggleArchived: toggleArchived()
        case .importCSV:
            put(.prompt(Prompt(purpose: .importFile, editor: LineEditor(importFolder))))
        case .nextField, .previousField, .saveForm:
            break  // a form handles its own keys (handleForm); these bindings document them
        }
        clampSelection()
        return []
    }

    /// The client of the selected row, or of the open case.
    var currentClientID: String? { screen.unit.currentClientID(self) }

    mutating func show(_ target: Screen) {
        // A filter belongs to the screen it was set on: leaving the screen forgets it.
        let leaving = screen == .caseDetail ? returnScreen : screen
        if leaving != target {
            filter = LineEditor()
            remindersView.filter = .overdue
            remindersView.kind = nil
            overviewView.section = nil
        }
        if target == .overview && leaving != .overview { selection[.overview] = firstOverviewItemLine }
        screen = target
        if target != .caseDetail { returnScreen = target }
        yearPlanView.monthOpen = false
        if target == .yearPlan { selection[.yearPlan] = yearPlanView.selectedMonth - 1 }
    }

    mutating func open() {
        screen.unit.enter(&self)
    }

    /// Opens a case; one with a follow-up in progress opens at its checklist, where it was left.
    public mutating func openCase(_ clientID: String) {
        // The manager opening a protected person's case says why first; the log keeps the purpose
        // as the database's own word, and the loggkontroll flags the opening.
        if unit?.kind == .chef, client(clientID)?.protectedIdentity == true, openPurposes[clientID] == nil {
            push(.choice(Choice("\(personName(clientID)) har skyddade personuppgifter: varför öppnar du ärendet? "
                                + "Öppningen loggas och granskas i loggkontrollen.", AppState.openPurposeWords.map {
                                Choice.Option($0.prefix(1).uppercased() + $0.dropFirst(), .openWithPurpose(clientID: clientID, purpose: $0))
                            })))
            return
        }
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
        } else if screen == .overview, let section = overviewView.section {
            overviewView.section = nil
            selection[.overview] = headerLine(ofSection: section)
        } else if screen == .yearPlan && yearPlanView.monthOpen {
            yearPlanView.monthOpen = false
            selection[.yearPlan] = yearPlanView.selectedMonth - 1
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
        if screen == .yearPlan && !yearPlanView.monthOpen { yearPlanView.selectedMonth = next + 1 }
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
    var listRows: Int { screen.unit.listRows(self) }
}
