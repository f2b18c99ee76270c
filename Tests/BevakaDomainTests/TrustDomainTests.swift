import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

@Suite struct TrustDomainTests {
    /// RFC 5545 folds at 75 octets; a letter with 200 combining marks is one grapheme of 401
    /// octets, which must still be cut (between scalars, never inside a UTF-8 sequence).
    @Test func icsLinesAreFoldedByOctetsEvenInsideAGrapheme() throws {
        let line = "SUMMARY:" + "a" + String(repeating: "\u{0301}", count: 200) + " Åsa ÄÖ 👩‍👩‍👧"
        let folded = CalendarExport.fold(line)
        for part in folded.components(separatedBy: "\r\n") {
            let bytes = Array(part.utf8)
            #expect(bytes.count <= 75, "\(bytes.count) octets")
            #expect(String(validating: bytes, as: UTF8.self) != nil)
        }
        // Unfolding (drop CRLF + the one space, octet by octet) gives the line back.
        var unfolded: [UInt8] = []
        let octets = Array(folded.utf8)
        var index = 0
        while index < octets.count {
            if index + 2 < octets.count, octets[index] == 13, octets[index + 1] == 10, octets[index + 2] == 32 {
                index += 3
                continue
            }
            unfolded.append(octets[index])
            index += 1
        }
        #expect(unfolded == Array(line.utf8))
    }

    @Test func hoursFromAnyInputStayWithinAMonth() {
        #expect(Hours.problem(744) == nil)
        #expect(Hours.problem(744.01) != nil)
        #expect(Hours.problem(-0.5) != nil)
        #expect(Hours.problem(.infinity) != nil)
        #expect(Hours.problem(.nan) != nil)
        if case .success(let value) = Hours.parse("12,345") { #expect(value == 12.35) } else { Issue.record("12,345") }
    }
}

/// Issue 15: the fast path of `TerminalText.width` gives exactly what the grapheme path gives.
@Suite struct DisplayWidthTests {
    @Test func theFastPathEqualsTheGraphemePathOnEveryDemoTextAndFuzzedStrings() {
        var texts: [String] = ["", "abc", "Åsa Öberg-Ärlig", "e\u{0301}", "\r\n", "a\u{7F}b", "\u{85}", "日本", "👩‍👩‍👧‍👦",
                               "🇸🇪", "ʰʷ˞", "\u{2FF}\u{300}", "x\u{200B}y", "tab\there", "ÿ\u{A0}ı"]
        let demo = DemoCaseload.make(today: today)
        for client in demo.clients {
            texts.append(client.name)
            texts += client.decisions.map(\.service)
        }
        // Strings from a pool of scalars on both sides of the fast path's limits.
        let pool: [Unicode.Scalar] = [0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x9F, 0xA0, 0xE5, 0x2FF, 0x300, 0x301, 0x1100, 0x200D,
                                      0xFE0F, 0x1F600, 0x1F1F8, 0x1F1EA, 0x0A, 0x0D].compactMap(Unicode.Scalar.init)
        var random = SeededRandom(seed: 0x9E3779B97F4A7C15)
        for _ in 0..<3000 {
            var text = String.UnicodeScalarView()
            let seed = random.next()
            for step in 0..<Int(seed % 12) {
                let index = Int((seed >> UInt64(8 + step * 4)) % UInt64(pool.count))
                text.append(pool[index])
            }
            texts.append(String(text))
        }
        for text in texts {
            #expect(TerminalText.width(text) == TerminalText.graphemeWidth(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
