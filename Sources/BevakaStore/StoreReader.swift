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
    mutating func plainString() throws(Bail) -> UnsafeBufferPointer<UInt8> {
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
                guard let text = StoreReader.validUTF8(raw) else { throw Bail() }
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

    /// `raw` as a string when it is UTF-8, else nil — what `String(validating:as:)` says
    /// (StoreReaderTests compares them), in a fifth of the time: decoded by Swift's own fast
    /// path, which replaces anything that is not UTF-8, and kept only if its bytes came through
    /// unchanged.
    static func validUTF8(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        let text = String(decoding: raw, as: UTF8.self)
        let unchanged = text.utf8.withContiguousStorageIfAvailable { stored -> Bool in
            guard stored.count == raw.count else { return false }
            guard let left = stored.baseAddress, let right = raw.baseAddress else { return raw.isEmpty }
            return memcmp(left, right, raw.count) == 0
        }
        return unchanged == true ? text : nil
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

    /// The reference for `enumeration(_ values:)`: the value whose raw value the string is.
    mutating func enumeration<Value: RawRepresentable>(_ type: Value.Type) throws(Bail) -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: String(decoding: try plainString(), as: UTF8.self)) else { throw Bail() }
        return value
    }

    /// A value of a string enumeration found by its bytes in the enumeration's table, without
    /// making a `String` and comparing it with each case's (a decision's law, form, consent and
    /// provider were a third of its reading). `StoreReaderTests` compares it with the reference.
    mutating func enumeration<Value>(_ values: Keys<Value>) throws(Bail) -> Value {
        guard let index = values.index(of: try plainString()) else { throw Bail() }
        return values.fields[index]
    }

    mutating func strings() throws(Bail) -> [String] {
        var values: [String] = []
        var list = ListState()
        try open(&list)
        while try nextElement(&list) { values.append(try string()) }
        return values
    }

    // MARK: Objects and arrays

    /// The fields a type has (or the values an enumeration takes), by their names in the store,
    /// found by a hash of the name's length and bytes in a small open-addressed table and then
    /// compared byte for byte. (A scan from the previous key's place suited Bevaka's own sorted
    /// keys, not the database's, which orders them by length: a planning document's keys took a
    /// sixth of its reading.) Each object's fields are an enum the reader's switch covers exactly,
    /// so a key without its own case does not compile, and an unknown key is no case.
    struct Keys<Key: RawRepresentable & CaseIterable & Sendable>: Sendable where Key.RawValue == String {
        let fields: [Key]
        /// Every name's bytes, one after another, and where each starts (one more, the end).
        private let bytes: [UInt8]
        private let starts: [Int]
        /// The table: a field's place plus one, 0 for an empty slot; a power of two long.
        private let slots: [UInt8]

        init() {
            fields = Array(Key.allCases)
            let names = fields.map { Array($0.rawValue.utf8) }
            bytes = names.flatMap { $0 }
            starts = names.reduce(into: [0]) { $0.append(($0.last ?? 0) + $1.count) }
            var size = 8
            while size < names.count * 4 { size *= 2 }
            var slots = [UInt8](repeating: 0, count: size)
            for (index, name) in names.enumerated() {
                var slot = name.withUnsafeBufferPointer { Keys.hash($0) } & (size - 1)
                while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
                slots[slot] = UInt8(truncatingIfNeeded: index + 1)
            }
            self.slots = slots
        }

        static func hash(_ name: UnsafeBufferPointer<UInt8>) -> Int {
            guard let first = name.first, let last = name.last else { return 0 }
            var hash = name.count &* 0x9E37 &+ Int(first) &* 0x3B5 &+ Int(last) &* 0x1F
            hash = hash &* 0x2F &+ Int(name[name.count / 2])
            return hash ^ (hash >> 7)
        }

        /// The place of the name among `fields`, or nil.
        func index(of name: UnsafeBufferPointer<UInt8>) -> Int? {
            let mask = slots.count - 1
            var slot = Keys.hash(name) & mask
            while true {
                let entry = Int(slots[slot])
                guard entry != 0 else { return nil }
                let index = entry - 1
                let start = starts[index]
                if starts[index + 1] - start == name.count, bytes.withUnsafeBufferPointer({ stored in
                    // Bytes compared as bytes (the generic elementsEqual was a twentieth of an agenda's time).
                    guard let left = stored.baseAddress, let right = name.baseAddress else { return name.isEmpty }
                    return memcmp(left + start, right, name.count) == 0
                }) {
                    return index
                }
                slot = (slot + 1) & mask
            }
        }
    }

    // The enumerations' tables, by their values in the store.
    static let laws = Keys<Law>()
    static let decisionForms = Keys<DecisionForm>()
    static let consents = Keys<ConsentStatus>()
    static let regis = Keys<Regi>()
    static let followUpForms = Keys<FollowUpForm>()
    static let followUpTriggers = Keys<FollowUpTrigger>()
    static let followUpOutcomes = Keys<FollowUpOutcome>()
    static let dueKinds = Keys<DueKind>()
    static let priorities = Keys<Priority>()
    static let reminderStatuses = Keys<ReminderStatus>()

    struct ObjectState {
        var started = false
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
        // An unknown key, or one seen twice: the reference decides what that means.
        guard let found = keys.index(of: try plainString()),
              state.seen & (1 << UInt64(found)) == 0 else { throw Bail() }
        state.seen |= 1 << UInt64(found)
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
