import BevakaTestSupport
import BevakaDomain
import Foundation
import BevakaStore
import Testing
@testable import BevakaUI

/// Issue 23: a follow-up is never moved into the past without asking; `m` picks the day in the årshjul.
@Suite struct YearPlanMoveTests {
    @Test func aMonthEarlierIntoThePastAsksAndNoKeepsTheDate() throws {
        var state = demoState()
        press(&state, .character("2"), .down, .enter)  // December
        let entry = try #require(state.monthEntries(state.yearPlan).first)
        #expect(entry.due == d("2026-12-07"))
        press(&state, .character("<"))
        let choice = try #require(state.choice)
        guard case .move(let move)? = choice.options.last?.answer else {
            Issue.record("no move asked")
            return
        }
        // The question carries the move it asks about (issue 36, item 2).
        #expect(move.day == d("2026-11-06") && choice.title.contains("2026-11-06 har redan passerat (idag är 2026-11-22)"))
        #expect(render(state).text.contains("har redan passerat"))
        press(&state, .character("1"))
        #expect(state.message == "Inte flyttad: datumet är kvar.")
        #expect(state.monthEntries(state.yearPlan).contains { $0.clientID == entry.clientID && $0.due == entry.due })
        // Yes moves it.
        press(&state, .character("<"), .character("2"))
        #expect(state.caseload.clients.first { $0.id == entry.clientID }?.reminders.contains { $0.due == d("2026-11-06") } == true)
    }

    @Test func mPicksTheDayInTheYearPlan() throws {
        var state = demoState()
        press(&state, .character("2"), .down, .enter)
        let entry = try #require(state.monthEntries(state.yearPlan).first)
        press(&state, .character("m"))
        #expect(state.prompt != nil)
        press(&state, .ctrl("u"))
        type(&state, "2026-12-03")
        press(&state, .enter)
        #expect(state.choice == nil, "\(state.choice?.title ?? "")")
        #expect(state.caseload.clients.first { $0.id == entry.clientID }?.reminders.contains { $0.due == d("2026-12-03") } == true)
        // A passed day typed there asks too.
        press(&state, .character("m"), .ctrl("u"))
        type(&state, "2026-11-02")
        press(&state, .enter)
        #expect(state.choice?.title.contains("har redan passerat") == true)
    }
}

/// Issue 24, item 12: booking times that do not exist or happen twice, and absurd years.
@Suite struct BookingTimeTests {
    @Test func summerTimeDaysAndSaneYears() throws {
        #expect(StockholmTime.check(d("2026-03-29"), minutes: 150) == .missing)
        #expect(StockholmTime.check(d("2026-10-25"), minutes: 150) == .twice)
        #expect(StockholmTime.check(d("2026-03-29"), minutes: 180) == .ok && StockholmTime.check(d("2026-10-25"), minutes: 180) == .ok)
        #expect(StockholmTime.check(d("2026-11-24"), minutes: 150) == .ok)
        #expect(throws: FieldInput.Problem.self) { try FieldInput.date("9999-12-31", today: d("2026-11-22"), required: true) }

        var state = demoState()
        let person = try #require(state.caseload.clients.first)
        state.openBookingForm(person.id, fromChecklist: false)
        type(&state, "2027-03-28")
        press(&state, .tab)
        type(&state, "02:30")
        press(&state, .ctrl("s"))
        #expect(state.form?.fields.first { $0.key == .time }?.error == "02:30 finns inte den dagen (sommartid börjar, klockan går från 02:00 till 03:00).")
        #expect(state.client(person.id)?.booking == nil)
    }

    /// The shortcut for days the clock does not change gives what the calendar gives, every
    /// day of five years, at the hours around the change and across midnight.
    @Test func onlyTheChangeDaysNeedTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Stockholm")!
        func wallEnd(_ day: Day, _ start: Int, _ minutes: Int) -> Int? {
            guard let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day,
                                                                hour: start / 60, minute: start % 60)) else { return nil }
            let end = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date.addingTimeInterval(Double(minutes) * 60))
            guard let endDay = Day(year: end.year!, month: end.month!, day: end.day!) else { return nil }
            return (endDay.dayNumber - day.dayNumber) * 1440 + end.hour! * 60 + end.minute!
        }
        var day = d("2026-01-01"), changeDays = 0
        while day <= d("2030-12-31") {
            if StockholmTime.clockChanges(on: day) {
                changeDays += 1
            } else {
                for start in [0, 90, 150, 600, 1380] {
                    #expect(StockholmTime.check(day, minutes: start) == .ok, "\(day) \(start)")
                    if !StockholmTime.clockChanges(on: day.adding(days: 1)) {
                        #expect(StockholmTime.endMinutes(day, start: start, minutes: 240, secondOccurrence: false) == wallEnd(day, start, 240),
                                "\(day) \(start)")
                    }
                }
            }
            day = day.adding(days: 1)
        }
        #expect(changeDays == 10)
        #expect(StockholmTime.endMinutes(d("2026-03-28"), start: 23 * 60, minutes: 240, secondOccurrence: false) == wallEnd(d("2026-03-28"), 23 * 60, 240))
    }

    /// Issue 35, item 9: a time that happens twice (2026-10-25, a Sunday) asks which one, then
    /// the day off; the second is saved as such, shown as normal time, written to the calendar
    /// in UTC, and read back the same by both of the store's readers.
    @Test func aTimeThatHappensTwiceAsksWhichOne() throws {
        var state = demoState()
        state.today = d("2026-10-01")
        let person = try #require(state.caseload.clients.first)
        book(&state, person.id, date: "2026-10-25", time: "02:30")
        let asked = try #require(state.choice)
        #expect(asked.title.contains("Kl. 02:30 finns två gånger 2026-10-25"), "\(asked.title)")
        #expect(asked.labels == ["Första gången (sommartid, +02:00)", "Andra gången (normaltid, +01:00)"])
        press(&state, .character("2"))
        #expect(state.choice?.title.contains("är en söndag") == true, "\(state.choice?.title ?? "")")
        press(&state, .character("2"))
        let booking = try #require(state.client(person.id)?.booking)
        #expect(booking.secondOccurrence && booking.start == 150)
        #expect(booking.startTextWithOccurrence == "02:30 (normaltid)" && booking.endText == "03:30")
        #expect(state.message?.contains("kl. 02:30 (normaltid)") == true, "\(state.message ?? "")")
        // The first of the two ends an hour of real time later: at 02:30 on the clock again.
        var first = booking
        first.secondOccurrence = false
        #expect(first.startTextWithOccurrence == "02:30 (sommartid)" && first.endText == "02:30")
        // Across the change: 01:30 for two hours ends at 02:30 in the autumn, 04:30 in the spring.
        #expect(Booking(date: d("2026-10-25"), start: 90, minutes: 120).endText == "02:30")
        #expect(Booking(date: d("2027-03-28"), start: 90, minutes: 120).endText == "04:30")
        #expect(Booking(date: d("2026-11-24"), start: 23 * 60, minutes: 120).endText == "01:00")
        // The calendar: the second in UTC (a TZID time that happens twice means the first).
        var caseload = state.caseload
        let ics = CalendarExport.ics(caseload: caseload, routines: .standard, today: state.today,
                                     options: .init(from: state.today, to: d("2026-12-31"), stamp: "20261001T000000Z"))
        let event = try #require(ics.components(separatedBy: "BEGIN:VEVENT").first { $0.contains("\(person.id).booking@bevaka") })
        #expect(event.contains("DTSTART:20261025T013000Z\r\n") && event.contains("DURATION:PT60M\r\n"), "\(event)")
        if let index = caseload.clients.firstIndex(where: { $0.id == person.id }) { caseload.clients[index].booking = first }
        let firstICS = CalendarExport.ics(caseload: caseload, routines: .standard, today: state.today,
                                     options: .init(from: state.today, to: d("2026-12-31"), stamp: "20261001T000000Z"))
        #expect(firstICS.contains("DTSTART;TZID=Europe/Stockholm:20261025T023000\r\n"))
        // Saved and read back, by the reference decoder and by the store's own reader.
        let data = try BevakaStore.StoreCodec.encode(state.caseload)
        #expect(String(decoding: data, as: UTF8.self).contains("\"secondOccurrence\":true"))
        #expect(try StoreCodec.decode(data, path: "/s", latestBackup: nil).clients.first { $0.id == person.id }?.booking == booking)
        #expect(try JSONDecoder().decode(Booking.self, from: JSONEncoder().encode(booking)) == booking)
    }
}
