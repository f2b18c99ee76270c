import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

@Suite struct BookingTests {
    func fill(_ state: inout AppState, date: String, time: String) {
        type(&state, date)
        press(&state, .tab)
        type(&state, time)
        press(&state, .ctrl("s"))
    }

    /// Sven Öberg's case, K, and the date and time typed and saved; his id.
    func bookSven(_ state: inout AppState, date: String, time: String) throws -> String {
        let sven = try #require(state.caseload.clients.first { $0.name == "Sven Öberg" })
        state.openCase(sven.id)
        press(&state, .character("K"))
        fill(&state, date: date, time: time)
        return sven.id
    }

    @Test func aBookingFromTheChecklistAnswersItsItemAndShowsOnTheOverview() throws {
        var state = demoState()
        _ = reduce(&state, .newDay(d("2026-11-23")))  // a Monday: the 24th is this week
        // Vård- och omsorgsboende: seed 000's checklist has the boka item.
        let sven = try #require(state.caseload.clients.first { $0.name == "Astrid Nilsson" })
        state.openCase(sven.id)
        press(&state, .character("F"), .enter, .enter)
        #expect(state.phaseEntries.contains { $0.template.id == "bokamote" })
        try press(&state, .down, until: "the boka item selected") { $0.selectedEntry?.template.id == "bokamote" }
        press(&state, .enter)
        #expect(state.form?.title == "Boka besök hos Astrid Nilsson")
        // The provider is invited by default; the place is the person's address.
        #expect(state.form?.field(.invited)?.text == "den enskilde, Solgårdens vård- och omsorgsboende")
        #expect(state.form?.field(.place)?.text == "Solgårdsvägen 4, lgh 1102, 463 30 Lilla Edet")
        fill(&state, date: "2026-11-24", time: "9.30")
        #expect(state.screen == .checklist)
        let booking = try #require(state.client(sven.id)?.booking)
        #expect(booking == Booking(date: d("2026-11-24"), start: 9 * 60 + 30, minutes: 60, place: nil,
                                   invited: ["den enskilde", "Solgårdens vård- och omsorgsboende"]))
        #expect(state.openClient?.draft?.answer("bokamote").mark == .done)
        #expect(state.message == "Besöket hos Astrid Nilsson är bokat 2026-11-24 kl. 09:30.")
        // Översikt: this week, with its time, never the place.
        press(&state, .ctrl("x"), .escape, .character("1"))
        let overview = render(state).text
        #expect(overview.contains("tis 09:30 Astrid Nilsson    19200101 Bokat besök, 09:30–10:30"))
        #expect(!overview.contains("Solgårdsvägen"))
    }

    @Test func aSaturdayIsSaidAsSuch() throws {
        var state = demoState()
        _ = try bookSven(&state, date: "2027-01-09", time: "10:00")
        #expect(state.choice?.title == "2027-01-09 är en lördag, ingen arbetsdag. Boka ändå?")
    }

    @Test func aWeekendOrHolidayAsksBeforeItIsKept() throws {
        var state = demoState()
        let svenID = try bookSven(&state, date: "2026-12-25", time: "10:00")
        #expect(state.choice?.title == "2026-12-25 är juldagen, ingen arbetsdag. Boka ändå?")
        press(&state, .enter)  // the default: no — back at the form's date (issue 35, item 13)
        #expect(state.client(svenID)?.booking == nil)
        #expect(state.screen == .form && state.form?.fields[state.form?.focus ?? -1].key == .date)
        #expect(state.form?.field(.time)?.text == "10:00" && state.message == "Välj en annan dag.")
        press(&state, .ctrl("u"))
        type(&state, "2026-12-26")
        press(&state, .ctrl("s"))
        #expect(state.choice?.title == "2026-12-26 är annandag jul, ingen arbetsdag. Boka ändå?")
        press(&state, .character("2"))
        #expect(state.client(svenID)?.booking?.date == d("2026-12-26"))
        #expect(state.form == nil)
        // A day already past is refused beside the field.
        press(&state, .character("K"), .ctrl("u"))
        fill(&state, date: "2026-11-01", time: "10:00")
        #expect(state.form?.fields[0].error == "Ett besök bokas idag eller senare, inte 2026-11-01.")
        press(&state, .escape, .character("2"))
        // A time that is not one is refused beside the field.
        press(&state, .character("K"), .tab, .ctrl("u"))
        type(&state, "25:00")
        press(&state, .tab)
        #expect(state.form?.fields[1].error == "Tiden ska skrivas TT:MM, t.ex. 10:00 eller 13.30.")
    }

    @Test func finishingTheFollowUpClearsThePastBooking() throws {
        var state = demoState()
        let erik = try #require(state.caseload.clients.first { $0.name == "Erik Johansson" })
        #expect(erik.booking?.date == today)
        state.openCase(erik.id)
        press(&state, .character("F"), .enter, .enter)
        // Booked before the follow-up started: the boka item is already answered.
        #expect(state.openClient?.draft?.answer("bokamote").mark == .done)
        press(&state, .character("S"), .character("2"), .character("1"))
        // The booking's invitees are who took part, unless the visit recorded others (issue 35, item 16).
        let invited = try #require(erik.booking?.invited)
        #expect(!invited.isEmpty && state.prompt?.editor.text == invited.joined(separator: ", "))
        press(&state, .enter)
        #expect(state.client(erik.id)?.followUps.count == 2)
        #expect(state.client(erik.id)?.booking == nil)
    }

    /// Issue 35, item 16: a follow-up finished before the booked visit asks whether the booking
    /// still stands; "Nej" keeps it, "Ja" ends it, Esc finishes nothing.
    @Test func aFollowUpFinishedBeforeTheBookedVisitAsksAboutTheBooking() throws {
        for (answer, kept) in [(Key.character("1"), true), (Key.character("2"), false), (Key.escape, true)] {
            var state = demoState()
            let erik = try #require(state.caseload.clients.first { $0.name == "Erik Johansson" })
            guard let index = state.clientIndex[erik.id] else { Issue.record("no Erik"); return }
            state.caseload.clients[index].booking?.date = d("2026-11-30")
            state.openCase(erik.id)
            press(&state, .character("F"), .enter, .enter)
            press(&state, .character("S"), .character("2"), .character("1"), .enter)
            let asked = try #require(state.choice)
            #expect(asked.title == "Ett besök är bokat 2026-11-30 kl. 10:00, efter uppföljningen. Ta bort bokningen?", "\(asked.title)")
            press(&state, answer)
            #expect((state.client(erik.id)?.booking != nil) == kept, "\(answer)")
            #expect(state.client(erik.id)?.followUps.count == (answer == .escape ? 1 : 2), "\(answer)")
            #expect((state.client(erik.id)?.draft != nil) == (answer == .escape), "\(answer)")
        }
    }
}
