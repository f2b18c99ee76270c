import BevakaDomain
import BevakaTestSupport
import Testing
@testable import BevakaUI

/// A form saves the values its checks read, by typed keys: what was checked is what is saved.
@Suite struct FormValuesTests {
    static func set(_ state: inout AppState, _ key: FieldKey, _ text: String) throws {
        let index = try #require(state.form?.fields.firstIndex { $0.key == key }, "no field \(key)")
        state.form?.fields[index].editor = LineEditor(text)
    }

    @Test func everyFieldOfEveryFormHasItsOwnKey() throws {
        var state = demoState()
        let person = try #require(state.caseload.clients.first { !$0.decisions.isEmpty })
        let decision = try #require(person.decisions.first)
        var seen: Set<FieldKey> = []
        let forms: [[FormField]] = [
            AppState.clientFormFields(person), state.decisionFormFields(decision), AppState.planFormFields(decision.plan),
            state.bookingFormFields(person),
        ]
        for fields in forms {
            #expect(Set(fields.map(\.key)).count == fields.count, "a key used twice in one form: \(fields.map(\.key))")
            seen.formUnion(fields.map(\.key))
        }
        for open in [{ (s: inout AppState) in s.openPerformedForm(clientID: person.id, decisionID: decision.id) },
                     { s in s.openCloseForm(clientID: person.id, decisionID: decision.id) },
                     { s in s.openOfferForm(clientID: person.id, decisionID: decision.id) },
                     { s in s.openInterruptionForm(clientID: person.id, decisionID: decision.id) }] {
            open(&state)
            let fields = try #require(state.form?.fields)
            #expect(Set(fields.map(\.key)).count == fields.count)
            seen.formUnion(fields.map(\.key))
        }
        // No key is left over that no form has (a renamed field would leave one behind).
        #expect(Set(FieldKey.allCases).subtracting(seen).isEmpty, "\(Set(FieldKey.allCases).subtracting(seen))")
    }

    @Test func aChoiceTypedInAnotherCaseIsSavedAsTheOption() throws {
        var state = demoState()
        let sven = try #require(state.caseload.clients.first { $0.name == "Sven Öberg" })
        state.openCase(sven.id)
        press(&state, .character("e"))
        try Self.set(&state, .children, "JA")
        try Self.set(&state, .protectedIdentity, "Ja")
        press(&state, .ctrl("s"))
        let saved = try #require(state.client(sven.id))
        #expect(state.form == nil)
        #expect(saved.livesWithChildren == true && saved.protectedIdentity)

        // The law as typed, "lss", is the LSS the check read.
        press(&state, .character("b"))
        try Self.set(&state, .service, "personlig assistans")
        try Self.set(&state, .law, "lss")
        try Self.set(&state, .validFrom, "2026-01-31")
        try Self.set(&state, .grantedHours, "12,5")
        press(&state, .ctrl("s"))
        let added = try #require(state.client(sven.id)?.decisions.last)
        #expect(added.service == "personlig assistans" && added.law == .lss && added.grantedHours == 12.5)
        #expect(added.validFrom == Day(year: 2026, month: 1, day: 31))
    }

    @Test func theValuesAreTheCheckedOnesAndAWrongFieldHasNone() throws {
        var state = demoState()
        let sven = try #require(state.caseload.clients.first { $0.name == "Sven Öberg" })
        state.openCase(sven.id)
        press(&state, .character("b"))
        try Self.set(&state, .validFrom, "+1v")
        try Self.set(&state, .grantedHours, "7.25")
        try Self.set(&state, .providerPhone, "0701740640")
        try Self.set(&state, .validTo, "inte ett datum")
        var form = try #require(state.form)
        let values = form.check(today: today)
        #expect(values.day(.validFrom) == today.adding(days: 7))
        #expect(values.hours(.grantedHours) == 7.25)
        #expect(values.text(.providerPhone) == (try FieldInput.phone("0701740640")))
        #expect(values.day(.validTo) == nil && form.field(.validTo)?.error?.contains("är inget datum") == true)
        #expect(values.text(.delayReason) == nil && form.field(.delayReason)?.error == nil)
        // Saving with the wrong field saves nothing and says how many are wrong.
        let before = state.client(sven.id)?.decisions.count
        press(&state, .ctrl("s"))
        #expect(state.client(sven.id)?.decisions.count == before && state.messageIsError)
    }
}
