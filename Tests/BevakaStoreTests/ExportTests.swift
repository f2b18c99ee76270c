import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

@Suite struct CSVExportTests {
    /// The fields the import format carries, without the store's ids.
    func carried(_ caseload: Caseload) -> [String] {
        caseload.clients.filter { !$0.decisions.isEmpty }.flatMap { client in
            client.decisions.map { decision in
                [client.personnummer.digits, client.name, decision.service, decision.law.rawValue,
                 decision.form?.rawValue ?? "", decision.grantedHours.map { String($0) } ?? "",
                 decision.performedHours.map { String($0) } ?? "", decision.validFrom.description,
                 decision.validTo?.description ?? "", decision.startedOn?.description ?? "",
                 decision.provider?.name ?? "", decision.provider.map { $0.regi.rawValue } ?? "",
                 decision.consent?.rawValue ?? "", decision.plan?.currentDate?.description ?? "",
                 RuleEngine.lastFollowUp(of: decision, in: client)?.description ?? "",
                 decision.closedOn?.description ?? "", decision.provider?.contact ?? "", decision.provider?.phone ?? "",
                 client.address?.oneLine ?? "", client.phones.map { "\($0.label) \($0.number)" }.joined(separator: ","),
                 client.doorCode ?? "", client.access ?? ""].joined(separator: "|")
            }
        }.sorted()
    }

    @Test func exportThenImportIntoAnEmptyStoreGivesTheSameCaseload() throws {
        var original = DemoCaseload.make(today: today)
        // Edge cases the format must carry: a closed decision, a note with ; " and a line break, decimals.
        original.clients[0].decisions[0].closedOn = d("2026-11-20")
        original.clients[1].notes = "Tolk behövs; \"arabiska\"\nRing före besök"
        original.clients[2].decisions[0].grantedHours = 12.25
        let exported = CaseloadExport.csv(original)
        #expect(exported.text.hasPrefix("\u{FEFF}personnummer;namn;insats;"))
        #expect(exported.text.contains("\r\n"))
        #expect(exported.text.contains("12,25"))
        #expect(exported.peopleLeftOut == 0)

        var imported = Caseload()
        let report = try CaseloadImport.run(Array(exported.text.utf8), into: &imported, routines: .standard, today: today, startAssumption: .notStarted)
        #expect(report.rejected.isEmpty, "\(report.rejected.map(\.message))")
        #expect(report.encoding == .utf8BOM)
        #expect(imported.clients.count == original.clients.count)
        #expect(carried(imported) == carried(original))
        #expect(imported.clients.first { $0.personnummer == original.clients[1].personnummer }?.notes == original.clients[1].notes)
        // And the second round is byte for byte the first.
        #expect(CaseloadExport.csv(imported).text == exported.text)
        // The rules see the same deadlines (manual bevakningar are not part of the format).
        func deadlines(_ caseload: Caseload) -> [String] {
            caseload.clients.flatMap { client in
                RuleEngine.ruleItems(for: client, routines: .standard, today: today).map {
                    "\(client.personnummer.digits) \($0.kind.rawValue) \($0.due)"
                }
            }.sorted()
        }
        #expect(deadlines(imported) == deadlines(original))
    }

    @Test func aPersonWithoutDecisionsIsCountedNotDropped() {
        let caseload = Caseload(clients: [Client(id: "c1", name: "Utan Beslut", personnummer: Personnummer(unchecked: "192001011564"))])
        let result = CaseloadExport.csv(caseload)
        #expect(result.rows == 0)
        #expect(result.peopleLeftOut == 1)
    }
}
