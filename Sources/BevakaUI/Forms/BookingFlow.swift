import BevakaDomain

/// Booking the visit (seed 000): date, time, length, place (the person's address unless
/// another is written) and who is invited (the person decides; the provider always takes part,
/// seed 003). The checklist's `bokamote` item is answered by it; a weekend or a holiday asks first.
extension AppState {
    mutating func openBookingForm(_ clientID: String, fromChecklist: Bool) {
        guard let client = client(clientID) else { return }
        openForm(FormState(purpose: .booking(clientID: clientID, fromChecklist: fromChecklist),
                           title: "Boka besök hos \(client.name)", fields: bookingFormFields(client)))
    }

    func bookingFormFields(_ client: Client) -> [FormField] {
        AppState.bookingFields(for: client, providers: bookingProviders(client)).fields(client.booking)
    }

    /// The running decisions' providers, once each.
    func bookingProviders(_ client: Client) -> [String] {
        Array(Set(client.runningDecisions(on: today).compactMap { $0.provider?.name })).sorted()
    }

    /// From the form: the booking, or nil (the form shows why).
    mutating func commitBooking(_ values: FormValues, clientID: String, fromChecklist: Bool) -> [Effect] {
        guard let client = client(clientID), let date = values.day(.date), let start = values.minutes(.time),
              values.minutes(.minutes) != nil else { return [] }
        var booking = Booking(date: date, start: start)
        AppState.bookingFields(for: client, providers: bookingProviders(client)).save(values, into: &booking)
        // A time that happens twice (02:00–02:59 the night summer time ends): which one is asked
        // over the form, first (issue 35, item 9).
        if StockholmTime.check(date, minutes: start) == .twice {
            var second = booking
            second.secondOccurrence = true
            push(.choice(Choice("Kl. \(booking.startText) finns två gånger \(date): sommartiden slutar och klockan ställs "
                                + "tillbaka från 03:00 till 02:00. Vilken gång?", [
                                .init("Första gången (sommartid, +02:00)",
                                      .book(booking, clientID: clientID, fromChecklist: fromChecklist, dayOffAsked: false)),
                                .init("Andra gången (normaltid, +01:00)",
                                      .book(second, clientID: clientID, fromChecklist: fromChecklist, dayOffAsked: false)),
                            ], selected: client.booking.map { $0.date == date && $0.start == start && $0.secondOccurrence ? 1 : 0 } ?? 0)))
            return []
        }
        return confirmOrSaveBooking(booking, clientID: clientID, fromChecklist: fromChecklist)
    }

    /// A booking on a day off is asked about over the form; any other is saved.
    mutating func confirmOrSaveBooking(_ booking: Booking, clientID: String, fromChecklist: Bool) -> [Effect] {
        let date = booking.date
        if !WorkingDays.isWorkingDay(date) {
            // Asked over the form, which stays: "Nej" goes back to its date (issue 35, item 13).
            let what = WorkingDays.holidayName(date) ?? (date.weekday == 6 ? "en lördag" : date.weekday == 7 ? "en söndag" : "ingen arbetsdag")
            push(.choice(Choice("\(date) är \(what), ingen arbetsdag. Boka ändå?", [
                .init("Nej, välj en annan dag", .bookAnotherDay),
                .init("Ja, boka", .book(booking, clientID: clientID, fromChecklist: fromChecklist, dayOffAsked: true)),
            ])))
            return []
        }
        self.form = nil
        return saveBooking(booking, clientID: clientID, fromChecklist: fromChecklist)
    }

    /// "Nej" to a booking on a day off: back to the form's date, the rest of what was typed kept.
    mutating func bookAnotherDay() {
        if let date = form?.fields.firstIndex(where: { $0.key == .date }) {
            form?.focus = date
            screen = .form
            message = "Välj en annan dag."
        } else {
            message = "Inte bokat. K bokar en annan dag."
        }
    }

    mutating func saveBooking(_ booking: Booking, clientID: String, fromChecklist: Bool) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        openClientID = clientID
        screen = fromChecklist ? .checklist : .caseDetail
        let name = caseload.clients[index].name
        return mutate("Besöket hos \(name) är bokat \(booking.date) kl. \(booking.startTextWithOccurrence).") { caseload in
            caseload.clients[index].booking = booking
            caseload.clients[index].draft?.recordBooking(booking)
        }
    }

    /// The case screen's lines about the booking.
    var bookingLines: [String] {
        guard let client = openClient, let booking = client.booking else { return [] }
        let weekday = SwedishCalendarNames.weekdays[booking.date.weekday - 1]
        var lines = ["Bokat besök: \(weekday) \(booking.date) kl. \(booking.startTextWithOccurrence)–\(booking.endText), "
            + (booking.place ?? client.address?.oneLine ?? "hos den enskilde")]
        if !booking.invited.isEmpty { lines.append("Inbjudna: " + booking.invited.joined(separator: ", ")) }
        if booking.date < today { lines.append("Besöket har passerat: slutför uppföljningen (F) eller boka om (K).") }
        return lines
    }
}
