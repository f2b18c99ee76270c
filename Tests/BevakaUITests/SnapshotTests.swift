import BevakaDomain
import Testing
@testable import BevakaUI

@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: sizes) func everyScreen(width: Int, height: Int) throws {
        let suffix = "\(width)x\(height)"
        var state = demoState(width: width, height: height)
        try assertSnapshot(render(state), named: "overview-\(suffix)")
        press(&state, .character("2"))
        try assertSnapshot(render(state), named: "arshjul-\(suffix)")
        press(&state, .down, .enter)
        try assertSnapshot(render(state), named: "arshjul-december-\(suffix)")
        press(&state, .character("3"))
        try assertSnapshot(render(state), named: "bevakningar-\(suffix)")
        press(&state, .character("4"))
        try assertSnapshot(render(state), named: "arenden-\(suffix)")
        let erik = try #require(state.caseRows.firstIndex { $0.client.name == "Erik Johansson" })
        state.selection[.caseload] = erik
        press(&state, .enter)
        #expect(state.screen == .caseDetail)
        try assertSnapshot(render(state), named: "arende-\(suffix)")
        press(&state, .character("?"))
        try assertSnapshot(render(state), named: "hjalp-\(suffix)")
        let welcome = AppState(caseload: Caseload(), today: today, width: width, height: height,
                               storePath: "/home/handlaggare/.local/share/bevaka/caseload.json", firstStart: true)
        try assertSnapshot(render(welcome), named: "valkommen-\(suffix)")

        // The follow-up of Erik (hemtjänst, seed 002): the trigger, the form, the checklist,
        // hembesöksläge, the journal draft and the underlag letter.
        press(&state, .escape, .character("F"))
        try assertSnapshot(render(state), named: "uppfoljning-anledning-\(suffix)")
        press(&state, .enter, .enter, .character(" "), .character("-"))
        try assertSnapshot(render(state), named: "checklista-\(suffix)")
        press(&state, .character("H"), .tab, .enter)
        type(&state, "Klarar dusch själv nu, behöver hjälp med städning")
        press(&state, .ctrl("s"), .up)
        try assertSnapshot(render(state), named: "hembesok-\(suffix)")
        press(&state, .character("J"))
        try assertSnapshot(render(state), named: "journalutkast-\(suffix)")
        press(&state, .character("U"))
        try assertSnapshot(render(state), named: "underlag-\(suffix)")

        // Forms: a new decision with a wrong field and the type-to-find list open.
        var forms = demoState(width: width, height: height)
        forms.openCase(forms.caseload.clients.first { $0.name == "Sven Öberg" }?.id ?? "")
        press(&forms, .character("b"), .character("s"), .enter, .tab, .tab)
        type(&forms, "2026-02-30")
        press(&forms, .tab, .up, .up)
        try assertSnapshot(render(forms), named: "formular-beslut-\(suffix)")
        press(&forms, .character("h"))
        try assertSnapshot(render(forms), named: "formular-lista-\(suffix)")
    }

    @Test func tooSmallShowsAMessageAndRecovers() throws {
        var state = demoState()
        _ = reduce(&state, .resize(width: 60, height: 15))
        let small = render(state)
        #expect(small.text.contains("för litet"))
        try assertSnapshot(small, named: "for-litet-60x15")
        _ = reduce(&state, .resize(width: 80, height: 24))
        #expect(render(state).text.contains("Försenade"))
    }

    @Test func theCaseScreenAloneShowsTheFullPersonnummer() {
        var state = demoState(width: 120, height: 40)
        for key in [Key.character("1"), .character("2"), .character("3"), .character("4")] {
            press(&state, key)
            #expect(!render(state).text.contains("19220329-9231"))
        }
        state.openCase(state.caseload.clients.first { $0.name == "Erik Johansson" }?.id ?? "")
        #expect(render(state).text.contains("19220329-9231"))
    }
}
