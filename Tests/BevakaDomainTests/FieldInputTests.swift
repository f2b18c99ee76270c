import BevakaTestSupport
import Testing
@testable import BevakaDomain

@Suite struct FieldInputTests {

    @Test func dates() throws {
        #expect(try FieldInput.date("2026-12-01", today: today, required: true) == d("2026-12-01"))
        #expect(try FieldInput.date("20261201", today: today, required: true) == d("2026-12-01"))
        #expect(try FieldInput.date("idag", today: today, required: true) == today)
        #expect(try FieldInput.date(" +2v ", today: today, required: true) == d("2026-12-06"))
        #expect(try FieldInput.date("-3d", today: today, required: true) == d("2026-11-19"))
        // +1m from 31 January is the last day of February (clamped), in a leap year too.
        #expect(try FieldInput.date("+1m", today: d("2026-01-31"), required: true) == d("2026-02-28"))
        #expect(try FieldInput.date("+1m", today: d("2028-01-31"), required: true) == d("2028-02-29"))
        #expect(try FieldInput.date("+1m", today: d("2026-03-31"), required: true) == d("2026-04-30"))
        #expect(try FieldInput.date("", today: today, required: false) == nil)
        #expect(throws: FieldInput.Problem("Datum måste fyllas i (\(DateInput.hint)).")) {
            try FieldInput.date(" ", today: today, required: true)
        }
        for bad in ["2026-02-30", "31/1", "+1x", "igår", "2026-13-01"] {
            #expect(throws: FieldInput.Problem.self) { try FieldInput.date(bad, today: today, required: true) }
        }
    }

    @Test func hoursTakeADecimalComma() throws {
        #expect(try FieldInput.hours("12,5") == 12.5)
        #expect(try FieldInput.hours("7.25") == 7.25)
        #expect(try FieldInput.hours("30 tim") == 30)
        #expect(try FieldInput.hours("") == nil)
        #expect(throws: FieldInput.Problem("Timmar kan inte vara under noll.")) { try FieldInput.hours("-1") }
        #expect(throws: FieldInput.Problem.self) { try FieldInput.hours("tolv") }
        #expect(throws: FieldInput.Problem.self) { try FieldInput.hours("1,2,3") }
        #expect(throws: FieldInput.Problem.self) { try FieldInput.hours("800") }
        #expect(FieldInput.formatHours(12.25) == "12,25")
        #expect(FieldInput.formatHours(30) == "30")
        #expect(FieldInput.formatHours(33.5) == "33,5")
    }

    @Test func personnummerNamesTheProblem() throws {
        #expect(try FieldInput.personnummer("19121212-1212", today: today).formatted == "19121212-1212")
        #expect(throws: FieldInput.Problem("Personnumrets kontrollsiffra stämmer inte.")) {
            try FieldInput.personnummer("19121212-1213", today: today)
        }
        #expect(throws: FieldInput.Problem.self) { try FieldInput.personnummer("1912", today: today) }
    }

    @Test func textMonthAndChoices() throws {
        #expect(try FieldInput.text("  Åsa Öberg \u{1B}[31m ", required: true, what: "Namn") == "Åsa Öberg [31m")
        #expect(throws: FieldInput.Problem("Namn måste fyllas i.")) { try FieldInput.text(" ", required: true, what: "Namn") }
        #expect(try FieldInput.month("2026-10", today: today)! == (2026, 10))
        #expect(try FieldInput.month("idag", today: today)! == (2026, 11))
        #expect(throws: FieldInput.Problem.self) { try FieldInput.month("2026-13", today: today) }
        #expect(try FieldInput.choice("lss", options: ["SoL", "LSS"], required: true, what: "lag") == "LSS")
        #expect(throws: FieldInput.Problem.self) { try FieldInput.choice("HSL", options: ["SoL", "LSS"], required: true, what: "lag") }
        let services = ["hemtjänst", "avlösarservice i hemmet", "trygghetslarm"]
        #expect(FieldInput.find("hem", in: services) == ["hemtjänst", "avlösarservice i hemmet"])
        #expect(FieldInput.find("i hem", in: services) == ["avlösarservice i hemmet"])
        #expect(FieldInput.find("", in: services) == services)
    }
}
