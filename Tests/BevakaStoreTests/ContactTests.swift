import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// The way to the door: carried by the store and the CSV, checked on the way in, and never in
/// a list, a report or a calendar.
@Suite struct ContactTests {
    let demo = DemoCaseload.make(today: today)
    var erik: Client { demo.clients.first { $0.name == "Erik Johansson" }! }

    /// Every value of the demo's contact details, as the outputs could show them.
    var secrets: [String] {
        demo.clients.flatMap { client -> [String] in
            [client.address?.street, client.address?.postcode, client.doorCode, client.access].compactMap { $0 }
                + client.phones.map(\.number)
                + client.decisions.compactMap { $0.provider?.phone } + client.decisions.compactMap { $0.provider?.contact }
        }
    }

    @Test func theStoreCarriesThem() throws {
        #expect(!secrets.isEmpty)
        let data = try StoreCodec.encode(demo)
        let back = try StoreCodec.decode(data, path: "test", latestBackup: nil)
        #expect(back.clients.first { $0.id == erik.id } == erik)
        #expect(erik.address == Address(street: "Björkgatan 12", postcode: "463 31", town: "Lilla Edet"))
        #expect(erik.phone(Phone.own) == "070-174 06 05" && erik.doorCode == "1942")
    }

    @Test func theImportChecksPostcodesAndPhoneNumbers() throws {
        var caseload = Caseload()
        let text = """
            personnummer;namn;insats;beslut_fran;adress;postnummer;ort;telefon;portkod;utforare;utforare_kontakt;utforare_telefon
            19220329-9231;Erik Johansson;hemtjänst;2025-12-17;Björkgatan 12;46331;Lilla Edet;070-174 06 05;1942;Omsorg i Väst AB;Omar Said;031-390 06 51
            19200101-1564;Astrid Nilsson;hemtjänst;2025-12-17;Solgårdsvägen 4;4633;Lilla Edet;;;;;
            19210430-9253;Karin Holm;hemtjänst;2025-12-17;Storgatan 3;463 32;Lilla Edet;ring mig;;;;
            """
        let report = try CaseloadImport.run(Array(text.utf8), into: &caseload, routines: .standard, today: today, startAssumption: .notStarted)
        #expect(report.rejected.map(\.message) == [
            "rad 3, kolumnen postnummer: Postnumret ska ha fem siffror, t.ex. 463 30.",
            "rad 4, kolumnen telefon: Telefonnumret ska vara siffror (5–15), gärna med mellanslag eller bindestreck, t.ex. 070-123 45 67.",
        ])
        let imported = try #require(caseload.clients.first)
        #expect(imported.address == Address(street: "Björkgatan 12", postcode: "463 31", town: "Lilla Edet"))
        #expect(imported.phones == [Phone(label: "eget", number: "070-174 06 05")] && imported.doorCode == "1942")
        #expect(imported.decisions.first?.provider?.contact == "Omar Said")
        #expect(imported.decisions.first?.provider?.phone == "031-390 06 51")
    }

    @Test func theyAreNotInTheAgendaTheCalendarOrTheReport() {
        let agenda = Agenda.entries(caseload: demo, routines: .standard, today: today, days: 400)
        let agendaText = Reports.json(Reports.agendaRows(agenda, today: today, showPersonnummer: true))
            + Reports.agendaText(agenda, today: today, days: 400, showPersonnummer: true)
        let calendar = CalendarExport.ics(caseload: demo, routines: .standard, today: today,
                                          options: .init(from: today.adding(days: -400), to: today.adding(days: 400), stamp: "20261122T000000Z"))
        let named = CalendarExport.ics(caseload: demo, routines: .standard, today: today,
                                       options: .init(from: today, to: today.adding(days: 400), fullNames: true, stamp: "20261122T000000Z"))
        let report = UnitReport.make(caseload: demo, routines: .standard, year: 2026, today: today)
        let outputs = [agendaText, calendar, report.text(), report.csvRows().flatMap { $0 }.joined(separator: ";")]
        // Asked for with --full-names: the booked visit's place, as the event's LOCATION only.
        let unfolded = named.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("LOCATION:Björkgatan 12\\, 463 31 Lilla Edet"))
        #expect(!unfolded.contains("1942") && !unfolded.contains("070-174 06 05"))
        for output in outputs {
            let flat = output.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\\,", with: ",")
            for secret in secrets { #expect(!flat.contains(secret), "\(secret)") }
        }
    }
}
