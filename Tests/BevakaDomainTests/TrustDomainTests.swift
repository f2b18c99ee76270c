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
