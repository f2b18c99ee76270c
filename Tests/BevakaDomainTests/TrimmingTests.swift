import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

/// The import's own trim is Foundation's `trimmingCharacters(in: .whitespaces)`, faster.
@Suite struct TrimmingTests {
    @Test func theSameAsFoundationsForEveryKindOfSpace() {
        let spaces = [" ", "\t", "\u{A0}", "\u{2007}", "\u{3000}", "\u{202F}", "\u{1680}", "\u{2009}"]
        let others = ["", "a", "Åsa Öström", "\n", "\r\n", "x\u{301}", "\u{200B}", "🙂", "a b"]
        var checked = 0
        for left in [""] + spaces {
            for right in [""] + spaces {
                for middle in others {
                    let text = left + middle + right
                    #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
                    checked += 1
                }
            }
        }
        #expect(checked == 9 * 9 * 9)
    }
}
