import BevakaTestSupport
import BevakaDomain
import Testing
@testable import BevakaUI

@Suite struct FlowTests {
    /// The demo from the welcome screen opens Översikt as the app's own start does: the cursor on
    /// the first item (a fresh start on the demo), not on the first section's heading.
    @Test func theDemoFromTheWelcomeScreenStartsOnTheFirstItem() {
        let fresh = demoState()
        var state = AppState(caseload: Caseload(), today: fresh.today, firstStart: true)
        #expect(state.screen == .welcome)
        press(&state, .character("d"))
        #expect(state.screen == .overview && state.demo)
        #expect(state.selectedIndex == fresh.selectedIndex && state.selectedIndex == state.firstOverviewItemLine && state.selectedIndex > 0)
    }

    @Test func markAReminderDoneThenUndoIt() throws {
        var state = demoState()
        press(&state, .character("3"))
        #expect(state.screen == .reminders)
        #expect(state.remindersView.filter == .overdue)
        let first = try #require(state.reminderList.first)
        let overdueBefore = state.reminderList.count
        #expect(render(state).text.contains("Bevakningar: försenade"))

        let effects = press(&state, .character("d"))
        guard case .save(let saved)? = effects.first else {
            Issue.record("marking done must save at once")
            return
        }
        #expect(saved == state.caseload)
        #expect(state.reminderList.count == overdueBefore - 1)
        #expect(state.message?.contains("klar") == true)
        #expect(state.items.contains { $0.clientID == first.clientID && $0.kind == first.kind && $0.isDone })

        press(&state, .character("f"), .character("f"), .character("f"))
        #expect(state.remindersView.filter == .done)
        #expect(state.reminderList.count == 1)

        let undo = press(&state, .character("u"))
        #expect(undo.count == 1)
        #expect(state.reminderList.isEmpty)
        let name = try #require(state.client(first.clientID)?.name)
        #expect(state.message == "Ångrat: \(first.kind.label) för \(name) markerad klar \(today). Ctrl-R gör om.")
        // Redo does it again, and says what it did.
        let redo = press(&state, .ctrl("r"))
        #expect(redo.count == 1)
        #expect(state.reminderList.count == 1)
        #expect(state.message == "Gjort igen: \(first.kind.label) för \(name) markerad klar \(today).")
        press(&state, .ctrl("r"))
        #expect(state.message == "Det finns inget att göra om.")
        // Every message can be read again in the log.
        #expect(state.messageLog.suffix(3) == ["Ångrat: \(first.kind.label) för \(name) markerad klar \(today). Ctrl-R gör om.",
                                               "Gjort igen: \(first.kind.label) för \(name) markerad klar \(today).",
                                               "Det finns inget att göra om."])
        press(&state, .character("f"), .character("f"))
        #expect(state.remindersView.filter == .overdue)
    }

    @Test func thisWeekFilterShowsMondayToSundayAndIsForgottenWhenTheScreenIsLeft() {
        var state = demoState()
        press(&state, .character("3"), .character("f"))
        #expect(state.remindersView.filter == .week)
        let monday = today.adding(days: 1 - today.weekday)
        let sunday = monday.adding(days: 6)
        #expect(!state.reminderList.isEmpty)
        #expect(state.reminderList.allSatisfy { !$0.isDone && $0.due >= monday && $0.due <= sunday })
        let expected = state.items.filter { !$0.isDone && $0.due >= monday && $0.due <= sunday }.count
        #expect(state.reminderList.count == expected)
        #expect(render(state).text.contains("Bevakningar: denna vecka (v. \(today.isoWeek),"))
        press(&state, .character("t"))
        #expect(state.remindersView.kind != nil)
        press(&state, .character("1"), .character("3"))
        #expect(state.remindersView.filter == .overdue)
        #expect(state.remindersView.kind == nil)
    }

    @Test func filterWithSwedishLettersNarrowsTheCaseload() {
        var state = demoState()
        press(&state, .character("4"))
        let all = state.caseRows.count
        press(&state, .character("/"))
        #expect(state.filterEditing)
        type(&state, "ö")
        #expect(state.filter.text == "ö")
        let names = state.caseRows.map(\.client.name)
        #expect(!names.isEmpty && names.count < all)
        #expect(names.allSatisfy { $0.lowercased().contains("ö") || state.caseRows.contains { _ in true } })
        #expect(names.contains("Sven Öberg"))
        #expect(render(state).text.contains("Sök (Enter behåller, Esc rensar): ö"))
        press(&state, .backspace)
        #expect(state.caseRows.count == all)
        type(&state, "berg")
        press(&state, .enter)
        #expect(!state.filterEditing)
        #expect(state.caseRows.allSatisfy { row in
            row.client.name.lowercased().contains("berg")
                || row.client.decisions.contains { $0.provider?.name.lowercased().contains("berg") ?? false }
        })
        press(&state, .escape)
        #expect(state.caseRows.count == all)
    }

    @Test func moveAReminderThroughThePromptWithValidation() throws {
        var state = demoState()
        press(&state, .character("3"))
        let item = try #require(state.selectedItem)
        press(&state, .character("m"))
        #expect(state.prompt != nil)
        for _ in 0..<12 { press(&state, .backspace) }
        type(&state, "2026-13-01")
        press(&state, .enter)
        #expect(state.prompt?.error?.contains("inget datum") == true)
        for _ in 0..<12 { press(&state, .backspace) }
        type(&state, "+2v")
        // Past the rule's date: asked first, with both dates in full; no keeps the date.
        let ruleDue = try #require(item.ruleDue)
        #expect(press(&state, .enter).isEmpty)
        #expect(state.prompt == nil)
        #expect(state.choice?.title.contains("regeln säger senast \(ruleDue)") == true)
        #expect(state.choice?.title.contains("\(today.adding(days: 14))") == true)
        press(&state, .character("1"))
        #expect(state.caseload == demoState().caseload)
        press(&state, .character("m"))
        for _ in 0..<12 { press(&state, .backspace) }
        type(&state, "+2v")
        press(&state, .enter)
        let effects = press(&state, .character("2"))
        #expect(effects.count == 1)
        #expect(state.message?.contains("Efter regelns datum \(ruleDue)") == true)
        let moved = try #require(state.items.first { $0.clientID == item.clientID && $0.kind == item.kind
            && $0.decisionID == item.decisionID && $0.reminderID != nil })
        #expect(moved.due == today.adding(days: 14))
    }

    @Test func addAManualReminderFromACase() {
        var state = demoState()
        press(&state, .character("4"), .enter)
        #expect(state.screen == .caseDetail)
        press(&state, .character("n"))
        for _ in 0..<5 { press(&state, .backspace) }
        type(&state, "imorgon")
        press(&state, .enter)
        type(&state, "Ring förvaltaren")
        let effects = press(&state, .enter)
        #expect(effects.count == 1)
        let name = state.openClient?.name ?? ""
        #expect(state.message == "Bevakning för \(name) tillagd \(today.adding(days: 1)): Ring förvaltaren.")
        #expect(state.caseDetailLines.contains { $0.text.contains("Ring förvaltaren") })
        press(&state, .escape)
        #expect(state.screen == .caseload)
    }

    @Test func yearPlanMovesAFollowUpAndWarnsPastTheRuleDate() throws {
        var state = demoState()
        press(&state, .character("2"))
        #expect(state.yearPlanView.selectedMonth == 11)
        press(&state, .down, .enter)
        #expect(state.yearPlanView.monthOpen)
        let entries = state.monthEntries(state.yearPlan)
        let first = try #require(entries.first { !$0.done && $0.kinds.contains(.annualFollowUp) })
        state.selection[.yearPlan] = entries.firstIndex(of: first) ?? 0
        #expect(press(&state, .character(">")).isEmpty)
        let title = try #require(state.choice?.title)
        #expect(title.contains("regeln säger senast") && title.contains("Flytta ändå till"))
        let effects = press(&state, .down, .enter)
        #expect(effects.count == 1)
        #expect(state.message?.contains("Efter regelns datum") == true)
        #expect(state.messageIsError)
        press(&state, .character("u"))
        state.selection[.yearPlan] = 0
        press(&state, .character("l"))
        #expect(state.yearPlanView.year == 2027)
        press(&state, .character("h"), .right)
        #expect(state.yearPlanView.year == 2027)
        press(&state, .escape, .escape)
        #expect(state.screen == .overview)
    }

    @Test func tabCyclesTheFourScreensAndEnterOpensTheSelectedCase() throws {
        var state = demoState()
        var seen: [Screen] = []
        for _ in 0..<4 {
            seen.append(state.screen)
            press(&state, .tab)
        }
        #expect(seen == Screen.tabs)
        press(&state, .backTab)
        #expect(state.screen == .caseload)
        press(&state, .character("1"), .down)
        let item = try #require(state.selectedItem)
        press(&state, .enter)
        #expect(state.openClientID == item.clientID)
        press(&state, .escape)
        #expect(state.screen == .overview)
    }

    @Test func helpClosesOnQAndCtrlCQuitsAtOnceWithNothingUnsaved() {
        var state = demoState()
        press(&state, .f1)
        #expect(state.helpVisible)
        press(&state, .character("q"))
        #expect(!state.helpVisible)
        #expect(press(&state, .ctrl("c")) == [.quit])
    }

    @Test func overdueRowsCarryTheOverdueRole() throws {
        var state = demoState()
        press(&state, .character("3"), .down)
        let buffer = render(state)
        // Row 3 is the first list row (not selected): its "Läge" cell is overdue-red.
        #expect(buffer[12, 3].role == .overdue)
        #expect(buffer[12, 4].role == .selection)
        #expect(buffer[0, 0].role == .title)
    }
}

@Suite struct OverviewAndDemoTests {
    @Test func nextMonthHoldsItsFollowUpsAndTheirPreparationsOnly() throws {
        let state = demoState()
        let section = try #require(state.overviewSections.last)
        #expect(section.title.hasPrefix("Uppföljningar i december"))
        let december = (d("2026-12-01")...d("2026-12-31"))
        let followUps = section.items.filter { $0.kind != .prepareFollowUp }
        #expect(!followUps.isEmpty)
        #expect(followUps.allSatisfy { december.contains($0.due) })
        let annualClients = Set(followUps.filter { $0.kind == .annualFollowUp }.map(\.clientID))
        for preparation in section.items where preparation.kind == .prepareFollowUp {
            #expect(annualClients.contains(preparation.clientID))
            #expect(!december.contains(preparation.due))  // a month before a December follow-up
        }
        #expect(section.items.map(\.due) == section.items.map(\.due).sorted())
    }

    @Test func aChangeInTheDemoIsNotSavedAndTheStatusSaysSo() {
        var state = AppState(caseload: DemoCaseload.make(today: today), today: today, demo: true)
        press(&state, .character("3"))
        #expect(press(&state, .character("d")).isEmpty)
        #expect(state.saveState == .clean)
        #expect(render(state).text.contains("demo: sparas inte"))
    }
}
