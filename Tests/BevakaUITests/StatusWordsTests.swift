import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

/// Issue 23's words: long status messages show their start; undo says what it undid.
@Suite struct StatusWordsTests {
    @Test func undoSaysWhatItUndidFromTheStart() throws {
        var state = demoState()
        press(&state, .character("3"), .character("d"))
        press(&state, .character("u"))
        let message = try #require(state.message)
        #expect(message.hasPrefix("Ångrat: ") && message.hasSuffix("Ctrl-R gör om."))
        let screen = render(state).text.split(separator: "\n").map(String.init)
        let status = screen.suffix(6).joined(separator: "\n")
        #expect(status.contains("Ångrat:"), "\(status)")
        #expect(AppState.rows(1) == "1 rad" && AppState.rows(2) == "2 rader")
    }
}
