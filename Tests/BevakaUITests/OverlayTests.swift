import BevakaDomain
import BevakaTestSupport
import Testing
@testable import BevakaUI

/// What is open over the screen is one stack: the key goes to its top, the drawing follows it,
/// and each overlay keeps its own scroll.
@Suite struct OverlayTests {
    @Test func helpOverAFormTakesTheKeysAndLeavesTheFormAsItWas() throws {
        var state = demoState(width: 64, height: 16)
        let sven = try #require(state.caseload.clients.first { $0.name == "Sven Öberg" })
        state.openCase(sven.id)
        press(&state, .character("e"))
        type(&state, "x")
        let typed = try #require(state.form)
        press(&state, .f1)
        #expect(state.overlays.map(\.kind) == [.help])
        #expect(render(state).text.contains("Hjälp – ? Esc q stänger"))
        // j scrolls the help; it types nothing into the form.
        press(&state, .character("j"), .character("j"))
        #expect(state.overlayScroll == 2)
        #expect(state.form == typed)
        press(&state, .escape)
        #expect(state.overlays.isEmpty && state.screen == .form && state.form == typed)
        #expect(!render(state).text.contains("Hjälp – ? Esc q stänger"))
    }

    @Test func eachScrollingOverlayKeepsItsOwnPlace() {
        var state = demoState(width: 64, height: 16)
        state.messageLog = (1...40).map { "meddelande \($0)" }
        press(&state, .f1)
        press(&state, .pageDown)
        let helpTop = state.overlayScroll
        #expect(helpTop > 0)
        // The log opened over the help starts at its own end, and scrolling it leaves the help's place.
        state.push(.messageLog(scroll: 0))
        #expect(state.overlays.map(\.kind) == [.help, .messageLog])
        #expect(state.overlayScroll == 0)
        press(&state, .character("G"))
        #expect(state.overlayScroll == max(0, state.messageLogLines.count - state.helpRows) && state.overlayScroll > 0)
        press(&state, .character("g"))
        #expect(state.overlayScroll == 0)
        #expect(render(state).text.contains("Meddelanden"))
        press(&state, .escape)
        #expect(state.overlays.map(\.kind) == [.help])
        #expect(state.overlayScroll == helpTop)
    }

    @Test func theTopOverlayGetsTheKeyAndIsDrawnLast() throws {
        var state = checklistState()
        // The editor, and a question asked over it: Esc answers the question, the editor stays.
        state.push(.textEditor(TextEditing(purpose: .newReminderText(clientID: state.openClientID ?? "", due: today),
                                        title: "Egen bevakning", text: "rad ett")))
        state.push(.choice(Choice("En fråga över texten", [.init("Nej", .nothing), .init("Ja", .discardForm)])))
        #expect(state.overlays.map(\.kind) == [.textEditor, .choice])
        let both = render(state).text
        #expect(both.contains("En fråga över texten"))
        press(&state, .escape)
        #expect(state.overlays.map(\.kind) == [.textEditor])
        #expect(!render(state).text.contains("En fråga över texten"))
        // Typing now goes into the editor.
        type(&state, "!")
        #expect(state.textEditing?.editor.text.hasSuffix("!") == true)
    }

    @Test func closingAnOverlayInTheMiddleKeepsTheOrderOfTheRest() {
        var state = demoState()
        state.push(.help(scroll: 0))
        state.push(.filter)
        state.push(.messageLog(scroll: 0))
        state.dismiss(.filter)
        #expect(state.overlays.map(\.kind) == [.help, .messageLog])
        // Two of a kind can be open; the top one closes first.
        state.push(.help(scroll: 3))
        #expect(state.overlays.map(\.kind) == [.help, .messageLog, .help] && state.overlayScroll == 3)
        state.pop()
        #expect(state.overlays.map(\.kind) == [.help, .messageLog] && state.overlayScroll == 0)
        // Ctrl-C quits over help and the log, but is a key while text is typed.
        #expect(press(&state, .ctrl("c")) == [.quit])
        state.quitting = false
        state.push(.filter)
        #expect(press(&state, .ctrl("c")) != [.quit])
    }

    /// A question asked over another (issue 36, item 2): each carries its own answers; Esc
    /// answers the top one, and the one below is still asked, with its own.
    @Test func aQuestionOverAQuestionIsAnsweredFirstAndTheOneBelowKeepsItsAnswers() {
        var state = demoState()
        state.push(.choice(Choice("Under", [.init("Nej", .say("Under: nej")), .init("Ja", .say("Under: ja"))])))
        state.push(.choice(Choice("Över", [.init("Nej", .say("Över: nej"))], escape: .say("Över: Esc"))))
        #expect(state.overlays.map(\.kind) == [.choice, .choice] && state.choice?.title == "Över")
        press(&state, .escape)
        #expect(state.message == "Över: Esc" && state.choice?.title == "Under")
        press(&state, .character("2"))
        #expect(state.message == "Under: ja" && state.overlays.isEmpty)
    }
}
