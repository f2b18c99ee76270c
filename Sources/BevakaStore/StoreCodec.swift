import BevakaDomain
import Foundation

/// The store's file format (docs/store-format.md): one JSON object with `schemaVersion`,
/// `nextSerial` and `clients`, written one client per line so that a line number names one
/// person's record and a diff of two backups stays readable.
public enum StoreCodec {
    struct Document: Decodable {
        var caseload: Caseload

        enum CodingKeys: String, CodingKey {
            case schemaVersion, nextSerial, clients
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            // The version first, so that a newer file is refused before its content is judged.
            let version = try c.decode(Int.self, forKey: .schemaVersion)
            guard version <= FileStore.schemaVersion else { throw SchemaTooNew(found: version) }
            guard version >= 1 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .schemaVersion, in: c,
                    debugDescription: StoredValue.problemMarker + "format \(version) finns inte; Bevaka skriver format 1–\(FileStore.schemaVersion)")
            }
            let clients = try c.decodeIfPresent([Client].self, forKey: .clients) ?? []
            let serial = try c.decodeIfPresent(Int.self, forKey: .nextSerial) ?? 1
            // New ids count up from here; a number near Int.max would overflow on the next one.
            guard (0...maximumSerial).contains(serial) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .nextSerial, in: c,
                    debugDescription: StoredValue.problemMarker + "\(serial) är inget rimligt löpnummer (0–\(maximumSerial))")
            }
            caseload = Caseload(clients: clients, nextSerial: serial)
        }
    }

    static let maximumSerial = 1_000_000_000_000

    struct SchemaTooNew: Error {
        var found: Int
    }

    /// Encodes the document. Clients are encoded in parallel chunks (JSONEncoder runs at about
    /// 30 MB/s here, and the machine has two cores) and joined in order, so the bytes are the
    /// same as a serial encode.
    public static func encode(_ caseload: Caseload) throws -> Data {
        try encode(caseload, reusing: nil).data
    }

    /// The bytes of each client's line in a document this process read or wrote, to be used
    /// again for a client that has not changed since (equal value, same id).
    struct WrittenLines {
        var data: Data
        var clients: [Client]
        var lines: [Range<Int>]
        /// Built on the first save: a client's index in `clients` by its id (nil when ids repeat).
        var index: [String: Int]?

        /// The line of an unchanged client: looked for first at the same place (a save after a
        /// key press has every person where they were), else by id.
        mutating func line(for client: Client, at position: Int) -> Range<Int>? {
            if position < clients.count, clients[position].id == client.id {
                return clients[position] == client ? lines[position] : nil
            }
            return line(for: client)
        }

        mutating func line(for client: Client) -> Range<Int>? {
            if index == nil {
                var byID: [String: Int] = [:]
                byID.reserveCapacity(clients.count)
                for (position, known) in clients.enumerated() where byID.updateValue(position, forKey: known.id) != nil {
                    // The same id twice: no line can be told apart by its id, so none is used again.
                    byID = [:]
                    break
                }
                index = byID
            }
            guard let position = index?[client.id], clients[position] == client else { return nil }
            return lines[position]
        }
    }

    /// Encodes the document, keeping the line of every client equal to one in `previous` (a line
    /// is a client's whole record, so an unchanged person keeps their bytes) and encoding the rest.
    static func encode(_ caseload: Caseload, reusing previous: WrittenLines?) throws -> (data: Data, written: WrittenLines) {
        var previous = previous
        let clients = caseload.clients
        var reused = [Range<Int>?](repeating: nil, count: clients.count)
        var changed: [Int] = []
        for (position, client) in clients.enumerated() {
            if let line = previous?.line(for: client, at: position) { reused[position] = line } else { changed.append(position) }
        }
        // The changed clients, encoded in parallel chunks when there are many (a first save).
        let parts = Parallel.chunks(changed.count, minimum: 400) { range in
            Result { () throws -> [Data] in
                let encoder = lineEncoder()
                return try changed[range].map { try encoder.encode(clients[$0]) }
            }
        }
        var encoded: [Data] = []
        encoded.reserveCapacity(changed.count)
        for part in parts { encoded.append(contentsOf: try part.get()) }

        var data = Data()
        let oldBytes = previous?.data ?? Data()
        data.reserveCapacity(max(oldBytes.count + 4096, clients.count * 1200 + 64))
        data.append(contentsOf: Array(
            "{\"schemaVersion\":\(FileStore.schemaVersion),\"nextSerial\":\(caseload.nextSerial),\"clients\":[".utf8))
        var lines: [Range<Int>] = []
        lines.reserveCapacity(clients.count)
        var next = 0
        oldBytes.withUnsafeBytes { old in
            for position in clients.indices {
                data.append(contentsOf: position == 0 ? [0x0A] : [0x2C, 0x0A])
                let start = data.count
                if let line = reused[position] {
                    data.append(contentsOf: UnsafeRawBufferPointer(rebasing: old[line]))
                } else {
                    data.append(encoded[next])
                    next += 1
                }
                lines.append(start..<data.count)
            }
        }
        data.append(contentsOf: Array("\n]}\n".utf8))
        return (data, WrittenLines(data: data, clients: clients, lines: lines, index: nil))
    }

    /// Sorted keys: the same client always gives the same bytes, so backups diff cleanly.
    static func lineEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `\n{client}` for each client, with `,` before every line but the document's first.
    static func encodeLines(_ clients: ArraySlice<Client>, first: Bool) throws -> Data {
        let encoder = lineEncoder()
        var data = Data()
        for (offset, client) in clients.enumerated() {
            data.append(contentsOf: first && offset == 0 ? [0x0A] : [0x2C, 0x0A])
            data.append(try encoder.encode(client))
        }
        return data
    }

    public static func decode(_ data: Data, path: String, latestBackup: String?) throws(StoreError) -> Caseload {
        try decodeWithLines(data, path: path, latestBackup: latestBackup).caseload
    }

    /// A caseload from a store's bytes, decoded and then checked as `FileStore.load` checks it
    /// (`Validator`: repeats, check digits, IVO identifiers).
    public static func decodeChecked(_ data: Data, path: String, latestBackup: String?) throws(StoreError) -> Caseload {
        try decodeWithLinesChecked(data, path: path, latestBackup: latestBackup).caseload
    }

    /// `decodeWithLines`, then the `Validator`'s checks (what `FileStore.load` reads through).
    static func decodeWithLinesChecked(_ data: Data, path: String, latestBackup: String?) throws(StoreError)
        -> (caseload: Caseload, lines: [Range<Int>]?) {
        let read = try decodeWithLines(data, path: path, latestBackup: latestBackup)
        var validator = Validator(path: path, backup: latestBackup, lineByLine: read.lines != nil)
        try validator.check(read.caseload.clients)
        return read
    }

    /// The caseload, and for a document in Bevaka's own layout each client's line (byte range,
    /// without the comma), so that a save can keep the bytes of the people that did not change.
    static func decodeWithLines(_ data: Data, path: String, latestBackup: String?) throws(StoreError)
        -> (caseload: Caseload, lines: [Range<Int>]?) {
        if let read = readCanonical(data) { return (read.caseload, read.lines) }
        return (try decodeReference(data, path: path, latestBackup: latestBackup), nil)
    }

    /// The reference: `JSONDecoder` with the types' `Codable` conformances (chunks of lines on all
    /// cores when the layout allows, else the whole document, which gives exact error positions).
    static func decodeReference(_ data: Data, path: String, latestBackup: String?) throws(StoreError) -> Caseload {
        if let caseload = decodeLinesInParallel(data) { return caseload }
        do {
            return try JSONDecoder().decode(Document.self, from: data).caseload
        } catch let error as SchemaTooNew {
            throw .newerSchema(path: path, found: error.found, supported: FileStore.schemaVersion)
        } catch let error as DecodingError {
            let (line, column, detail) = locate(error, in: data)
            throw .damaged(path: path, line: line, column: column, detail: detail, backup: latestBackup)
        } catch {
            throw .damaged(path: path, line: nil, column: nil, detail: "okänt fel", backup: latestBackup)
        }
    }

    /// Bevaka's own layout read by `StoreReader`: the header line
    /// `{"schemaVersion":1,"nextSerial":N,"clients":[`, one client per line (each but the last
    /// ending in a comma), `]}` and a final newline — the checks of `LineScanner`, on the whole
    /// document at once. nil for anything else, and the reference decides. Chunks of lines are
    /// read on all cores.
    static func readCanonical(_ data: Data) -> (caseload: Caseload, lines: [Range<Int>])? {
        data.withUnsafeBytes { raw -> (caseload: Caseload, lines: [Range<Int>])? in
            var scanner = LineScanner()
            guard let read = scanner.lines(raw.bindMemory(to: UInt8.self)), scanner.closed else { return nil }
            return (Caseload(clients: read.clients, nextSerial: scanner.nextSerial), read.lines)
        }
    }

    /// The lines from `start` on, each without its newline; nil when the last has none.
    static func lineRanges(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [Range<Int>]? {
        var lines: [Range<Int>] = []
        lines.reserveCapacity(bytes.count / 600)
        var start = start
        while start < bytes.count {
            guard let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
            let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            lines.append(start..<end)
            start = end + 1
        }
        return lines
    }

    /// The clients on these lines (each a whole client record, without its comma), read by
    /// `StoreReader` in chunks on all cores; nil when the reader gives up on any of them.
    static func readClients(_ bytes: UnsafeBufferPointer<UInt8>, lines: [Range<Int>]) -> [Client]? {
        nonisolated(unsafe) let input = bytes
        let parts = Parallel.chunks(lines.count, minimum: 200) { range -> [Client]? in
            var clients: [Client] = []
            clients.reserveCapacity(range.count)
            for index in range {
                var reader = StoreReader(UnsafeBufferPointer(rebasing: input[lines[index]]))
                guard let client = try? reader.client(), reader.atEnd else { return nil }
                clients.append(client)
            }
            return clients
        }
        var clients: [Client] = []
        clients.reserveCapacity(lines.count)
        for part in parts {
            guard let part else { return nil }
            clients.append(contentsOf: part)
        }
        return clients
    }

    /// Records kept one to a row (the shared store's `doc`, as PostgreSQL prints jsonb), read by
    /// `StoreReader` on all cores. A record the reader gives up on is nil: the caller reads it with
    /// the reference (`JSONDecoder`), which also says what is wrong with it. The records read are
    /// equal to the reference's (PostgresDecodeTests, on every record shape the tests write).
    public static func readRecords(_ texts: [String]) -> [Client?] {
        readRecords(count: texts.count) { index, read in
            var text = texts[index]
            return text.withUTF8(read)
        }
    }

    /// The same, each record's bytes lent by `record` (index, reader) from wherever they are kept
    /// (a database result, read in place); `record` is called from several threads at once.
    public static func readRecords(count: Int,
                                   record: (Int, (UnsafeBufferPointer<UInt8>) -> Client?) -> Client?) -> [Client?] {
        let parts = Parallel.chunks(count, minimum: 200) { range -> [Client?] in
            var clients: [Client?] = []
            clients.reserveCapacity(range.count)
            for index in range {
                clients.append(record(index) { bytes -> Client? in
                    var reader = StoreReader(bytes)
                    guard let client = try? reader.client(), reader.atEnd else { return nil }
                    return client
                })
            }
            return clients
        }
        return parts.flatMap { $0 }
    }

    /// `{"schemaVersion":V,"nextSerial":N,"clients":[` and its newline: the serial and where the
    /// next line starts. nil unless V is a version this Bevaka reads and N a sane serial.
    static func readHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> (serial: Int, next: Int)? {
        var reader = StoreReader(bytes)
        func literal(_ text: String) -> Bool {
            for byte in text.utf8 {
                guard !reader.atEnd, bytes[reader.position] == byte else { return false }
                reader = StoreReader(bytes, at: reader.position + 1)
            }
            return true
        }
        guard literal("{\"schemaVersion\":"), let version = try? reader.int(), (1...FileStore.schemaVersion).contains(version),
              literal(",\"nextSerial\":"), let serial = try? reader.int(), (0...maximumSerial).contains(serial),
              literal(",\"clients\":[\n") else { return nil }
        return (serial, reader.position)
    }

    /// The fast path for a file in Bevaka's own layout (header line, one client per line, `]}`):
    /// chunks of lines are decoded on all cores. nil whenever anything is unexpected, and the
    /// caller decodes the whole document, which also gives exact error positions.
    static func decodeLinesInParallel(_ data: Data) -> Caseload? {
        let bytes = [UInt8](data)
        guard bytes.count > 200_000 else { return nil }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
        guard lines.count >= 3, let header = lines.first, lines.last.map({ Array($0) == Array("]}".utf8) }) == true,
              header.starts(with: Array("{\"schemaVersion\":".utf8)), header.last == UInt8(ascii: "[") else { return nil }
        lines.removeLast()
        let headerData = Data(header) + Data("]}".utf8)
        guard let head = try? JSONDecoder().decode(Document.self, from: headerData) else { return nil }
        let body = Array(lines.dropFirst())
        let parts = Parallel.chunks(body.count, minimum: 1) { range -> [Client]? in
            var json = Data("[".utf8)
            for (offset, line) in body[range].enumerated() {
                var line = line
                if line.last == UInt8(ascii: ",") { line = line.dropLast() }
                if offset > 0 { json.append(UInt8(ascii: ",")) }
                json.append(contentsOf: line)
            }
            json.append(UInt8(ascii: "]"))
            return try? JSONDecoder().decode([Client].self, from: json)
        }
        var clients: [Client] = []
        clients.reserveCapacity(body.count)
        for part in parts {
            guard let part else { return nil }
            clients.append(contentsOf: part)
        }
        return Caseload(clients: clients, nextSerial: head.caseload.nextSerial)
    }

    /// Turns a decoding error into a line, a column and a Swedish description.
    public static func locate(_ error: DecodingError, in data: Data) -> (Int?, Int?, String) {
        let context: DecodingError.Context
        var detail: String
        switch error {
        case .dataCorrupted(let c):
            context = c
            detail = c.codingPath.isEmpty ? "ogiltig JSON" : "ogiltigt värde i \(describe(c.codingPath))"
            // Bevaka's own checks (hours, format, serial) say why in Swedish.
            if c.debugDescription.hasPrefix(StoredValue.problemMarker) {
                detail += ": " + c.debugDescription.dropFirst(StoredValue.problemMarker.count)
            }
        case .keyNotFound(let key, let c):
            context = c
            let owner = c.codingPath.isEmpty ? "dokumentet" : describe(c.codingPath)
            detail = "fältet \"\(key.stringValue)\" saknas i \(owner)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            context = c
            detail = "fel typ av värde i \(describe(c.codingPath))"
        @unknown default:
            return (nil, nil, "okänt fel")
        }
        if context.codingPath.isEmpty, data.isEmpty {
            return (nil, nil, "filen är tom")
        }
        if context.codingPath.isEmpty {
            // JSONDecoder does not say where the syntax broke; JSONSerialization does.
            if let offset = syntaxErrorOffset(in: data) {
                let (line, column) = lineAndColumn(ofByte: offset, in: data)
                return (line, column, detail)
            }
            return (nil, nil, detail)
        }
        // One client per line: clients[i] stands on line i + 2 in a file Bevaka wrote. The
        // record is named by its id (never by the person's name or personnummer).
        if context.codingPath.count >= 2, context.codingPath[0].stringValue == "clients",
           let index = context.codingPath[1].intValue {
            let line = index + 2
            let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
            // The client's own id: keys are sorted, so it is not first; read the line alone.
            if line - 1 < lines.count, lines[line - 1].first == UInt8(ascii: "{") {
                var text = Data(lines[line - 1])
                if text.last == UInt8(ascii: ",") { text.removeLast() }
                // Only a line that is itself a client record proves the one-client-per-line layout.
                if let record = (try? JSONSerialization.jsonObject(with: text)) as? [String: Any],
                   let id = record["id"] as? String, record["pnr"] != nil {
                    let named = TerminalText.maskPersonalNumbers(TerminalText.truncate(TerminalText.sanitize(id), to: 40))
                    return (line, 1, "ärende \(named): " + detail)
                }
            }
        }
        return (nil, nil, detail)
    }

    static func describe(_ path: [CodingKey]) -> String {
        if path.isEmpty { return "dokumentet (ska vara ett JSON-objekt med schemaVersion och clients)" }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    static func syntaxErrorOffset(in data: Data) -> Int? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let range = text.range(of: "character ") else { return nil }
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            return Int(digits)
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func lineAndColumn(ofByte offset: Int, in data: Data) -> (Int, Int) {
        let bytes = [UInt8](data.prefix(offset))
        let line = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let lineStart = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        let column = String(decoding: bytes[lineStart...], as: UTF8.self).count + 1
        return (line, column)
    }
}
