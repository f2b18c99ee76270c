import BevakaDomain
import Foundation

// The smaller objects inside a person's line: answers, representative, provider, care plan,
// offers, interruptions, handovers, address, phones and the booking.

extension StoreReader {
    /// `[String: ChecklistAnswer]`: an object whose keys are the checklist's item ids.
    mutating func answers() throws(Bail) -> [String: ChecklistAnswer] {
        var answers: [String: ChecklistAnswer] = [:]
        try expect(UInt8(ascii: "{"))
        var started = false
        while !take(UInt8(ascii: "}")) {
            if started { try expect(UInt8(ascii: ",")) }
            started = true
            let key = try string()
            try expect(UInt8(ascii: ":"))
            guard answers[key] == nil else { throw Bail() }
            answers[key] = try answer()
        }
        return answers
    }

    enum AnswerKey: String, CaseIterable, Sendable {
        case mark, note, date
    }

    static let answerKeys = Keys<AnswerKey>()

    mutating func answer() throws(Bail) -> ChecklistAnswer {
        var mark: ChecklistMark?
        var answer = ChecklistAnswer()
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.answerKeys, &state) {
            switch field {
            case .mark: mark = try enumeration(ChecklistMark.self)
            case .note: answer.note = try string()
            case .date: answer.date = try day()
            }
        }
        guard let mark else { throw Bail() }
        answer.mark = mark
        return answer
    }

    enum RepresentativeKey: String, CaseIterable, Sendable {
        case name, role, contact
    }

    static let representativeKeys = Keys<RepresentativeKey>()

    mutating func representative() throws(Bail) -> Representative {
        var name: String?, role: String?, contact: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.representativeKeys, &state) {
            switch field {
            case .name: name = try string()
            case .role: role = try string()
            case .contact: contact = try string()
            }
        }
        guard let name, let role else { throw Bail() }
        return Representative(name: name, role: role, contact: contact)
    }

    enum ProviderKey: String, CaseIterable, Sendable {
        case name, regi, access, contact, phone
    }

    static let providerKeys = Keys<ProviderKey>()

    mutating func provider() throws(Bail) -> Provider {
        var name: String?, regi: Regi?, access: Bool?, contact: String?, phone: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.providerKeys, &state) {
            switch field {
            case .name: name = try string()
            case .regi: regi = try enumeration(Self.regis)
            case .access: access = try bool()
            case .contact: contact = try string()
            case .phone: phone = try string()
            }
        }
        guard let name, let regi else { throw Bail() }
        return Provider(name: name, regi: regi, caseSystemAccess: access, contact: contact, phone: phone)
    }

    enum CarePlanKey: String, CaseIterable, Sendable {
        case received, established, revised, tookPart, notTakenPartReason
    }

    static let carePlanKeys = Keys<CarePlanKey>()

    mutating func carePlan() throws(Bail) -> CarePlan {
        var plan = CarePlan()
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.carePlanKeys, &state) {
            switch field {
            case .received: plan.received = try day()
            case .established: plan.established = try day()
            case .revised: plan.revised = try day()
            case .tookPart: plan.personTookPart = try bool()
            case .notTakenPartReason: plan.notTakenPartReason = try string()
            }
        }
        return plan
    }

    enum OfferKey: String, CaseIterable, Sendable {
        case on, what, accepted
    }

    static let offerKeys = Keys<OfferKey>()

    mutating func offer() throws(Bail) -> Offer {
        var on: Day?, what: String?, accepted: Bool?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.offerKeys, &state) {
            switch field {
            case .on: on = try day()
            case .what: what = try string()
            case .accepted: accepted = try bool()
            }
        }
        guard let on, let what, let accepted else { throw Bail() }
        return Offer(on: on, what: what, accepted: accepted)
    }

    enum InterruptionKey: String, CaseIterable, Sendable {
        case from, resumed, reason, ivoReported, ivoClosingReported
    }

    static let interruptionKeys = Keys<InterruptionKey>()

    mutating func interruption() throws(Bail) -> Interruption {
        var from: Day?
        var interruption = Interruption(from: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.interruptionKeys, &state) {
            switch field {
            case .from: from = try day()
            case .resumed: interruption.resumed = try day()
            case .reason: interruption.reason = try string()
            case .ivoReported: interruption.ivoReported = try strings()
            case .ivoClosingReported: interruption.ivoClosingReported = try string()
            }
        }
        guard let from else { throw Bail() }
        interruption.from = from
        return interruption
    }

    enum HandoverKey: String, CaseIterable, Sendable {
        case from, to, on, by
    }

    static let handoverKeys = Keys<HandoverKey>()

    mutating func handover() throws(Bail) -> Handover {
        var from: String?, to: String?, on: Day?, by: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.handoverKeys, &state) {
            switch field {
            case .from: from = try string()
            case .to: to = try string()
            case .on: on = try day()
            case .by: by = try string()
            }
        }
        guard let from, let to, let on, let by else { throw Bail() }
        return Handover(from: from, to: to, on: on, by: by)
    }

    enum AddressKey: String, CaseIterable, Sendable {
        case street, postcode, town
    }

    static let addressKeys = Keys<AddressKey>()

    mutating func address() throws(Bail) -> Address {
        var address = Address()
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.addressKeys, &state) {
            switch field {
            case .street: address.street = try string()
            case .postcode: address.postcode = try string()
            case .town: address.town = try string()
            }
        }
        return address
    }

    enum PhoneKey: String, CaseIterable, Sendable {
        case label, number
    }

    static let phoneKeys = Keys<PhoneKey>()

    mutating func phone() throws(Bail) -> Phone {
        var label: String?, number: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.phoneKeys, &state) {
            switch field {
            case .label: label = try string()
            case .number: number = try string()
            }
        }
        guard let label, let number else { throw Bail() }
        return Phone(label: label, number: number)
    }

    enum BookingKey: String, CaseIterable, Sendable {
        case date, start, minutes, place, invited, secondOccurrence
    }

    static let bookingKeys = Keys<BookingKey>()

    /// As `Booking.init(from:)`: the start a time of day, the length 5–720 minutes.
    mutating func booking() throws(Bail) -> Booking {
        var date: Day?, start: Int?, minutes: Int?, place: String?, invited: [String] = [], second = false
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.bookingKeys, &state) {
            switch field {
            case .date: date = try day()
            case .start:
                guard let time = try? FieldInput.time(try string()) else { throw Bail() }
                start = time
            case .minutes: minutes = try int()
            case .place: place = try string()
            case .invited: invited = try strings()
            case .secondOccurrence: second = try bool()
            }
        }
        guard let date, let start, let minutes, (5...720).contains(minutes) else { throw Bail() }
        return Booking(date: date, start: start, minutes: minutes, place: place, invited: invited, secondOccurrence: second)
    }
}
