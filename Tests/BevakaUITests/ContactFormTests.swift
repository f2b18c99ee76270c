import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

@Suite struct ContactFormTests {
    @Test func theWayToTheDoorIsEditedInTheFormAndShownOnTheCaseAndInHembesokslage() throws {
        var state = demoState()
        let sven = try #require(state.caseload.clients.first { $0.name == "Sven Öberg" })
        state.openCase(sven.id)
        press(&state, .character("e"))
        func field(_ key: FieldKey) -> Int? { state.form?.fields.firstIndex { $0.key == key } }
        let street = try #require(field(.street))
        try press(&state, .tab, until: "the street field focused") { $0.form?.focus == street }
        type(&state, "Ekvägen 2")
        press(&state, .tab)
        type(&state, "46330")
        press(&state, .tab)
        type(&state, "Lilla Edet")
        press(&state, .tab)
        type(&state, "ring mig")
        press(&state, .tab)
        // A phone number that is not one is refused beside the field, in Swedish.
        #expect(state.form?.fields[field(.phoneOwn) ?? 0].error?.contains("Telefonnumret ska vara siffror") == true)
        press(&state, .backTab, .ctrl("u"))
        type(&state, "070-174 06 40")
        press(&state, .tab, .tab, .tab)
        type(&state, "8080")
        press(&state, .ctrl("s"))
        let saved = try #require(state.client(sven.id))
        #expect(saved.address == Address(street: "Ekvägen 2", postcode: "463 30", town: "Lilla Edet"))
        #expect(saved.phones == [Phone(label: "eget", number: "070-174 06 40")] && saved.doorCode == "8080")
        #expect(state.caseDetailLines.map(\.text).contains("Adress: Ekvägen 2, 463 30 Lilla Edet"))
        // In the lists: never.
        press(&state, .escape, .character("4"))
        #expect(!render(state).text.contains("Ekvägen"))
        // In hembesöksläge: this person's, in the checklist's header.
        state.openCase(sven.id)
        press(&state, .character("H"), .enter, .enter)
        #expect(state.homeVisitActive)
        #expect(render(state).text.contains("Ekvägen 2, 463 30 Lilla Edet · portkod 8080 · tel 070-174 06 40"))
    }
}
