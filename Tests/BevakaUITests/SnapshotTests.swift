import BevakaTestSupport
import BevakaDomain
import Testing
import BevakaStore
@testable import BevakaUI

@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40), (64, 16)]

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
        // Space on the first item, a question, asks for its answer; Ctrl-S saves it and moves on.
        press(&state, .enter, .enter, .character(" "))
        type(&state, "Hembesök")
        press(&state, .ctrl("s"), .character("-"))
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

    /// The screens issue 13 changed or added, at 80×24 and 64×16.
    @Test(arguments: [(80, 24), (64, 16)]) func screensThatShowWhatMatters(width: Int, height: Int) throws {
        let suffix = "\(width)x\(height)"
        var state = demoState(width: width, height: height)
        // Översikt: the heading selected, then its section in full, scrolled to the end.
        press(&state, .up)
        try assertSnapshot(render(state), named: "oversikt-rubrik-\(suffix)")
        press(&state, .enter, .end)
        try assertSnapshot(render(state), named: "oversikt-forsenade-\(suffix)")
        // Bevakningar this week, with the week.
        press(&state, .character("3"), .character("f"))
        try assertSnapshot(render(state), named: "bevakningar-vecka-\(suffix)")
        // A move past the rule's date asks, with both dates.
        press(&state, .character("f"), .character("f"), .character("f"), .character("f"), .character("m"), .ctrl("u"))
        type(&state, "+3m")
        press(&state, .enter)
        try assertSnapshot(render(state), named: "flytta-efter-regeln-\(suffix)")
        press(&state, .down, .enter)
        try assertSnapshot(render(state), named: "flyttad-meddelande-\(suffix)")
        // The message log.
        press(&state, .character("u"), .character("L"))
        try assertSnapshot(render(state), named: "meddelanden-\(suffix)")
        press(&state, .escape)
        // Help, scrolled to its end.
        press(&state, .character("?"), .end)
        try assertSnapshot(render(state), named: "hjalp-slut-\(suffix)")
        press(&state, .escape)
        // The decision form: insats first, the law proposed, the long provider question.
        var forms = demoState(width: width, height: height)
        forms.openCase(forms.caseload.clients.first { $0.name == "Sven Öberg" }?.id ?? "")
        press(&forms, .character("b"))
        type(&forms, "hemtj")
        press(&forms, .enter)
        for _ in 0..<8 { press(&forms, .tab) }
        try assertSnapshot(render(forms), named: "formular-beslut-utforare-\(suffix)")
        // The import preview.
        var importing = demoState(width: width, height: height)
        var merged = importing.caseload
        merged.clients.append(Client(id: "c900", name: "Tolvan Tolvansson",
                                     personnummer: try Personnummer.parse("191212121212", today: today),
                                     decisions: [Decision(id: "d900", law: .sol, service: "hemtjänst", validFrom: d("2026-11-01"))]))
        var report = CaseloadImport.Report(encoding: .utf8, separator: ";")
        report.rowsRead = 2
        report.newClients = 1
        report.newDecisions = 1
        report.rejected = [CaseloadImport.RowError(line: 3, column: "Personnummer", reason: "Personnumrets kontrollsiffra stämmer inte.")]
        press(&importing, .character("4"))
        importing.push(.importing(ImportProgress(file: "~/lista.csv", done: 2, total: 2)))
        _ = reduce(&importing, .importFinished(.imported(merged, report: report, file: "/home/h/lista.csv")))
        try assertSnapshot(render(importing), named: "import-forhandsvisning-\(suffix)")
        // Screen-reader mode: words, no drawing characters, the cursor on the selected row.
        var reader = demoState(width: width, height: height)
        reader.screenReader = true
        press(&reader, .down, .down)
        try assertSnapshot(render(reader), named: "skarmlasare-oversikt-\(suffix)")
        press(&reader, .character("2"))
        try assertSnapshot(render(reader), named: "skarmlasare-arshjul-\(suffix)")
    }

    /// The screens issue 35 changed, at 80×24 and 64×16: the unit's table with its headings in
    /// words, the booking's question about a time that happens twice, and the question about a
    /// booking later than the follow-up.
    @Test(arguments: [(80, 24), (64, 16)]) func screensOfTheExcelListAndTheWeek(width: Int, height: Int) throws {
        let suffix = "\(width)x\(height)"
        var unit = UnitViewTests().coveringState(kind: .chef)
        unit.width = width
        unit.height = height
        press(&unit, .character("5"))
        try assertSnapshot(render(unit), named: "enheten-\(suffix)")
        #expect(render(unit).text.contains("Plan: "), "the legend")

        var booking = demoState(width: width, height: height)
        booking.today = d("2026-10-01")
        book(&booking, try #require(booking.caseload.clients.first).id, date: "2026-10-25", time: "02:30")
        try assertSnapshot(render(booking), named: "bokning-tva-ganger-\(suffix)")

        var later = demoState(width: width, height: height)
        let erik = try #require(later.caseload.clients.firstIndex { $0.name == "Erik Johansson" })
        later.caseload.clients[erik].booking?.date = d("2026-11-30")
        later.openCase(later.caseload.clients[erik].id)
        press(&later, .character("F"), .enter, .enter, .character("S"), .character("2"), .character("1"), .enter)
        try assertSnapshot(render(later), named: "bokning-senare-\(suffix)")

        // Tab in the import prompt with more candidates than fit beside it.
        var tab = demoState(width: width, height: height)
        press(&tab, .character("4"), .character("i"))
        type(&tab, "Im")
        _ = reduce(&tab, .pathCompleted(typed: "~/Im", candidates: ["Import/", "Importer-2025.csv", "Importer-2026-januari.xlsx",
                                                                  "Importer-2026-februari.xlsx", "Importlista-enhet-vast.ods"]))
        try assertSnapshot(render(tab), named: "import-flikar-\(suffix)")
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
