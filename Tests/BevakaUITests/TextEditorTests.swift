import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaRuntime
@testable import BevakaUI

@Suite struct TextEditorTests {
    @Test func textWrapsAtTheWidthAndUpDownMoveByScreenLines() {
        var editor = TextEditor("")
        for c in "ett två tre fyra fem" { editor.handle(.character(c), width: 10) }
        let lines = editor.lines(width: 10).map { String(editor.characters[$0.start..<$0.end]) }
        #expect(lines == ["ett två", "tre fyra", "fem"])
        #expect(editor.position(width: 10) == (2, 3))
        editor.handle(.up, width: 10)
        #expect(editor.position(width: 10) == (1, 3))
        editor.handle(.up, width: 10)
        #expect(editor.position(width: 10) == (0, 3))
        editor.handle(.down, width: 10)
        editor.handle(.down, width: 10)
        #expect(editor.position(width: 10) == (2, 3))
        // A word longer than the line is cut, not lost.
        let long = TextEditor("abcdefghijklmno")
        #expect(long.lines(width: 6).map { String(long.characters[$0.start..<$0.end]) } == ["abcdef", "ghijkl", "mno"])
    }

    @Test func enterMakesANewLineAndTheReadlineKeysDelete() {
        var editor = TextEditor("Behöver hjälp")
        editor.handle(.enter, width: 40)
        for c in "med dusch varje dag" { editor.handle(.character(c), width: 40) }
        #expect(editor.text == "Behöver hjälp\nmed dusch varje dag")
        editor.handle(.ctrl("w"), width: 40)
        #expect(editor.text == "Behöver hjälp\nmed dusch varje ")
        editor.handle(.ctrl("w"), width: 40)
        #expect(editor.text == "Behöver hjälp\nmed dusch ")
        editor.handle(.ctrl("u"), width: 40)
        #expect(editor.text == "Behöver hjälp\n")
        editor.handle(.backspace, width: 40)
        editor.handle(.backspace, width: 40)
        #expect(editor.text == "Behöver hjäl")
        // å and a letter with a combining mark are one character each.
        var marks = TextEditor("Åsa e\u{301}")
        marks.handle(.backspace, width: 40)
        #expect(marks.text == "Åsa ")
        marks.handle(.home, width: 40)
        marks.handle(.delete, width: 40)
        #expect(marks.text == "sa ")
    }

    @Test func anAnswerIsWrittenInTheEditorSavedWithCtrlSAndTheCursorMovesOn() throws {
        var state = checklistState()
        let first = try #require(state.selectedEntry)
        press(&state, .enter)
        #expect(state.textEditing != nil)
        type(&state, "Trivs bra")
        press(&state, .enter)
        type(&state, "men maten är salt")
        #expect(render(state).text.contains("men maten är salt"))
        press(&state, .ctrl("s"))
        #expect(state.textEditing == nil)
        let draft = try #require(state.openClient?.draft)
        #expect(draft.answer(first.id).note == "Trivs bra\nmen maten är salt")
        #expect(draft.answer(first.id).mark == .done)
        #expect(state.selectedEntry?.id != first.id)
    }

    @Test func escAsksBeforeThrowingAChangeAway() throws {
        var state = checklistState()
        let entry = try #require(state.selectedEntry)
        press(&state, .enter)
        press(&state, .escape)
        #expect(state.textEditing == nil)  // nothing written: closes at once
        press(&state, .enter)
        type(&state, "något")
        press(&state, .escape)
        #expect(state.textEditing?.confirmingDiscard == true)
        #expect(render(state).text.contains("Kasta ändringen?"))
        press(&state, .character("x"))
        #expect(state.textEditing?.editor.text == "något" && state.textEditing?.confirmingDiscard == false)
        press(&state, .escape, .character("j"))
        #expect(state.textEditing == nil)
        #expect(state.openClient?.draft?.answer(entry.id).note == nil)
    }

    @Test func ctrlEHandsTheTextToTheUsersEditorAndSavesWhatComesBack() throws {
        var state = checklistState()
        let entry = try #require(state.selectedEntry)
        press(&state, .enter)
        type(&state, "utkast")
        let effects = press(&state, .ctrl("e"))
        #expect(effects == [.editExternally("utkast")])
        _ = reduce(&state, .externalEdit(text: "rad ett\nrad två", error: nil))
        #expect(state.textEditing == nil)
        #expect(state.openClient?.draft?.answer(entry.id).note == "rad ett\nrad två")
        // A failing editor loses nothing: the editor stays open with the text.
        press(&state, .up, .enter)
        type(&state, " och mer")
        _ = reduce(&state, .externalEdit(text: nil, error: "Textredigeraren vim avslutades med fel (1); ingenting ändrades."))
        #expect(state.textEditing?.editor.text == "rad ett\nrad två och mer")
        #expect(state.message?.contains("Texten finns kvar här") == true)
    }
}

@Suite struct ExternalEditorTests {
    func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-editor-\(UUID().uuidString).sh").path
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        // Run through sh, never executed itself: a file just written may still be open in a
        // process another test is starting (ETXTBSY).
        return "sh " + path
    }

    @Test func aScriptedEditorChangesTheTextInAPrivateFile() throws {
        // The script checks the file's and folder's modes, then appends a line.
        let editor = try script("""
            [ "$(stat -c %a "$1")" = 600 ] || exit 3
            [ "$(stat -c %a "$(dirname "$1")")" = 700 ] || exit 4
            echo "$1" > /tmp/bevaka-editor-last-file
            printf 'rad två\\n' >> "$1"
            """)
        defer { try? FileManager.default.removeItem(atPath: String(editor.dropFirst(3))) }
        let result = ExternalEditor.edit("rad ett\n", environment: ["EDITOR": editor, "PATH": "/usr/bin:/bin"])
        #expect(result == .success("rad ett\nrad två"))
        // The file and its folder are gone afterwards.
        let used = try String(contentsOfFile: "/tmp/bevaka-editor-last-file", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: used).deletingLastPathComponent().path))
        // VISUAL comes before EDITOR.
        let visual = try script("printf 'från VISUAL' > \"$1\"")
        defer { try? FileManager.default.removeItem(atPath: String(visual.dropFirst(3))) }
        #expect(ExternalEditor.edit("x", environment: ["VISUAL": visual, "EDITOR": editor]) == .success("från VISUAL"))
    }

    @Test func aMissingOrFailingEditorSaysSoInSwedish() throws {
        let missing = ExternalEditor.edit("text", environment: ["EDITOR": "/nonexistent/editor", "PATH": "/usr/bin:/bin"])
        guard case .failure(let failure) = missing else {
            Issue.record("a missing editor succeeded")
            return
        }
        #expect(failure.message.contains("kunde inte startas"))
        let failing = try script("exit 1")
        defer { try? FileManager.default.removeItem(atPath: String(failing.dropFirst(3))) }
        guard case .failure(let failed) = ExternalEditor.edit("text", environment: ["EDITOR": failing]) else {
            Issue.record("a failing editor succeeded")
            return
        }
        #expect(failed.message.contains("avslutades med fel (1)"))
        #expect(ExternalEditor.editorCommand(["PATH": "/nonexistent"]) == nil)
    }
}
