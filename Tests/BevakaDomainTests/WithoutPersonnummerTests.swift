import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

/// People without a Swedish personnummer (issue 33, item 2): asylum seekers, a reservnummer, no
/// number at all. Identified by the birth date, the sex and a reference; every rule works for
/// them as for anyone.
@Suite struct WithoutPersonnummerTests {

    @Test func theIdentityHoldsTheBirthDateTheSexAndTheReference() throws {
        let reserve = Personnummer.withoutSwedishNumber(born: d("1990-01-01"), sex: .woman, reservnummer: "r-123 ab", name: "Amina A")
        #expect(reserve.digits == "19900101K-RR123AB")
        #expect(reserve.isWithoutSwedishNumber && !reserve.hasSwedishNumber && !reserve.hasValidCheckDigit)
        #expect(reserve.birthDate == d("1990-01-01") && reserve.sex == .woman && reserve.sexDigit == 0)
        #expect(reserve.reservnummer == "R123AB")
        #expect(reserve.masked == "19900101-XXXX")
        #expect(reserve.formatted == "19900101, saknar svenskt personnummer (reservnummer R123AB)")
        #expect(reserve.age(on: today) == 36)

        // Without a reservnummer the name decides the reference: the same name (case and spaces
        // aside) the same person, another name another.
        let named = Personnummer.withoutSwedishNumber(born: d("1985-06-30"), sex: .man, reservnummer: nil, name: "Omar  Hassan")
        #expect(named.isWithoutSwedishNumber && named.sex == .man && named.sexDigit == 1 && named.reservnummer == nil)
        #expect(named == Personnummer.withoutSwedishNumber(born: d("1985-06-30"), sex: .man, reservnummer: nil, name: "omar hassan"))
        #expect(named != Personnummer.withoutSwedishNumber(born: d("1985-06-30"), sex: .man, reservnummer: nil, name: "Omar Hussein"))
        #expect(named != Personnummer.withoutSwedishNumber(born: d("1985-06-30"), sex: .woman, reservnummer: nil, name: "Omar Hassan"))
        #expect(named.formatted == "19850630, saknar svenskt personnummer")

        // A reservnummer that is empty after cleaning, or too long, is none.
        #expect(Personnummer.normalisedReservnummer("--") == nil)
        #expect(Personnummer.normalisedReservnummer(String(repeating: "1", count: 21)) == nil)

        // Stored and read back; a damaged form is refused like a damaged personnummer.
        let data = try JSONEncoder().encode([reserve, named])
        #expect(try JSONDecoder().decode([Personnummer].self, from: data) == [reserve, named])
        for bad in ["19901301K-R1", "19900101X-R1", "19900101K-Q1", "19900101K-N12", "19900101K-r1", "19900101K-R",
                    "19900101KR123", "1990010112345"] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder().decode([Personnummer].self, from: Data("[\"\(bad)\"]".utf8)) }
        }
    }

    /// Every rule gives a person without a personnummer exactly what it gives the same person with
    /// one: the demo caseload, each person's identity replaced, over a year of days.
    @Test func everyRuleWorksForThem() throws {
        let demo = DemoCaseload.make(today: today)
        var without = demo
        for index in without.clients.indices {
            let number = without.clients[index].personnummer
            without.clients[index].personnummer = Personnummer.withoutSwedishNumber(
                born: try #require(number.birthDate), sex: (number.sexDigit ?? 0) % 2 == 1 ? .man : .woman,
                reservnummer: nil, name: without.clients[index].name)
        }
        #expect(without.clients.allSatisfy { $0.personnummer.isWithoutSwedishNumber })
        var day = today.adding(days: -200)
        var compared = 0
        while day <= today.adding(days: 200) {
            let withNumbers = RuleEngine.items(for: demo, routines: .standard, today: day)
            let withoutNumbers = RuleEngine.items(for: without, routines: .standard, today: day)
            #expect(withNumbers == withoutNumbers, "\(day)")
            compared += withNumbers.count
            day = day.adding(days: 13)
        }
        #expect(compared > 100)
        // The year plan and the IVO report see them too.
        #expect(YearPlan.make(caseload: without, routines: .standard, year: 2027, today: today).months.map(\.planned)
                == YearPlan.make(caseload: demo, routines: .standard, year: 2027, today: today).months.map(\.planned))
        let quarter = try #require(Quarter(parsing: "2026-3"))
        #expect(IVOReport.make(caseload: without, routines: .standard, quarter: quarter).entries.count
                == IVOReport.make(caseload: demo, routines: .standard, quarter: quarter).entries.count)
    }
}
