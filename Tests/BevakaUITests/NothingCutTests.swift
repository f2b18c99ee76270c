import BevakaTestSupport
import BevakaDomain
import Testing
@testable import BevakaUI

/// Issue 13: nothing that matters is cut. At 80 columns no status message, warning or help line
/// ends in "…": render, then look for the ellipsis in those rows.
@Suite struct NothingCutTests {
    /// The status rows (the status line and the lines a long message wraps onto above it) and the footer.
    func bottomRows(_ buffer: CellBuffer) -> [String] {
        let lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var top = buffer.height - 2
        while top > 1 && [Role.statusBar, .warning, .error].contains(buffer[0, top - 1].role) { top -= 1 }
        return Array(lines[top..<buffer.height])
    }

    @Test func longMessagesWrapToASecondStatusLine() throws {
        let messages = [
            // A theme file with a typo, as TerminalApp reports it.
            "Temat /home/handlaggare/.config/bevaka/themes/mitt-tema.json kan inte användas: rad 7: okänd färg \"blå-grön\" för rollen overdue (kända: black, red, green, yellow, blue, magenta, cyan, white, default). Standardtemat används.",
            // A move past the rule's date.
            "Förbered uppföljning för Astrid Nilsson flyttad till 2027-02-22. Efter regelns datum 2026-09-18. Obs: söndag är ingen arbetsdag.",
            "Checklistorna i /home/handlaggare/.config/bevaka/checklists.json kan inte användas: rad 12, kolumn 5: oväntat tecken. De inbyggda checklistorna används.",
        ]
        for message in messages {
            var state = demoState()
            state.message = message
            state.messageIsError = true
            let rows = bottomRows(render(state))
            #expect(!rows.joined().contains("…"), "cut: \(rows)")
            // Every word of the message is on the screen.
            let shown = rows.joined(separator: " ")
            for word in message.split(separator: " ") where word.count > 3 {
                #expect(shown.contains(word), "\(word) is missing from \(rows)")
            }
        }
        // A save that failed keeps saying so beside a long message, and alone it is said whole.
        var failing = demoState()
        failing.saveState = .failed("disken är full: /home/handlaggare/.local/share/bevaka/caseload.json")
        let alone = bottomRows(render(failing)).joined(separator: " ")
        #expect(!alone.contains("…") && alone.contains("caseload.json") && alone.contains("försöker igen"))
        failing.message = messages[1]
        let both = bottomRows(render(failing)).joined(separator: " ")
        #expect(!both.contains("…") && both.contains("KUNDE INTE SPARA") && both.contains("2026-09-18"))
    }

    @Test func everyMessageCanBeReadAgainInTheLog() {
        var state = demoState()
        for index in 0..<60 {
            state.message = nil
            _ = reduce(&state, .fileFailed("Meddelande nummer \(index)."))
        }
        #expect(state.messageLog.count == 50)
        #expect(state.messageLog.first == "Meddelande nummer 10." && state.messageLog.last == "Meddelande nummer 59.")
        press(&state, .character("L"))
        #expect(state.messageLogVisible)
        let text = render(state).text
        #expect(text.contains("Meddelande nummer 59.") && text.contains("(de senaste 50, äldst först)"))
        press(&state, .character("x"))
        #expect(state.messageLogVisible)
        press(&state, .escape)
        #expect(!state.messageLogVisible)
    }

    @Test(arguments: [Screen.overview, .yearPlan, .reminders, .caseload, .caseDetail, .checklist, .form])
    func noHelpLineIsCutAt80Columns(screen: Screen) throws {
        var state = demoState()
        switch screen {
        case .yearPlan: press(&state, .character("2"))
        case .reminders: press(&state, .character("3"))
        case .caseload: press(&state, .character("4"))
        case .caseDetail: press(&state, .character("4"), .enter)
        case .checklist: press(&state, .character("4"), .enter, .character("F"), .enter, .enter)
        case .form: press(&state, .character("4"), .enter, .character("b"))
        default: break
        }
        #expect(state.screen == screen)
        press(&state, screen == .form ? .f1 : .character("?"))
        #expect(state.helpVisible)
        var seen = Set<String>()
        var previous = -1
        // Page through to the end; every row of every page is whole.
        while state.overlayScroll != previous {
            previous = state.overlayScroll
            let lines = render(state).text.split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines[1..<(state.height - 1)] {
                #expect(!line.contains("…"), "help line cut: \(line)")
                seen.insert(String(line))
            }
            press(&state, .pageDown)
        }
        // What the table says is all there: each binding's help text appears whole on some page.
        let text = seen.joined(separator: "\n")
        for line in state.helpLines where !line.text.isEmpty {
            #expect(text.contains(line.text), "missing: \(line.text)")
        }
        #expect(state.helpLines.allSatisfy { TerminalText.width($0.text) + state.helpKeyWidth + 3 <= 80 })
    }

    @Test func theSelectedChecklistItemAndAFieldsErrorAreShownWhole() throws {
        var state = demoState()
        let id = try #require(state.caseload.clients.first { $0.name == "Astrid Nilsson" }?.id)
        state.openCase(id)
        press(&state, .character("F"), .enter, .enter)
        // Walk every item of every phase: the item's whole text is on the screen when selected.
        for _ in 0..<3 {
            for _ in 0..<state.phaseEntries.count {
                let entry = try #require(state.selectedEntry)
                let screen = render(state).text.replacingOccurrences(of: "\n ", with: " ")
                #expect(screen.contains(entry.template.text), "cut: \(entry.template.text)")
                press(&state, .down)
            }
            press(&state, .tab)
        }
        // A form field's error, whole, under the fields.
        var form = demoState()
        form.openCase(id)
        press(&form, .character("b"), .tab, .tab)
        type(&form, "2026-02-30")
        press(&form, .tab)
        let error = try #require(form.form?.fields.first { $0.error != nil }?.error)
        let text = render(form).text.replacingOccurrences(of: "\n ", with: " ")
        #expect(text.contains(error))
    }
}
