import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

/// Issue 36, item 5: a form field is declared once (`FieldSpec`: key, label, kind, load, save).
/// Each form typed with what a rich record loads into its fields saves a record that loads the
/// same: a field whose save is missing or wrong, or that another field's save forgets, fails here.
@Suite struct FieldSpecTests {
    static let rich: Client = {
        var client = Client(id: "x", name: "Rut Ek", personnummer: (try? Personnummer.parse("19400114-0005", today: d("2026-11-22")))!,
                            representative: Representative(name: "Per Ek", role: "god man", contact: "per@example.se"),
                            notes: "Hund i hallen", livesWithChildren: false)
        client.address = Address(street: "Storgatan 1", postcode: "463 30", town: "Lilla Edet")
        client.phones = [Phone(label: Phone.own, number: "070-123 45 67"), Phone(label: Phone.relative, number: "0520-123 45"),
                         Phone(label: Phone.guardian, number: "08-123 45 67")]
        client.doorCode = "1234"
        client.access = "Nyckel i tub"
        client.protectedIdentity = true
        return client
    }()

    static let richDecision: Decision = {
        var decision = Decision(id: "d", law: .lss, service: "Ledsagarservice", form: .frame, grantedHours: 12.5,
                                validFrom: d("2026-01-01"), validTo: d("2026-12-31"), startedOn: d("2026-01-10"),
                                provider: Provider(name: "Omsorg AB", regi: .private, caseSystemAccess: true,
                                                   contact: "Eva", phone: "031-12 34 56"),
                                consent: .notAsked)
        decision.decidedOn = d("2025-12-15")
        decision.notCarriedOut = "Halva tiden"
        decision.delayReason = "Brist på personal"
        decision.consequences = "Färre utflykter"
        decision.postponedOn = d("2026-02-01")
        decision.orderConfirmedOn = d("2025-12-20")
        decision.escalatedOn = d("2026-01-05")
        return decision
    }()

    func typedAndSaved<Target>(_ specs: [FieldSpec<Target>], from rich: Target, into blank: Target, today: Day) -> Target {
        var form = FormState(purpose: .newClient, title: "", fields: specs.fields(rich))
        let values = form.check(today: today)
        for field in form.fields { #expect(field.error == nil, "\(field.label): \(field.error ?? "")") }
        var saved = blank
        specs.save(values, into: &saved)
        return saved
    }

    @Test func everyPersonFieldLoadsWhatItSaves() {
        var blank = Client(id: "x", name: "", personnummer: Self.rich.personnummer)
        blank.phones = [Phone(label: "arbete", number: "031-11 11 11")]
        let saved = typedAndSaved(AppState.personFields, from: Self.rich, into: blank, today: d("2026-11-22"))
        for spec in AppState.personFields {
            #expect(spec.load(saved) == spec.load(Self.rich), "\(spec.label)")
        }
        // A number with a label of its own (from a file) is kept.
        #expect(saved.phones.contains(Phone(label: "arbete", number: "031-11 11 11")))
        // And the whole person as it was, apart from that number.
        var expected = Self.rich
        expected.phones = [Phone(label: "arbete", number: "031-11 11 11")] + Self.rich.phones
        #expect(saved == expected)
    }

    @Test func everyDecisionFieldLoadsWhatItSaves() {
        let specs = AppState.decisionFields(services: ["Ledsagarservice"], providers: ["Omsorg AB"])
        let blank = Decision(id: "d", law: .sol, service: "", validFrom: d("2020-01-01"))
        let saved = typedAndSaved(specs, from: Self.richDecision, into: blank, today: d("2026-11-22"))
        for spec in specs { #expect(spec.load(saved) == spec.load(Self.richDecision), "\(spec.label)") }
        #expect(saved == Self.richDecision)
    }

    @Test func everyPlanFieldLoadsWhatItSaves() {
        let rich = CarePlan(received: d("2026-01-15"), established: d("2026-02-01"), revised: d("2026-08-01"),
                            personTookPart: false, notTakenPartReason: "Sjukhusvistelse")
        let saved = typedAndSaved(AppState.planFields, from: rich, into: CarePlan(), today: d("2026-11-22"))
        #expect(saved == rich)
    }

    @Test func everyOfferAndInterruptionFieldLoadsWhatItSaves() {
        let offer = Offer(on: d("2026-03-02"), what: "Plats på Solgården", accepted: false)
        #expect(typedAndSaved(AppState.offerFields, from: offer, into: Offer(on: d("2026-11-22"), what: "", accepted: true),
                              today: d("2026-11-22")) == offer)
        // The open interruption's form starts with Återupptaget empty, to be written.
        let open = Interruption(from: d("2026-05-01"), reason: "Sjukhusvistelse")
        #expect(typedAndSaved(AppState.interruptionFields, from: open, into: Interruption(from: d("2026-11-22")),
                              today: d("2026-11-22")) == open)
        // A new one's date starts as today.
        #expect(AppState.offerFields.fields(nil).first?.text == "idag")
    }

    @Test func everyBookingFieldLoadsWhatItSaves() {
        let specs = AppState.bookingFields(for: Self.rich, providers: ["Omsorg AB"])
        for booking in [Booking(date: d("2026-12-10"), start: 600, minutes: 90, place: "Kafé Solen", invited: ["den enskilde", "Per Ek", "Omsorg AB"]),
                        // At the person's address (kept as no place of its own).
                        Booking(date: d("2026-12-11"), start: 13 * 60 + 30, minutes: 60, place: nil, invited: ["den enskilde", "Omsorg AB"])] {
            #expect(typedAndSaved(specs, from: booking, into: Booking(date: d("2026-11-22"), start: 0), today: d("2026-11-22")) == booking)
        }
        // The provider is invited even when taken off the list.
        var values = FormState(purpose: .newClient, title: "", fields: specs.fields(nil))
        if let index = values.fields.firstIndex(where: { $0.key == .invited }) { values.fields[index].editor = LineEditor("den enskilde") }
        var saved = Booking(date: d("2026-11-22"), start: 600)
        specs.save(values.check(today: d("2026-11-22")), into: &saved)
        #expect(saved.invited == ["den enskilde", "Omsorg AB"])
    }

    @Test func performedTimeAndClosingLoadWhatTheySave() {
        var decision = Self.richDecision
        decision.performedHours = 10.5
        decision.performedMonth = "2026-10"
        decision.closedOn = d("2026-11-20")
        let blank = Decision(id: "d", law: .lss, service: "Ledsagarservice", validFrom: d("2026-01-01"))
        let performed = typedAndSaved(AppState.performedFields(lastMonth: "2026-10"), from: decision, into: blank, today: d("2026-11-22"))
        #expect(performed.performedHours == 10.5 && performed.performedMonth == "2026-10")
        let closed = typedAndSaved(AppState.closeFields, from: decision, into: blank, today: d("2026-11-22"))
        #expect(closed.closedOn == d("2026-11-20"))
        // A new one opens on last month and today.
        #expect(AppState.performedFields(lastMonth: "2026-10").fields(nil).map(\.text) == ["2026-10", ""])
        #expect(AppState.closeFields.fields(nil).first?.text == "idag")
    }

    /// Choices are enums: no form compares a picked field's words as text.
    @Test func noFormComparesAChoicesWords() throws {
        let found = try PurityTests.uiLines(
            matching: #"[!=]= "(ja|nej|privat|kommunal|LSS|SoL|man|kvinna|rambeslut|insatsbeslut|ej tillfrågad)""#).found
        #expect(found.isEmpty, "\(found)")
    }
}
