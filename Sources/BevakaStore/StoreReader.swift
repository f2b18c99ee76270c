import BevakaDomain
import Foundation

/// A reader of Bevaka's own store layout that builds the caseload straight from the bytes.
///
/// `JSONDecoder` with the types' `Codable` conformances is the reference: it decides every
/// document this reader gives up on, and it alone gives the exact line, column and reason of a
/// damaged file. This reader gives up (`Bail`) on anything it is not certain to read exactly as
/// the reference would: a key it does not know or sees twice, `null`, an escape in a key or a
/// date, a number that is not a plain integer or decimal, a lone surrogate, bytes that are not
/// UTF-8, a value a type's own `init(from:)` would refuse, whitespace outside the layout. For a
/// document it does read, the caseload is equal to the reference's (StoreReaderTests checks it on
/// every fixture, the demo, the bench's stores and thousands of fuzzed documents).
///
/// Why: the reference spends most of its time in Codable's containers and generic metadata
/// lookups (55–63 % of `bevaka agenda`); the JSON text itself is a small part.
struct StoreReader {
    struct Bail: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var atEnd: Bool { position >= bytes.count }

    // MARK: Tokens

    private func peek() -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8) throws(Bail) {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else { throw Bail() }
        position += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        if position < bytes.count, bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    /// The bytes of a string with no escape in it, between its quotes (for keys, dates, enums).
    private mutating func plainString() throws(Bail) -> UnsafeBufferPointer<UInt8> {
        try expect(UInt8(ascii: "\""))
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { throw Bail() }
            position += 1
        }
        throw Bail()
    }

    /// A JSON string with its escapes, as the reference decodes it.
    mutating func string() throws(Bail) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        var ascii = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                if ascii { return String(decoding: raw, as: UTF8.self) }
                guard let text = String(validating: raw, as: UTF8.self) else { throw Bail() }
                return text
            }
            if byte == UInt8(ascii: "\\") {
                return try escapedString(from: start)
            }
            if byte < 0x20 { throw Bail() }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        throw Bail()
    }

    /// The slow part of `string()`: from the string's first byte, with escapes.
    private mutating func escapedString(from start: Int) throws(Bail) -> String {
        var buffer = [UInt8](bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: buffer, as: UTF8.self) else { throw Bail() }
                return text
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw Bail() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by its low half; anything else is the reference's to judge.
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else { throw Bail() }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Bail() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Bail()
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Bail() }
                    buffer.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
                default:
                    throw Bail()
                }
            default:
                if byte < 0x20 { throw Bail() }
                buffer.append(byte)
            }
        }
        throw Bail()
    }

    private mutating func hex4() throws(Bail) -> UInt32 {
        guard position + 4 <= bytes.count else { throw Bail() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: throw Bail()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    mutating func bool() throws(Bail) -> Bool {
        skipSpace()
        if matches("true") { position += 4; return true }
        if matches("false") { position += 5; return false }
        throw Bail()
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = word.utf8Start
        for offset in 0..<count where bytes[position + offset] != pointer[offset] { return false }
        return true
    }

    /// A plain integer (`-`, then digits without a leading zero, at most 18 of them).
    mutating func int() throws(Bail) -> Int {
        skipSpace()
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let start = position
        var value = 0
        while position < bytes.count, (48...57).contains(bytes[position]) {
            // More than 18 digits is the reference's to judge (and would overflow here).
            guard position - start < 18 else { throw Bail() }
            value = value * 10 + Int(bytes[position] - 48)
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits <= 18, !(digits > 1 && bytes[start] == 48) else { throw Bail() }
        // 5.0 or 5e0 for an integer is the reference's to judge.
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            throw Bail()
        }
        return negative ? -value : value
    }

    /// A JSON number, parsed as the reference parses it (correctly rounded).
    mutating func double() throws(Bail) -> Double {
        skipSpace()
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        while position < bytes.count, (48...57).contains(bytes[position]) { position += 1 }
        let integerDigits = position - integerStart
        guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == 48) else { throw Bail() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            let fraction = position
            while position < bytes.count, (48...57).contains(bytes[position]) { position += 1 }
            guard position > fraction else { throw Bail() }
        }
        // An exponent (1e3) is rare in a store; the reference reads it.
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") { throw Bail() }
        guard position - start <= 40,
              let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)),
              value.isFinite else { throw Bail() }
        return value
    }

    mutating func day() throws(Bail) -> Day {
        guard let day = Day(isoUTF8: try plainString()) else { throw Bail() }
        return day
    }

    mutating func enumeration<Value: RawRepresentable>(_ type: Value.Type) throws(Bail) -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: String(decoding: try plainString(), as: UTF8.self)) else { throw Bail() }
        return value
    }

    mutating func strings() throws(Bail) -> [String] {
        var values: [String] = []
        var list = ListState()
        try open(&list)
        while try nextElement(&list) { values.append(try string()) }
        return values
    }

    // MARK: Objects and arrays

    /// The fields a type has, by their names in the store. A document Bevaka wrote has its keys
    /// sorted, so the next key is looked for first after the previous one's place in the table.
    /// An object's keys, by name: each object's fields are an enum the reader's switch covers
    /// exactly, so a key without its own case does not compile, and an unknown key is no case.
    struct Keys<Key: RawRepresentable & CaseIterable & Sendable>: Sendable where Key.RawValue == String {
        let names: [[UInt8]]
        let fields: [Key]

        init() {
            let sorted = Key.allCases.sorted { Array($0.rawValue.utf8).lexicographicallyPrecedes(Array($1.rawValue.utf8)) }
            names = sorted.map { Array($0.rawValue.utf8) }
            fields = sorted
        }
    }

    struct ObjectState {
        var started = false
        var cursor = 0
        var seen: UInt64 = 0
    }

    struct ListState {
        var started = false
    }

    mutating func open(_ state: inout ObjectState) throws(Bail) {
        try expect(UInt8(ascii: "{"))
    }

    mutating func open(_ state: inout ListState) throws(Bail) {
        try expect(UInt8(ascii: "["))
    }

    /// The next field of an object (its value is next to read), or nil after its `}`.
    mutating func nextField<Key>(_ keys: Keys<Key>, _ state: inout ObjectState) throws(Bail) -> Key? {
        if take(UInt8(ascii: "}")) { return nil }
        if state.started { try expect(UInt8(ascii: ",")) }
        state.started = true
        let name = try plainString()
        let count = keys.names.count
        var found = -1
        for step in 0..<count {
            let index = (state.cursor + step) % count
            let candidate = keys.names[index]
            if candidate.count == name.count, candidate.withUnsafeBufferPointer({ $0.elementsEqual(name) }) {
                found = index
                break
            }
        }
        // An unknown key, or one seen twice: the reference decides what that means.
        guard found >= 0, state.seen & (1 << UInt64(found)) == 0 else { throw Bail() }
        state.seen |= 1 << UInt64(found)
        state.cursor = found + 1
        try expect(UInt8(ascii: ":"))
        return keys.fields[found]
    }

    /// Whether another element follows in an array (and moves to it); false after its `]`.
    mutating func nextElement(_ state: inout ListState) throws(Bail) -> Bool {
        if take(UInt8(ascii: "]")) { return false }
        if state.started { try expect(UInt8(ascii: ",")) }
        state.started = true
        return true
    }

    mutating func list<Element>(_ element: (inout StoreReader) throws(Bail) -> Element) throws(Bail) -> [Element] {
        var values: [Element] = []
        var state = ListState()
        try open(&state)
        while try nextElement(&state) { values.append(try element(&self)) }
        return values
    }
}

// MARK: The store's types

extension StoreReader {
    /// A person's keys are `Client.CodingKeys`: the one list of a person's fields that the
    /// reference codec, this reader and the tests share.
    static let clientKeys = Keys<Client.CodingKeys>()

    mutating func client() throws(Bail) -> Client {
        var id: String?, name: String?, pnr: Personnummer?
        var client = Client(id: "", name: "", personnummer: Personnummer(unchecked: ""))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.clientKeys, &state) {
            switch field {
            case .id: id = try string()
            case .name: name = try string()
            case .personnummer:
                let digits = try plainString()
                guard digits.count == 12, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw Bail() }
                pnr = Personnummer(unchecked: String(decoding: digits, as: UTF8.self))
            case .representative: client.representative = try representative()
            case .notes: client.notes = try string()
            case .livesWithChildren: client.livesWithChildren = try bool()
            case .archived: client.archived = try bool()
            case .decisions: client.decisions = try list { (r: inout StoreReader) throws(Bail) in try r.decision() }
            case .followUps: client.followUps = try list { (r: inout StoreReader) throws(Bail) in try r.followUp() }
            case .reminders: client.reminders = try list { (r: inout StoreReader) throws(Bail) in try r.reminder() }
            case .draft: client.draft = try draft()
            case .homeVisit: client.homeVisit = try bool()
            case .handovers: client.handovers = try list { (r: inout StoreReader) throws(Bail) in try r.handover() }
            case .address: client.address = try address()
            case .phones: client.phones = try list { (r: inout StoreReader) throws(Bail) in try r.phone() }
            case .doorCode: client.doorCode = try string()
            case .access: client.access = try string()
            case .booking: client.booking = try booking()
            case .ivoID: client.ivoID = try string()
            case .protectedIdentity: client.protectedIdentity = try bool()
            }
        }
        guard let id, let name, let pnr else { throw Bail() }
        client.id = id
        client.name = name
        client.personnummer = pnr
        return client
    }

    enum DecisionKey: String, CaseIterable, Sendable {
        case id, law, service, form, granted, performed, from, to, started, provider, consent, plan, closed
        case performedMonth, decided, offers, notCarriedOut, interruptions, delayReason, consequences, ivoReported
        case ivoClosingReported
    }

    static let decisionKeys = Keys<DecisionKey>()

    mutating func decision() throws(Bail) -> Decision {
        var id: String?, law: Law?, service: String?, from: Day?
        var decision = Decision(id: "", law: .sol, service: "", validFrom: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.decisionKeys, &state) {
            switch field {
            case .id: id = try string()
            case .law: law = try enumeration(Law.self)
            case .service: service = try string()
            case .form: decision.form = try enumeration(DecisionForm.self)
            case .granted: decision.grantedHours = try hours()
            case .performed: decision.performedHours = try hours()
            case .from: from = try day()
            case .to: decision.validTo = try day()
            case .started: decision.startedOn = try day()
            case .provider: decision.provider = try provider()
            case .consent: decision.consent = try enumeration(ConsentStatus.self)
            case .plan: decision.plan = try carePlan()
            case .closed: decision.closedOn = try day()
            case .performedMonth: decision.performedMonth = try string()
            case .decided: decision.decidedOn = try day()
            case .offers: decision.offers = try list { (r: inout StoreReader) throws(Bail) in try r.offer() }
            case .notCarriedOut: decision.notCarriedOut = try string()
            case .interruptions: decision.interruptions = try list { (r: inout StoreReader) throws(Bail) in try r.interruption() }
            case .delayReason: decision.delayReason = try string()
            case .consequences: decision.consequences = try string()
            case .ivoReported: decision.ivoReported = try strings()
            case .ivoClosingReported: decision.ivoClosingReported = try string()
            }
        }
        guard let id, let law, let service, let from else { throw Bail() }
        decision.id = id
        decision.law = law
        decision.service = service
        decision.validFrom = from
        return decision
    }

    /// Hours as `Decision.init(from:)` accepts them.
    private mutating func hours() throws(Bail) -> Double {
        let value = try double()
        guard Hours.problem(value) == nil else { throw Bail() }
        return value
    }

    enum FollowUpKey: String, CaseIterable, Sendable {
        case id, date, form, trigger, participants, outcome, notes, decisions, journal
    }

    static let followUpKeys = Keys<FollowUpKey>()

    mutating func followUp() throws(Bail) -> FollowUp {
        var id: String?, date: Day?, form: FollowUpForm?, trigger: FollowUpTrigger?
        var participants: [String] = [], outcome: FollowUpOutcome?, notes: String?, decisions: [String]?, journal: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.followUpKeys, &state) {
            switch field {
            case .id: id = try string()
            case .date: date = try day()
            case .form: form = try enumeration(FollowUpForm.self)
            case .trigger: trigger = try enumeration(FollowUpTrigger.self)
            case .participants: participants = try strings()
            case .outcome: outcome = try enumeration(FollowUpOutcome.self)
            case .notes: notes = try string()
            case .decisions: decisions = try strings()
            case .journal: journal = try string()
            }
        }
        guard let id, let date, let form, let trigger else { throw Bail() }
        return FollowUp(id: id, date: date, form: form, trigger: trigger, participants: participants,
                        outcome: outcome, notes: notes, decisionIDs: decisions, journal: journal)
    }

    enum ReminderKey: String, CaseIterable, Sendable {
        case id, decision, kind, due, ruleDue, text, priority, status, done
    }

    static let reminderKeys = Keys<ReminderKey>()

    mutating func reminder() throws(Bail) -> Reminder {
        var id: String?, kind: DueKind?, due: Day?
        var reminder = Reminder(id: "", kind: .manual, due: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.reminderKeys, &state) {
            switch field {
            case .id: id = try string()
            case .decision: reminder.decisionID = try string()
            case .kind: kind = try enumeration(DueKind.self)
            case .due: due = try day()
            case .ruleDue: reminder.ruleDue = try day()
            case .text: reminder.text = try string()
            case .priority: reminder.priority = try enumeration(Priority.self)
            case .status: reminder.status = try enumeration(ReminderStatus.self)
            case .done: reminder.doneOn = try day()
            }
        }
        guard let id, let kind, let due else { throw Bail() }
        reminder.id = id
        reminder.kind = kind
        reminder.due = due
        return reminder
    }

    enum DraftKey: String, CaseIterable, Sendable {
        case date, form, trigger, participants, answers, decisions, phase, cursor, journal, reminder, outcome
        case unsaved
    }

    static let draftKeys = Keys<DraftKey>()

    mutating func draft() throws(Bail) -> FollowUpDraft {
        var date: Day?, form: FollowUpForm?, trigger: FollowUpTrigger?
        var draft = FollowUpDraft(date: Day(dayNumber: 0), form: .homeVisit, trigger: .ownPlan)
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.draftKeys, &state) {
            switch field {
            case .date: date = try day()
            case .form: form = try enumeration(FollowUpForm.self)
            case .trigger: trigger = try enumeration(FollowUpTrigger.self)
            case .participants: draft.participants = try strings()
            case .answers: draft.answers = try answers()
            case .decisions: draft.decisionIDs = try strings()
            case .phase: draft.phase = try enumeration(ChecklistPhase.self)
            case .cursor: draft.cursor = try string()
            case .journal: draft.journal = try string()
            case .reminder: draft.reminderID = try string()
            case .outcome: draft.outcome = try enumeration(FollowUpOutcome.self)
            case .unsaved: throw Bail()  // rare (a terminal closed mid-answer): the reference reads it
            }
        }
        guard let date, let form, let trigger else { throw Bail() }
        draft.date = date
        draft.form = form
        draft.trigger = trigger
        return draft
    }

    /// `[String: ChecklistAnswer]`: an object whose keys are the checklist's item ids.
    private mutating func answers() throws(Bail) -> [String: ChecklistAnswer] {
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

    private mutating func answer() throws(Bail) -> ChecklistAnswer {
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

    private mutating func representative() throws(Bail) -> Representative {
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

    private mutating func provider() throws(Bail) -> Provider {
        var name: String?, regi: Regi?, access: Bool?, contact: String?, phone: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.providerKeys, &state) {
            switch field {
            case .name: name = try string()
            case .regi: regi = try enumeration(Regi.self)
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

    private mutating func carePlan() throws(Bail) -> CarePlan {
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

    private mutating func offer() throws(Bail) -> Offer {
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

    private mutating func interruption() throws(Bail) -> Interruption {
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

    private mutating func handover() throws(Bail) -> Handover {
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

    private mutating func address() throws(Bail) -> Address {
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

    private mutating func phone() throws(Bail) -> Phone {
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
        case date, start, minutes, place, invited
    }

    static let bookingKeys = Keys<BookingKey>()

    /// As `Booking.init(from:)`: the start a time of day, the length 5–720 minutes.
    private mutating func booking() throws(Bail) -> Booking {
        var date: Day?, start: Int?, minutes: Int?, place: String?, invited: [String] = []
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
            }
        }
        guard let date, let start, let minutes, (5...720).contains(minutes) else { throw Bail() }
        return Booking(date: date, start: start, minutes: minutes, place: place, invited: invited)
    }
}
