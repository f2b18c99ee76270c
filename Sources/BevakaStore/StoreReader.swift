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
    struct Keys: Sendable {
        let names: [[UInt8]]
        let fields: [Int]

        init(_ pairs: [(String, Int)]) {
            let sorted = pairs.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            names = sorted.map { Array($0.0.utf8) }
            fields = sorted.map(\.1)
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
    mutating func nextField(_ keys: Keys, _ state: inout ObjectState) throws(Bail) -> Int? {
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
    static let clientKeys = Keys([
        ("id", 0), ("name", 1), ("pnr", 2), ("representative", 3), ("notes", 4), ("children", 5),
        ("archived", 6), ("decisions", 7), ("followUps", 8), ("reminders", 9), ("draft", 10), ("visit", 11),
        ("handovers", 12), ("address", 13), ("phones", 14), ("doorCode", 15), ("access", 16), ("booking", 17),
        ("ivoID", 18), ("protected", 19),
    ])

    mutating func client() throws(Bail) -> Client {
        var id: String?, name: String?, pnr: Personnummer?
        var client = Client(id: "", name: "", personnummer: Personnummer(unchecked: ""))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.clientKeys, &state) {
            switch field {
            case 0: id = try string()
            case 1: name = try string()
            case 2:
                let digits = try plainString()
                guard digits.count == 12, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw Bail() }
                pnr = Personnummer(unchecked: String(decoding: digits, as: UTF8.self))
            case 3: client.representative = try representative()
            case 4: client.notes = try string()
            case 5: client.livesWithChildren = try bool()
            case 6: client.archived = try bool()
            case 7: client.decisions = try list { (r: inout StoreReader) throws(Bail) in try r.decision() }
            case 8: client.followUps = try list { (r: inout StoreReader) throws(Bail) in try r.followUp() }
            case 9: client.reminders = try list { (r: inout StoreReader) throws(Bail) in try r.reminder() }
            case 10: client.draft = try draft()
            case 11: client.homeVisit = try bool()
            case 12: client.handovers = try list { (r: inout StoreReader) throws(Bail) in try r.handover() }
            case 13: client.address = try address()
            case 14: client.phones = try list { (r: inout StoreReader) throws(Bail) in try r.phone() }
            case 15: client.doorCode = try string()
            case 16: client.access = try string()
            case 17: client.booking = try booking()
            case 18: client.ivoID = try string()
            case 19: client.protectedIdentity = try bool()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let id, let name, let pnr else { throw Bail() }
        client.id = id
        client.name = name
        client.personnummer = pnr
        return client
    }

    static let decisionKeys = Keys([
        ("id", 0), ("law", 1), ("service", 2), ("form", 3), ("granted", 4), ("performed", 5), ("from", 6),
        ("to", 7), ("started", 8), ("provider", 9), ("consent", 10), ("plan", 11), ("closed", 12),
        ("performedMonth", 13), ("decided", 14), ("offers", 15), ("notCarriedOut", 16), ("interruptions", 17),
        ("delayReason", 18), ("consequences", 19), ("ivoReported", 20), ("ivoClosingReported", 21),
    ])

    mutating func decision() throws(Bail) -> Decision {
        var id: String?, law: Law?, service: String?, from: Day?
        var decision = Decision(id: "", law: .sol, service: "", validFrom: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.decisionKeys, &state) {
            switch field {
            case 0: id = try string()
            case 1: law = try enumeration(Law.self)
            case 2: service = try string()
            case 3: decision.form = try enumeration(DecisionForm.self)
            case 4: decision.grantedHours = try hours()
            case 5: decision.performedHours = try hours()
            case 6: from = try day()
            case 7: decision.validTo = try day()
            case 8: decision.startedOn = try day()
            case 9: decision.provider = try provider()
            case 10: decision.consent = try enumeration(ConsentStatus.self)
            case 11: decision.plan = try carePlan()
            case 12: decision.closedOn = try day()
            case 13: decision.performedMonth = try string()
            case 14: decision.decidedOn = try day()
            case 15: decision.offers = try list { (r: inout StoreReader) throws(Bail) in try r.offer() }
            case 16: decision.notCarriedOut = try string()
            case 17: decision.interruptions = try list { (r: inout StoreReader) throws(Bail) in try r.interruption() }
            case 18: decision.delayReason = try string()
            case 19: decision.consequences = try string()
            case 20: decision.ivoReported = try strings()
            case 21: decision.ivoClosingReported = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
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

    static let followUpKeys = Keys([
        ("id", 0), ("date", 1), ("form", 2), ("trigger", 3), ("participants", 4), ("outcome", 5), ("notes", 6),
        ("decisions", 7), ("journal", 8),
    ])

    mutating func followUp() throws(Bail) -> FollowUp {
        var id: String?, date: Day?, form: FollowUpForm?, trigger: FollowUpTrigger?
        var participants: [String] = [], outcome: FollowUpOutcome?, notes: String?, decisions: [String]?, journal: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.followUpKeys, &state) {
            switch field {
            case 0: id = try string()
            case 1: date = try day()
            case 2: form = try enumeration(FollowUpForm.self)
            case 3: trigger = try enumeration(FollowUpTrigger.self)
            case 4: participants = try strings()
            case 5: outcome = try enumeration(FollowUpOutcome.self)
            case 6: notes = try string()
            case 7: decisions = try strings()
            case 8: journal = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let id, let date, let form, let trigger else { throw Bail() }
        return FollowUp(id: id, date: date, form: form, trigger: trigger, participants: participants,
                        outcome: outcome, notes: notes, decisionIDs: decisions, journal: journal)
    }

    static let reminderKeys = Keys([
        ("id", 0), ("decision", 1), ("kind", 2), ("due", 3), ("ruleDue", 4), ("text", 5), ("priority", 6),
        ("status", 7), ("done", 8),
    ])

    mutating func reminder() throws(Bail) -> Reminder {
        var id: String?, kind: DueKind?, due: Day?
        var reminder = Reminder(id: "", kind: .manual, due: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.reminderKeys, &state) {
            switch field {
            case 0: id = try string()
            case 1: reminder.decisionID = try string()
            case 2: kind = try enumeration(DueKind.self)
            case 3: due = try day()
            case 4: reminder.ruleDue = try day()
            case 5: reminder.text = try string()
            case 6: reminder.priority = try enumeration(Priority.self)
            case 7: reminder.status = try enumeration(ReminderStatus.self)
            case 8: reminder.doneOn = try day()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let id, let kind, let due else { throw Bail() }
        reminder.id = id
        reminder.kind = kind
        reminder.due = due
        return reminder
    }

    static let draftKeys = Keys([
        ("date", 0), ("form", 1), ("trigger", 2), ("participants", 3), ("answers", 4), ("decisions", 5),
        ("phase", 6), ("cursor", 7), ("journal", 8), ("reminder", 9), ("outcome", 10), ("unsaved", 11),
    ])

    mutating func draft() throws(Bail) -> FollowUpDraft {
        var date: Day?, form: FollowUpForm?, trigger: FollowUpTrigger?
        var draft = FollowUpDraft(date: Day(dayNumber: 0), form: .homeVisit, trigger: .ownPlan)
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.draftKeys, &state) {
            switch field {
            case 0: date = try day()
            case 1: form = try enumeration(FollowUpForm.self)
            case 2: trigger = try enumeration(FollowUpTrigger.self)
            case 3: draft.participants = try strings()
            case 4: draft.answers = try answers()
            case 5: draft.decisionIDs = try strings()
            case 6: draft.phase = try enumeration(ChecklistPhase.self)
            case 7: draft.cursor = try string()
            case 8: draft.journal = try string()
            case 9: draft.reminderID = try string()
            case 10: draft.outcome = try enumeration(FollowUpOutcome.self)
            // Rare (a terminal closed mid-answer): the reference reads it.
            default: throw Bail()
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

    static let answerKeys = Keys([("mark", 0), ("note", 1), ("date", 2)])

    private mutating func answer() throws(Bail) -> ChecklistAnswer {
        var mark: ChecklistMark?
        var answer = ChecklistAnswer()
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.answerKeys, &state) {
            switch field {
            case 0: mark = try enumeration(ChecklistMark.self)
            case 1: answer.note = try string()
            case 2: answer.date = try day()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let mark else { throw Bail() }
        answer.mark = mark
        return answer
    }

    static let representativeKeys = Keys([("name", 0), ("role", 1), ("contact", 2)])

    private mutating func representative() throws(Bail) -> Representative {
        var name: String?, role: String?, contact: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.representativeKeys, &state) {
            switch field {
            case 0: name = try string()
            case 1: role = try string()
            case 2: contact = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let name, let role else { throw Bail() }
        return Representative(name: name, role: role, contact: contact)
    }

    static let providerKeys = Keys([("name", 0), ("regi", 1), ("access", 2), ("contact", 3), ("phone", 4)])

    private mutating func provider() throws(Bail) -> Provider {
        var name: String?, regi: Regi?, access: Bool?, contact: String?, phone: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.providerKeys, &state) {
            switch field {
            case 0: name = try string()
            case 1: regi = try enumeration(Regi.self)
            case 2: access = try bool()
            case 3: contact = try string()
            case 4: phone = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let name, let regi else { throw Bail() }
        return Provider(name: name, regi: regi, caseSystemAccess: access, contact: contact, phone: phone)
    }

    static let carePlanKeys = Keys([
        ("received", 0), ("established", 1), ("revised", 2), ("tookPart", 3), ("notTakenPartReason", 4),
    ])

    private mutating func carePlan() throws(Bail) -> CarePlan {
        var plan = CarePlan()
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.carePlanKeys, &state) {
            switch field {
            case 0: plan.received = try day()
            case 1: plan.established = try day()
            case 2: plan.revised = try day()
            case 3: plan.personTookPart = try bool()
            case 4: plan.notTakenPartReason = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        return plan
    }

    static let offerKeys = Keys([("on", 0), ("what", 1), ("accepted", 2)])

    private mutating func offer() throws(Bail) -> Offer {
        var on: Day?, what: String?, accepted: Bool?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.offerKeys, &state) {
            switch field {
            case 0: on = try day()
            case 1: what = try string()
            case 2: accepted = try bool()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let on, let what, let accepted else { throw Bail() }
        return Offer(on: on, what: what, accepted: accepted)
    }

    static let interruptionKeys = Keys([
        ("from", 0), ("resumed", 1), ("reason", 2), ("ivoReported", 3), ("ivoClosingReported", 4),
    ])

    private mutating func interruption() throws(Bail) -> Interruption {
        var from: Day?
        var interruption = Interruption(from: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.interruptionKeys, &state) {
            switch field {
            case 0: from = try day()
            case 1: interruption.resumed = try day()
            case 2: interruption.reason = try string()
            case 3: interruption.ivoReported = try strings()
            case 4: interruption.ivoClosingReported = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let from else { throw Bail() }
        interruption.from = from
        return interruption
    }

    static let handoverKeys = Keys([("from", 0), ("to", 1), ("on", 2), ("by", 3)])

    private mutating func handover() throws(Bail) -> Handover {
        var from: String?, to: String?, on: Day?, by: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.handoverKeys, &state) {
            switch field {
            case 0: from = try string()
            case 1: to = try string()
            case 2: on = try day()
            case 3: by = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let from, let to, let on, let by else { throw Bail() }
        return Handover(from: from, to: to, on: on, by: by)
    }

    static let addressKeys = Keys([("street", 0), ("postcode", 1), ("town", 2)])

    private mutating func address() throws(Bail) -> Address {
        var address = Address()
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.addressKeys, &state) {
            switch field {
            case 0: address.street = try string()
            case 1: address.postcode = try string()
            case 2: address.town = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        return address
    }

    static let phoneKeys = Keys([("label", 0), ("number", 1)])

    private mutating func phone() throws(Bail) -> Phone {
        var label: String?, number: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.phoneKeys, &state) {
            switch field {
            case 0: label = try string()
            case 1: number = try string()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let label, let number else { throw Bail() }
        return Phone(label: label, number: number)
    }

    static let bookingKeys = Keys([("date", 0), ("start", 1), ("minutes", 2), ("place", 3), ("invited", 4)])

    /// As `Booking.init(from:)`: the start a time of day, the length 5–720 minutes.
    private mutating func booking() throws(Bail) -> Booking {
        var date: Day?, start: Int?, minutes: Int?, place: String?, invited: [String] = []
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.bookingKeys, &state) {
            switch field {
            case 0: date = try day()
            case 1:
                guard let time = try? FieldInput.time(try string()) else { throw Bail() }
                start = time
            case 2: minutes = try int()
            case 3: place = try string()
            case 4: invited = try strings()
            // A key in the table without a case here: the reference reads it.
            default: throw Bail()
            }
        }
        guard let date, let start, let minutes, (5...720).contains(minutes) else { throw Bail() }
        return Booking(date: date, start: start, minutes: minutes, place: place, invited: invited)
    }
}
