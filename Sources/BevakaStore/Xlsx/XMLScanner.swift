/// What the workbook readers hear from the XML: elements opening and closing, and text.
/// (Foundation's `XMLParser`, which the tests keep as the reference, says the same through its
/// delegate.) A reader that has seen enough, or too much, sets `stop`.
protocol XMLEvents: AnyObject {
    func start(_ name: String, _ attributes: [String: String])
    func end(_ name: String)
    func characters(_ text: String)
    var stop: Bool { get }
}

extension XMLEvents {
    func end(_ name: String) {}
    func characters(_ text: String) {}
}

/// A strict, streaming reader of well-formed XML 1.0 without a DTD — what spreadsheet programs
/// write — over bytes already checked to be UTF-8. It is the workbook's XML reader instead of
/// Foundation's `XMLParser`, whose library (libxml2, and through it the system's ICU and liblzma)
/// every start of the program then mapped, for a feature used only when a list is imported
/// (issue 37, item 1). Anything not well-formed is an error with its line: a tag left open at
/// the end (a file cut off), an end tag that does not match, a second root, text outside the
/// root, an undefined entity, a character XML forbids, an attribute twice, `]]>` in text.
/// Entities (`&lt;` … and `&#…;`) are replaced, line ends made `\n`, attribute values normalised
/// as XML says (a tab or line end is a space). Time is linear in the input.
struct XMLScanner {
    struct Failure: Error, Equatable {
        /// 1-based line of the input where reading stopped.
        var line: Int
        /// The input ended inside the document (a file cut off).
        var cut: Bool
    }

    private let bytes: [UInt8]
    private var index = 0
    private var open: [String] = []
    private var rootSeen = false
    /// The namespace prefixes declared on each open element (a prefix must be declared to be
    /// used, as the namespaces recommendation says and Foundation's parser checks).
    private var declared: [Set<String>] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the whole input into `events`; stops early (without error) when `events.stop`.
    static func scan(_ bytes: [UInt8], into events: XMLEvents) throws(Failure) {
        var scanner = XMLScanner(bytes)
        try scanner.run(events)
    }

    /// Where reading stopped (the line counted only now, when there is an error to name).
    private func failure(cut: Bool = false) -> Failure {
        failureAt(index, cut: cut)
    }

    private func failureAt(_ position: Int, cut: Bool = false) -> Failure {
        var line = 1
        for byte in bytes[..<min(position, bytes.count)] where byte == 0x0A { line += 1 }
        return Failure(line: line, cut: cut)
    }

    private mutating func run(_ events: XMLEvents) throws(Failure) {
        // A byte-order mark may stand first.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < bytes.count {
            if events.stop { return }
            if bytes[index] != UInt8(ascii: "<") {
                try text(events)
                continue
            }
            guard index + 1 < bytes.count else { throw failure(cut: true) }
            switch bytes[index + 1] {
            case UInt8(ascii: "?"):
                // The declaration (first, and only there) or a processing instruction: checked, skipped.
                guard let end = find([UInt8(ascii: "?"), UInt8(ascii: ">")], from: index + 2) else { throw failure(cut: true) }
                try instruction(end, first: index == 0 || (index == 3 && bytes.starts(with: [0xEF, 0xBB, 0xBF])))
                index = end + 2
            case UInt8(ascii: "!"):
                if matches("<!--") {
                    guard let end = find(Array("-->".utf8), from: index + 4) else { throw failure(cut: true) }
                    // "--" inside a comment is not XML: the first "--" must be the end's.
                    if find(Array("--".utf8), from: index + 4, before: end + 2) != end { throw failure() }
                    index = end + 3
                } else if matches("<![CDATA[") {
                    guard !open.isEmpty else { throw failure() }
                    let start = index + 9
                    guard let end = find(Array("]]>".utf8), from: start) else { throw failure(cut: true) }
                    try checkCharacters(start, end)
                    events.characters(lineEnds(start, end))
                    index = end + 3
                } else {
                    // A DOCTYPE (entities) or anything else with `<!`: no spreadsheet writes it.
                    throw failure()
                }
            case UInt8(ascii: "/"):
                try endTag(events)
            default:
                try startTag(events)
            }
        }
        if !open.isEmpty { throw failure(cut: true) }
        if !rootSeen { throw failure(cut: true) }
    }

    /// `<?target …?>` ending at `end`: the XML declaration only first, with a version, an
    /// encoding that is UTF-8 (every part is; another would be read wrongly) and a standalone
    /// yes or no; any other target is a name that is not `xml`.
    private func instruction(_ end: Int, first: Bool) throws(Failure) {
        var at = index + 2
        let start = at
        while at < end, !XMLScanner.isSpace(bytes[at]) { at += 1 }
        let target = String(decoding: bytes[start..<at], as: UTF8.self)
        guard XMLScanner.isName(target) else { throw failure() }
        guard target.lowercased() == "xml" else { return }
        guard target == "xml", first else { throw failure() }
        // version="1.x" [encoding="…"] [standalone="yes|no"], each after a space.
        var pseudo: [(String, String)] = []
        var body = Array(bytes[at..<end])
        while !body.isEmpty {
            guard let space = body.first, XMLScanner.isSpace(space) else { throw failure() }
            while let first = body.first, XMLScanner.isSpace(first) { body.removeFirst() }
            if body.isEmpty { break }
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else { throw failure() }
            let key = String(decoding: body[..<equals], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            var rest = Array(body[(equals + 1)...])
            while let first = rest.first, XMLScanner.isSpace(first) { rest.removeFirst() }
            guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"),
                  let close = rest.dropFirst().firstIndex(of: quote) else { throw failure() }
            pseudo.append((key, String(decoding: rest[1..<close], as: UTF8.self)))
            body = Array(rest[(close + 1)...])
        }
        let keys = pseudo.map(\.0)
        guard keys.first == "version", ["version", "version encoding", "version standalone", "version encoding standalone"]
            .contains(keys.joined(separator: " ")) else { throw failure() }
        for (key, value) in pseudo {
            switch key {
            case "version": guard value.hasPrefix("1."), value.count > 2, value.dropFirst(2).allSatisfy(\.isASCII), value.dropFirst(2).allSatisfy(\.isNumber) else { throw failure() }
            case "encoding": guard ["utf-8", "utf8"].contains(value.lowercased()) else { throw failure() }
            default: guard value == "yes" || value == "no" else { throw failure() }
            }
        }
    }

    /// An XML name (XML 1.0, fifth edition), with at most one colon, not first or last (a
    /// qualified name, as the namespaces recommendation wants).
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isNameStart(first) else { return false }
        guard text.unicodeScalars.allSatisfy(isNameCharacter) else { return false }
        let colons = text.unicodeScalars.filter { $0 == ":" }.count
        return colons == 0 || (colons == 1 && !text.hasPrefix(":") && !text.hasSuffix(":"))
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
             0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if isNameStart(scalar) { return true }
        switch scalar.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }

    /// Whether a qualified name's prefix is declared where it stands.
    private func prefixIsDeclared(_ name: String, attribute: Bool) -> Bool {
        guard let colon = name.firstIndex(of: ":") else { return true }
        let prefix = String(name[..<colon])
        if prefix == "xml" || (attribute && prefix == "xmlns") { return true }
        return declared.contains { $0.contains(prefix) }
    }

    private func matches(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        return index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    /// Where `pattern` next stands from `start`, looking no further than `limit` (the end).
    private func find(_ pattern: [UInt8], from start: Int, before limit: Int? = nil) -> Int? {
        let end = min(limit ?? bytes.count, bytes.count)
        guard let first = pattern.first, pattern.count <= end else { return nil }
        var at = start
        while at + pattern.count <= end {
            if bytes[at] == first && bytes[at..<(at + pattern.count)].elementsEqual(pattern) { return at }
            at += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        // ASCII letters, digits, ':', '_', '-', '.', and every byte of a multi-byte character.
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return byte >= 0x80
        }
    }

    private mutating func name() throws(Failure) -> String {
        let start = index
        while index < bytes.count, XMLScanner.isNameByte(bytes[index]) { index += 1 }
        guard index > start else { throw failure(cut: index >= bytes.count) }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard XMLScanner.isName(text) else { throw failure() }
        return text
    }

    private mutating func skipSpace() {
        while index < bytes.count, XMLScanner.isSpace(bytes[index]) { index += 1 }
    }

    private mutating func startTag(_ events: XMLEvents) throws(Failure) {
        if open.isEmpty && rootSeen { throw failure() }  // a second root
        index += 1
        let element = try name()
        var attributes: [String: String] = [:]
        while true {
            let hadSpace = index < bytes.count && XMLScanner.isSpace(bytes[index])
            skipSpace()
            guard index < bytes.count else { throw failure(cut: true) }
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") {
                if byte == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count else { throw failure(cut: true) }
                    guard bytes[index + 1] == UInt8(ascii: ">") else { throw failure() }
                }
                // The prefixes this element declares, then every prefix it uses.
                var mine = Set<String>()
                for (key, value) in attributes where key.hasPrefix("xmlns:") {
                    let prefix = String(key.dropFirst(6))
                    guard !value.isEmpty, prefix != "xmlns" else { throw failure() }
                    mine.insert(prefix)
                }
                declared.append(mine)
                guard prefixIsDeclared(element, attribute: false),
                      attributes.keys.allSatisfy({ prefixIsDeclared($0, attribute: true) }) else { throw failure() }
                rootSeen = true
                if byte == UInt8(ascii: ">") {
                    index += 1
                    open.append(element)
                    events.start(element, attributes)
                } else {
                    index += 2
                    declared.removeLast()
                    events.start(element, attributes)
                    events.end(element)
                }
                return
            }
            // An attribute, after a space.
            guard hadSpace else { throw failure() }
            let key = try name()
            skipSpace()
            guard index < bytes.count else { throw failure(cut: true) }
            guard bytes[index] == UInt8(ascii: "=") else { throw failure() }
            index += 1
            skipSpace()
            guard index < bytes.count else { throw failure(cut: true) }
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw failure() }
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                if bytes[index] == UInt8(ascii: "<") { throw failure() }
                index += 1
            }
            guard index < bytes.count else { throw failure(cut: true) }
            let value = try decode(start, index, attribute: true)
            index += 1
            guard attributes.updateValue(value, forKey: key) == nil else { throw failure() }
        }
    }

    private mutating func endTag(_ events: XMLEvents) throws(Failure) {
        index += 2
        let element = try name()
        skipSpace()
        guard index < bytes.count else { throw failure(cut: true) }
        guard bytes[index] == UInt8(ascii: ">"), open.last == element else { throw failure() }
        index += 1
        open.removeLast()
        declared.removeLast()
        events.end(element)
    }

    private mutating func text(_ events: XMLEvents) throws(Failure) {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
        if open.isEmpty {
            // Outside the root only white space may stand.
            for at in start..<index where !XMLScanner.isSpace(bytes[at]) {
                index = at
                throw failure()
            }
            return
        }
        // "]]>" may not stand in text.
        if let bad = find(Array("]]>".utf8), from: start, before: index) {
            index = bad
            throw failure()
        }
        events.characters(try decode(start, index, attribute: false))
    }

    /// Forbidden characters: C0 controls but tab and line ends, and U+FFFE/U+FFFF.
    private func checkCharacters(_ start: Int, _ end: Int) throws(Failure) {
        var at = start
        while at < end {
            let byte = bytes[at]
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { throw failureAt(at) }
            if byte == 0xEF, at + 2 < end, bytes[at + 1] == 0xBF, bytes[at + 2] == 0xBE || bytes[at + 2] == 0xBF { throw failureAt(at) }
            at += 1
        }
    }

    /// The text between `start` and `end` with `\r\n` and `\r` made `\n` (CDATA).
    private func lineEnds(_ start: Int, _ end: Int) -> String {
        guard bytes[start..<end].contains(0x0D) else { return String(decoding: bytes[start..<end], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var at = start
        while at < end {
            if bytes[at] == 0x0D {
                out.append(0x0A)
                if at + 1 < end && bytes[at + 1] == 0x0A { at += 1 }
            } else {
                out.append(bytes[at])
            }
            at += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Text or an attribute value with its entities replaced and its characters checked.
    private func decode(_ start: Int, _ end: Int, attribute: Bool) throws(Failure) -> String {
        try checkCharacters(start, end)
        // Most text has neither entities nor characters to change: taken as it is.
        let plain = !bytes[start..<end].contains { $0 == UInt8(ascii: "&") || $0 == 0x0D || (attribute && ($0 == 0x09 || $0 == 0x0A)) }
        if plain { return String(decoding: bytes[start..<end], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var at = start
        while at < end {
            let byte = bytes[at]
            if byte == UInt8(ascii: "&") {
                var stop = at + 1
                while stop < end, bytes[stop] != UInt8(ascii: ";"), stop - at < 12 { stop += 1 }
                guard stop < end, bytes[stop] == UInt8(ascii: ";") else { throw failureAt(at) }
                let entity = bytes[(at + 1)..<stop]
                switch String(decoding: entity, as: UTF8.self) {
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "amp": out.append(UInt8(ascii: "&"))
                case "quot": out.append(UInt8(ascii: "\""))
                case "apos": out.append(UInt8(ascii: "'"))
                case let reference where reference.hasPrefix("#"):
                    let digits = reference.dropFirst()
                    let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    guard let value, !digits.isEmpty, digits != "x",
                          value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value),
                          let scalar = Unicode.Scalar(value) else { throw failureAt(at) }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw failureAt(at)
                }
                at = stop + 1
                continue
            }
            if byte == 0x0D {
                out.append(attribute ? 0x20 : 0x0A)
                if at + 1 < end && bytes[at + 1] == 0x0A { at += 1 }
            } else if attribute && (byte == 0x09 || byte == 0x0A) {
                out.append(0x20)
            } else {
                out.append(byte)
            }
            at += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
