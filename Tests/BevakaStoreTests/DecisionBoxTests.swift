import BevakaTestSupport
@testable import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// A decision keeps the fields few decisions have in a box of their own (`Decision.Pending`).
/// Every field, wherever it lives, must be compared by `==`, written under its key, read back by
/// both codecs (the reference `JSONDecoder` and the store's reader), kept by a copy that is
/// changed elsewhere, and a decision whose box fields are all emptied again must equal one that
/// never had any (no empty box left behind to tell them apart).
@Suite struct DecisionBoxTests {
    static func copy(_ key: Decision.CodingKeys, from donor: Decision, to decision: inout Decision) {
        switch key {
        case .id: decision.id = donor.id
        case .law: decision.law = donor.law
        case .service: decision.service = donor.service
        case .form: decision.form = donor.form
        case .grantedHours: decision.grantedHours = donor.grantedHours
        case .performedHours: decision.performedHours = donor.performedHours
        case .validFrom: decision.validFrom = donor.validFrom
        case .validTo: decision.validTo = donor.validTo
        case .startedOn: decision.startedOn = donor.startedOn
        case .provider: decision.provider = donor.provider
        case .consent: decision.consent = donor.consent
        case .plan: decision.plan = donor.plan
        case .closedOn: decision.closedOn = donor.closedOn
        case .performedMonth: decision.performedMonth = donor.performedMonth
        case .decidedOn: decision.decidedOn = donor.decidedOn
        case .offers: decision.offers = donor.offers
        case .notCarriedOut: decision.notCarriedOut = donor.notCarriedOut
        case .interruptions: decision.interruptions = donor.interruptions
        case .delayReason: decision.delayReason = donor.delayReason
        case .consequences: decision.consequences = donor.consequences
        case .ivoReported: decision.ivoReported = donor.ivoReported
        case .ivoClosingReported: decision.ivoClosingReported = donor.ivoClosingReported
        case .postponedOn: decision.postponedOn = donor.postponedOn
        case .orderConfirmedOn: decision.orderConfirmedOn = donor.orderConfirmedOn
        case .escalatedOn: decision.escalatedOn = donor.escalatedOn
        }
    }

    @Test func everyFieldIsComparedCodedAndKeptWhereverItLives() throws {
        var random = SeededRandom(seed: 2_027)
        // The fuzzer's decisions, and one with the ladder's dates (which it leaves out).
        var ladder = Decision(id: "d9", law: .lss, service: "ledsagarservice", validFrom: Day(dayNumber: 20_001))
        ladder.orderConfirmedOn = Day(dayNumber: 20_010)
        ladder.escalatedOn = Day(dayNumber: 20_020)
        let pool = Fuzz.caseload(&random, clients: 300).clients.flatMap(\.decisions) + [ladder]
        let base = Decision(id: "d1", law: .sol, service: "hemtjänst", validFrom: Day(dayNumber: 20_000))
        let encoder = StoreCodec.lineEncoder()
        let baseLine = try encoder.encode(base)
        var person = Client(id: "c1", name: "Bas", personnummer: Personnummer(unchecked: "194001019806"))
        var boxed = 0

        for key in Decision.CodingKeys.allCases {
            var found: Decision?
            for donor in pool {
                var changed = base
                Self.copy(key, from: donor, to: &changed)
                if try encoder.encode(changed) != baseLine { found = changed; break }
            }
            let changed = try #require(found, "no generated decision has \(key) set")
            let line = try encoder.encode(changed)
            #expect(changed != base, "\(key): == does not look at it")
            #expect(String(decoding: line, as: UTF8.self).contains("\"\(key.rawValue)\":"), "\(key): not under its key")
            if changed.pendingBoxed { boxed += 1 }
            // Both codecs read it back.
            #expect(try JSONDecoder().decode(Decision.self, from: line) == changed, "\(key): the decoder")
            person.decisions = [changed]
            let document = try StoreCodec.encode(Caseload(clients: [person], nextSerial: 2))
            let read = try #require(StoreCodec.readCanonical(document), "\(key): the reader gave up")
            #expect(read.caseload.clients.first?.decisions == [changed], "\(key): the reader")
            // A copy changed in another field (of the box or not) keeps this one, and the
            // original is untouched.
            var copied = changed
            if key == .notCarriedOut { copied.delayReason = "annan" } else { copied.notCarriedOut = "annan" }
            #expect(try encoder.encode(changed) == line, "\(key): the original changed with its copy")
            if key == .notCarriedOut { copied.delayReason = nil } else { copied.notCarriedOut = nil }
            let copiedLine = try encoder.encode(copied)
            #expect(copied == changed && copiedLine == line, "\(key): lost by the copy")
            // Emptied again, it is the base: no empty box tells them apart.
            var back = changed
            Self.copy(key, from: base, to: &back)
            #expect(back == base && !back.pendingBoxed, "\(key): not the base when emptied")
        }
        // The fields of the box are those that left the value (eleven), and only those.
        #expect(boxed == 11)
        // Changed in place (appending), the box is made and dropped as the field fills and empties.
        var growing = base
        growing.ivoReported.append("2026-Q1")
        #expect(growing.pendingBoxed && growing.ivoReported == ["2026-Q1"] && growing != base)
        growing.ivoReported.removeAll()
        #expect(!growing.pendingBoxed && growing == base)
        #expect(MemoryLayout<Decision>.stride <= 288)
    }
}

extension Decision {
    /// Whether this decision holds a box of the rarer fields (read by its printed fields).
    var pendingBoxed: Bool {
        Mirror(reflecting: self).children.contains { $0.label == "pending" && String(describing: $0.value) != "nil" }
    }
}
