import BevakaTestSupport
import Testing
@testable import BevakaDomain

@Suite struct DayTests {
    @Test func parsesBothFormsAndRejectsImpossibleDates() {
        #expect(Day(iso: "2025-03-01") == Day(year: 2025, month: 3, day: 1))
        #expect(Day(iso: "20250301") == Day(year: 2025, month: 3, day: 1))
        #expect(Day(iso: "2025-02-29") == nil)
        #expect(Day(iso: "2024-02-29") != nil)
        #expect(Day(iso: "2025-13-01") == nil)
        #expect(Day(iso: "2025-1-01") == nil)
        #expect(Day(iso: "25-03-01") == nil)
        #expect(Day(iso: "2025/03/01") == nil)
        #expect(Day(iso: "") == nil)
    }

    @Test func roundTripsAcrossCenturies() {
        for text in ["1900-01-01", "1920-02-29", "1970-01-01", "2000-02-29", "2026-11-22", "2100-12-31"] {
            #expect(d(text).description == text)
        }
        #expect(d("1970-01-01").dayNumber == 0)
        #expect(d("1969-12-31").dayNumber == -1)
    }

    @Test func monthArithmeticClampsToTheMonthsEnd() {
        #expect(d("2024-02-29").adding(months: 12) == d("2025-02-28"))
        #expect(d("2025-01-31").adding(months: 1) == d("2025-02-28"))
        #expect(d("2024-01-31").adding(months: 1) == d("2024-02-29"))
        #expect(d("2025-03-31").adding(months: -1) == d("2025-02-28"))
        #expect(d("2025-12-15").adding(months: 1) == d("2026-01-15"))
        #expect(d("2026-01-15").adding(months: -13) == d("2024-12-15"))
    }

    @Test func weekdayAndIsoWeek() {
        #expect(d("2026-11-22").weekday == 7)  // a Sunday
        #expect(d("2026-11-23").weekday == 1)
        #expect(d("2026-11-22").isoWeek == 47)
        #expect(d("2021-01-03").isoWeek == 53)
        #expect(d("2026-01-01").isoWeek == 1)
        #expect(d("2024-12-30").isoWeek == 1)
    }
}
