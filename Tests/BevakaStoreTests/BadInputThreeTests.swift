import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// Issue 24: bad input, round three. Each case with its input, asserting the new behaviour.
@Suite struct BadInputThreeTests {
    static func importing(_ text: String, into caseload: inout Caseload) throws -> CaseloadImport.Report {
        try CaseloadImport.run(Array(text.utf8), into: &caseload, routines: .standard, today: today, startAssumption: .notStarted)
    }

    /// 1. A personnummer typed into free text never reaches the IVO report; the import says so.
    @Test func aPersonnummerInFreeTextIsMaskedInTheIVOReportAndWarnedAbout() throws {
        var caseload = Caseload()
        let report = try Self.importing("""
            personnummer;namn;insats;beslut_fran;beslutsdatum;skal_drojsmal;konsekvenser;ej_verkstallt_del;erbjudanden;avbrott
            192001011564;Astrid Nilsson;hemtjänst;2026-01-20;2026-01-15;Väntar på plats;Anhörig överbelastad 19210419-8383;del 192104198383;2026-03-01 plats hos 192104198383 (avböjt);
            """, into: &caseload)
        #expect(report.rejected.isEmpty)
        #expect(report.warnings.count == 3 && report.warnings.allSatisfy { $0.contains("fältet innehåller ett personnummer") })
        #expect(report.warnings.first?.hasPrefix("rad 2, kolumnen konsekvenser") == true)
        var ivo = IVOReport.make(caseload: caseload, routines: .standard, quarter: try #require(Quarter(parsing: "2026-2")))
        IVOReport.assignIdentifiers(&ivo, caseload: &caseload)
        let outputs = [ivo.text(), ivo.csvRows().flatMap { $0 }.joined(separator: ";"),
                       String(decoding: try JSONSerialization.data(withJSONObject: ivo.jsonObject()), as: UTF8.self)]
        for output in outputs {
            #expect(!output.contains("19210419-8383") && !output.contains("192104198383") && !output.contains("2104198383"))
            #expect(output.contains("Anhörig överbelastad"))
        }
        // A phone number or an order number in free text is no personnummer.
        #expect(!Personnummer.occurs(in: "ring 0701234567 eller order 123456789012"))
        #expect(Personnummer.occurs(in: "se 19210419-8383") && Personnummer.occurs(in: "210419-8383") && Personnummer.occurs(in: "192104198383"))
        // The form refuses it in any text field.
        #expect(throws: FieldInput.Problem.self) { try FieldInput.text("Anhörig 19210419-8383", required: false, what: "Konsekvenser") }
    }

    /// 2. A personnummer in the wrong column is refused with the column named.
    @Test func aPersonnummerInTheWrongColumnIsRefused() throws {
        for (column, row) in [("insats", "192001011564;Astrid Nilsson;19400102-1234x;2026-01-20"),
                              ("insats", "192001011564;Astrid Nilsson;19210419-8383;2026-01-20"),
                              ("namn", "192001011564;192104198383;hemtjänst;2026-01-20")] {
            var caseload = Caseload()
            let report = try Self.importing("personnummer;namn;insats;beslut_fran\n" + row + "\n", into: &caseload)
            if row.contains("1234x") {
                #expect(report.rejected.isEmpty)  // not a valid personnummer: a (strange) insats
                continue
            }
            #expect(report.rejected.count == 1 && caseload.clients.isEmpty, "\(row)")
            #expect(report.rejected.first?.message.contains("kolumnen \(column): cellen innehåller ett personnummer") == true,
                    "\(report.rejected.first?.message ?? "")")
            #expect(report.rejected.first.map { !$0.message.contains("8383") } == true)
        }
    }
}
