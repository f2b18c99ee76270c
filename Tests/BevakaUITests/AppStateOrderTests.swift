import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

/// The lists' order made by integer keys (`AppState.listOrder`, `idRanks`) against the
/// references they replace, on generated and odd ids and items.
@Suite struct AppStateOrderTests {
    /// Ids of every kind: Bevaka's own (c1 … c120000, where the first eight bytes tie), repeated
    /// ones, empty ones, non-ASCII letters, a NUL byte, and random mixes.
    @Test func idRanksAreTheStringsOrder() {
        var random = SeededRandom(seed: 37)
        var cases: [[String]] = [[], [""], ["c1", "c1"], ["c10", "c9", "c1", "c100"], ["a\u{0}", "a", "a\u{1}"],
                                 ["å1", "a1", "ä", "z", "Z", "e\u{301}", "é"]]
        cases.append((0..<5_000).map { _ in "c\(Int.random(in: 1...120_000, using: &random))" })
        cases.append((0..<3_000).map { _ in "cli\(Int.random(in: 99_999_990...100_000_009, using: &random))" })
        for _ in 0..<300 {
            let alphabet: [Character] = ["c", "d", "1", "2", "0", "9", "å", "A", "\u{0}", "~"]
            cases.append((0..<Int.random(in: 1...40, using: &random)).map { _ in
                String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "c" })
            })
        }
        for ids in cases {
            #expect(AppState.idRanks(ids) == AppState.idRanksReference(ids), "\(ids.prefix(8))")
        }
    }

    /// Items of many people (ids repeated, due days far apart and the same, every kind) in the
    /// same order by the keys as by the reference; the last rounds' lists are long enough to be
    /// gathered on all cores.
    @Test func theListOrderIsTheReferences() {
        var random = SeededRandom(seed: 41)
        let base = d("2026-03-02")
        for round in 0..<42 {
            let people = round == 0 ? 0 : round >= 40 ? 9_000 : Int.random(in: 1...600, using: &random)
            let ids = (0..<people).map { _ in round % 5 == 0 ? "x\(Int.random(in: 0...20, using: &random))" : "c\(Int.random(in: 1...200_000, using: &random))" }
            let perClient: [[DueItem]] = ids.map { id in
                (0..<Int.random(in: 0...6, using: &random)).map { _ in
                    let far = Int.random(in: 0..<10, using: &random) == 0
                    return DueItem(clientID: id, decisionID: nil, kind: DueKind.allCases.randomElement(using: &random) ?? .manual,
                                   due: base.adding(days: far ? Int.random(in: -400_000...400_000, using: &random) : Int.random(in: -30...30, using: &random)),
                                   reason: "")
                }
            }
            let order = AppState.listOrder(perClient, ids: ids)
            #expect(order == AppState.listOrderReference(perClient, ids: ids))
            // And it is `ordered`'s order.
            #expect(zip(order, order.dropFirst()).allSatisfy { !AppState.ordered($1, $0) })
        }
    }
}
