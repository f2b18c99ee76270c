import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// The store's own reader (`StoreReader`, issue 15) against the reference, `JSONDecoder` with the
/// types' `Codable` conformances: for every document the reader reads, the caseload must be the
/// reference's (equal values and equal bytes when encoded again); for every document the
/// reference refuses, the reader must give up, and the error must be the reference's.
@Suite struct StoreReaderTests {
    /// The reference's reading of a whole document (no chunks, no reader).
    static func reference(_ data: Data) -> Caseload? {
        try? JSONDecoder().decode(StoreCodec.Document.self, from: data).caseload
    }

    /// Checks one document; returns whether the reader read it (rather than gave up).
    @discardableResult
    static func check(_ data: Data, _ label: @autoclosure () -> String,
                      sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = reference(data)
        let fast = StoreCodec.readCanonical(data)
        if let fast {
            guard let expected else {
                Issue.record("the reader read what the reference refuses: \(label())", sourceLocation: sourceLocation)
                return true
            }
            #expect(fast.caseload == expected, "\(label())", sourceLocation: sourceLocation)
            let again = try? StoreCodec.encode(fast.caseload), reference = try? StoreCodec.encode(expected)
            #expect(again != nil && again == reference, "\(label())", sourceLocation: sourceLocation)
            #expect(fast.lines.count == fast.caseload.clients.count, sourceLocation: sourceLocation)
        }
        // Through the public entry: the same caseload, or the reference's own error.
        do {
            let decoded = try StoreCodec.decode(data, path: "/s/caseload.json", latestBackup: nil)
            #expect(decoded == expected, "\(label())", sourceLocation: sourceLocation)
        } catch {
            #expect(expected == nil, "\(label())", sourceLocation: sourceLocation)
            do {
                _ = try StoreCodec.decodeReference(data, path: "/s/caseload.json", latestBackup: nil)
                Issue.record("only the public entry refused \(label())", sourceLocation: sourceLocation)
            } catch let referenceError {
                #expect(error == referenceError, "\(label())", sourceLocation: sourceLocation)
            }
        }
        checkScan(data, label(), sourceLocation: sourceLocation)
        return fast != nil
    }

    /// `FileStore.scan` (the agenda's piecewise reading) gives what `load()` gives: the same
    /// clients in the same order, or the same error; in pieces of a few bytes and in one piece.
    static func checkScan(_ data: Data, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let folder = try? temporaryFolder() else {
            Issue.record("no temporary folder for the scan of \(label)", sourceLocation: sourceLocation)
            return
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("caseload.json")
        guard (try? data.write(to: url)) != nil else {
            Issue.record("could not write the document for the scan of \(label)", sourceLocation: sourceLocation)
            return
        }
        let loaded = Result { () throws(StoreError) in try FileStore(url: url).load()?.clients }
        for piece in [7, 1 << 20] {
            var clients: [Client] = [], restarts = 0
            let scanned = Result { () throws(StoreError) -> [Client]? in
                let found = try FileStore(url: url).scan(pieceSize: piece, restart: { clients = []; restarts += 1 }) { clients += $0 }
                return found ? clients : nil
            }
            switch (loaded, scanned) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "scan in pieces of \(piece): \(label)", sourceLocation: sourceLocation)
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "scan in pieces of \(piece): \(label)", sourceLocation: sourceLocation)
            default:
                Issue.record("scan and load disagree (pieces of \(piece)): \(label)", sourceLocation: sourceLocation)
            }
            // A document the reader reads is never read twice.
            if readCanonical(data) != nil {
                #expect(restarts == 0, "scan restarted on a document in Bevaka's layout: \(label)", sourceLocation: sourceLocation)
            }
        }
    }

    static func readCanonical(_ data: Data) -> (caseload: Caseload, lines: [Range<Int>])? {
        StoreCodec.readCanonical(data)
    }

    @Test func theDemoAndTheBenchStoresReadTheSameAsTheReference() throws {
        let demo = try StoreCodec.encode(DemoCaseload.make(today: today))
        #expect(Self.check(demo, "demo"))
        for size in [1, 100, 2_000] {
            let data = try StoreCodec.encode(DemoCaseload.large(size, today: today))
            #expect(Self.check(data, "bench store \(size)"), "the reader gave up on a store Bevaka wrote (\(size))")
        }
        #expect(Self.check(try StoreCodec.encode(Caseload()), "empty"))
    }

    @Test func everyFixtureReadsTheSameAsTheReference() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count >= 8)
        var read: [String] = []
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            if Self.check(data, name) { read.append(name) }
        }
        // The canonical fixtures are read by the reader itself; the others by the reference.
        #expect(read == names.filter { $0.hasPrefix("canonical-") })
    }

    @Test func randomCaseloadsWithEveryFieldReadTheSame() throws {
        var random = SplitMix(seed: 15)
        var read = 0
        for round in 0..<1_500 {
            let caseload = Fuzz.caseload(&random, clients: 1 + round % 4)
            let data = try StoreCodec.encode(caseload)
            if Self.check(data, "random caseload \(round)") { read += 1 }
            // A caseload Bevaka wrote is always read by the reader.
            #expect(StoreCodec.readCanonical(data)?.caseload == caseload, "random caseload \(round)")
        }
        #expect(read == 1_500)
    }

    @Test func damagedAndUnusualDocumentsAreTheReferencesToJudge() throws {
        var random = SplitMix(seed: 1515)
        var read = 0, refused = 0
        for round in 0..<3_000 {
            let caseload = Fuzz.caseload(&random, clients: 1 + round % 3)
            var bytes = Array(try StoreCodec.encode(caseload))
            Fuzz.mutate(&bytes, &random)
            let data = Data(bytes)
            if Self.check(data, "mutated document \(round)") { read += 1 }
            if Self.reference(data) == nil { refused += 1 }
        }
        // The mutations must reach both sides: documents read by the reader and ones refused.
        #expect(read > 100)
        #expect(refused > 1_000)
    }

    @Test func aSaveKeepsTheBytesOfUnchangedPeopleAndEncodesTheChangedOne() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        var caseload = DemoCaseload.large(300, today: today)
        let first = FileStore(url: url)
        _ = try first.load()
        try first.save(caseload)
        let store = FileStore(url: url)
        #expect(try store.load() == caseload)
        caseload.clients[150].notes = "Ändrad \u{1F600} \"citat\""
        caseload.clients.remove(at: 3)
        caseload.clients.append(DemoCaseload.make(today: today).clients[0])
        caseload.nextSerial += 7
        try store.save(caseload)
        // The bytes are exactly what a whole new encode gives, and read back the same.
        let written = try Data(contentsOf: url)
        #expect(written == (try StoreCodec.encode(caseload)))
        #expect(try FileStore(url: url).load() == caseload)
        // And again from the lines of the save itself.
        caseload.clients[10].archived = true
        try store.save(caseload)
        #expect(try Data(contentsOf: url) == (try StoreCodec.encode(caseload)))
    }

    @Test func repeatedIDsAreNeverMatchedByID() throws {
        let client = DemoCaseload.make(today: today).clients[0]
        var twin = client
        twin.name = "Tvilling"
        var lines = StoreCodec.WrittenLines(
            data: try StoreCodec.encode(Caseload(clients: [client, twin])), clients: [client, twin],
            lines: [0..<1, 1..<2], index: nil)
        #expect(lines.line(for: client) == nil)
        #expect(lines.line(for: twin) == nil)
    }
}

/// The attack tests' seeded generator, with what the fuzzing here needs.
typealias SplitMix = SeededRandom

extension SeededRandom {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

enum Fuzz {
    /// Text with what a store must carry: Swedish letters, quotes, backslashes, control
    /// characters, emoji, combining marks, slashes, long runs.
    static func text(_ random: inout SplitMix) -> String {
        let pieces = ["Astrid", "å", "Ö", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1B}[2J", "\u{7F}", "😀",
                      "e\u{301}", "\u{2028}", "\u{FEFF}", "ﬁ", "漢字", "1e3", "null", "{", "}", ",", ":", "[", "]",
                      String(repeating: "x", count: 40)]
        var text = ""
        for _ in 0..<random.below(6) { text += random.pick(pieces) }
        return text
    }

    static func optionalText(_ random: inout SplitMix) -> String? {
        random.chance(50) ? text(&random) : nil
    }

    static func day(_ random: inout SplitMix) -> Day {
        Day(dayNumber: -25_000 + random.below(70_000))
    }

    static func optionalDay(_ random: inout SplitMix) -> Day? {
        random.chance(50) ? day(&random) : nil
    }

    static func hours(_ random: inout SplitMix) -> Double? {
        switch random.below(5) {
        case 0: return nil
        case 1: return Double(random.below(745))
        case 2: return Double(random.below(74_400)) / 100
        case 3: return Double(bitPattern: 0x3FB9_9999_9999_999A &+ UInt64(random.below(1000)))  // 0.1 and its neighbours
        default: return Double(random.next() % 1_000_000_000) / 1_000_000_000 * Hours.maximum
        }
    }

    static func strings(_ random: inout SplitMix) -> [String] {
        (0..<random.below(3)).map { _ in text(&random) }
    }

    static func caseload(_ random: inout SplitMix, clients count: Int) -> Caseload {
        var caseload = Caseload(nextSerial: random.below(100_000))
        for index in 0..<count {
            // A personnummer of its own per person (a store never holds one twice).
            var digits = String(1900 + random.below(120)) + "0101"
            let serial = String(index % 10_000)
            digits += String(repeating: "0", count: 4 - serial.count) + serial
            var client = Client(id: "c\(index)-" + text(&random), name: text(&random),
                                personnummer: Personnummer(unchecked: digits))
            if random.chance(30) {
                client.representative = Representative(name: text(&random), role: text(&random), contact: optionalText(&random))
            }
            client.notes = optionalText(&random)
            client.livesWithChildren = random.chance(30) ? random.chance(50) : nil
            client.archived = random.chance(20)
            client.homeVisit = random.chance(10)
            client.doorCode = optionalText(&random)
            client.access = optionalText(&random)
            client.ivoID = optionalText(&random)
            client.protectedIdentity = random.next() % 5 == 0
            if random.chance(40) {
                let address = Address(street: optionalText(&random), postcode: optionalText(&random), town: optionalText(&random))
                // An empty address is left out of the store (Client.encode), so it reads back as none.
                client.address = address.isEmpty ? nil : address
            }
            client.phones = (0..<random.below(3)).map { _ in Phone(label: text(&random), number: text(&random)) }
            client.handovers = (0..<random.below(2)).map { _ in
                Handover(from: text(&random), to: text(&random), on: day(&random), by: text(&random))
            }
            if random.chance(30) {
                client.booking = Booking(date: day(&random), start: random.below(1440), minutes: 5 + random.below(716),
                                         place: optionalText(&random), invited: strings(&random))
            }
            for d in 0..<random.below(4) {
                var decision = Decision(id: "d\(d)" + text(&random), law: random.pick(Law.allCases), service: text(&random),
                                        form: random.chance(50) ? random.pick(DecisionForm.allCases) : nil,
                                        grantedHours: hours(&random), performedHours: hours(&random),
                                        validFrom: day(&random), validTo: optionalDay(&random), startedOn: optionalDay(&random),
                                        consent: random.chance(50) ? random.pick(ConsentStatus.allCases) : nil,
                                        closedOn: optionalDay(&random), performedMonth: optionalText(&random))
                if random.chance(40) {
                    decision.provider = Provider(name: text(&random), regi: random.pick(Regi.allCases),
                                                 caseSystemAccess: random.chance(50) ? random.chance(50) : nil,
                                                 contact: optionalText(&random), phone: optionalText(&random))
                }
                if random.chance(50) {
                    decision.plan = CarePlan(received: optionalDay(&random), established: optionalDay(&random),
                                             revised: optionalDay(&random),
                                             personTookPart: random.chance(50) ? random.chance(50) : nil,
                                             notTakenPartReason: optionalText(&random))
                }
                decision.decidedOn = optionalDay(&random)
                decision.offers = (0..<random.below(3)).map { _ in
                    Offer(on: day(&random), what: text(&random), accepted: random.chance(50))
                }
                decision.notCarriedOut = optionalText(&random)
                decision.interruptions = (0..<random.below(3)).map { _ in
                    var interruption = Interruption(from: day(&random), resumed: optionalDay(&random), reason: optionalText(&random))
                    interruption.ivoReported = random.chance(30) ? strings(&random) : nil
                    interruption.ivoClosingReported = optionalText(&random)
                    return interruption
                }
                decision.delayReason = optionalText(&random)
                decision.consequences = optionalText(&random)
                decision.ivoReported = strings(&random)
                decision.ivoClosingReported = optionalText(&random)
                client.decisions.append(decision)
            }
            client.followUps = (0..<random.below(3)).map { f in
                FollowUp(id: "f\(f)", date: day(&random), form: random.pick(FollowUpForm.allCases),
                         trigger: random.pick(FollowUpTrigger.allCases), participants: strings(&random),
                         outcome: random.chance(50) ? random.pick(FollowUpOutcome.allCases) : nil,
                         notes: optionalText(&random), decisionIDs: random.chance(50) ? strings(&random) : nil,
                         journal: optionalText(&random))
            }
            client.reminders = (0..<random.below(3)).map { r in
                Reminder(id: "r\(r)", decisionID: optionalText(&random), kind: random.pick(DueKind.allCases),
                         due: day(&random), ruleDue: optionalDay(&random), text: optionalText(&random),
                         priority: random.pick(Priority.allCases), status: random.pick(ReminderStatus.allCases),
                         doneOn: optionalDay(&random))
            }
            if random.chance(30) {
                var answers: [String: ChecklistAnswer] = [:]
                for _ in 0..<random.below(4) {
                    answers[text(&random)] = ChecklistAnswer(mark: random.pick([.open, .done, .notApplicable]),
                                                             note: optionalText(&random), date: optionalDay(&random))
                }
                client.draft = FollowUpDraft(date: day(&random), form: random.pick(FollowUpForm.allCases),
                                             trigger: random.pick(FollowUpTrigger.allCases), participants: strings(&random),
                                             answers: answers, decisionIDs: strings(&random),
                                             phase: random.pick(ChecklistPhase.allCases), cursor: optionalText(&random),
                                             journal: optionalText(&random), reminderID: optionalText(&random),
                                             outcome: random.chance(50) ? random.pick(FollowUpOutcome.allCases) : nil)
            }
            caseload.clients.append(client)
        }
        return caseload
    }

    /// Tokens that are valid JSON somewhere, or almost: each is the reference's to judge where it lands.
    static let insertions: [String] = [
        " ", "\n", "\r", "\t", "null", ",", ":", "\"", "\\", "\\u0041", "\\ud83d\\ude00", "\\ud800", "\\u00e5", "1e3",
        "1.0", "-0", "007", "0.10000000000000000555", "\"x\":1,", "\"id\":\"dubbel\",", "\"law\":\"LSS\",", "{}", "[]",
        "true", "false", "\u{FF}", "\u{C3}", "\"2026-02-30\"", "\"20261122\"", "\"hemtjänst\"", "]}", "},", "\u{0}",
    ]

    /// One to three edits: a byte changed, removed or repeated, a token put in, a key renamed,
    /// a value replaced, lines swapped or joined.
    static func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix) {
        for _ in 0..<(1 + random.below(3)) {
            guard !bytes.isEmpty else { return }
            let at = random.below(bytes.count)
            switch random.below(9) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: Array(random.pick(insertions).utf8), at: at)
            case 3:
                // Just after a quote, where a key or a value starts.
                if let quote = bytes[at...].firstIndex(of: UInt8(ascii: "\"")) {
                    bytes.insert(contentsOf: Array(random.pick(insertions).utf8), at: quote + 1)
                }
            case 4:
                // A value swapped for another value of another kind.
                if let colon = bytes[at...].firstIndex(of: UInt8(ascii: ":")) {
                    let value = random.pick(["null", "1", "1.5", "\"x\"", "true", "[]", "{}", "\"2026-11-22\"", "-1", "721"])
                    var end = colon + 1
                    var depth = 0, inString = false, escaped = false
                    while end < bytes.count {
                        let byte = bytes[end]
                        if inString {
                            if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                        } else if byte == 0x22 { inString = true } else if byte == 0x7B || byte == 0x5B { depth += 1 } else if byte == 0x7D || byte == 0x5D {
                            if depth == 0 { break }
                            depth -= 1
                        } else if byte == 0x2C && depth == 0 { break }
                        end += 1
                    }
                    bytes.replaceSubrange((colon + 1)..<end, with: Array(value.utf8))
                }
            case 5:
                // A known key renamed to another known key (a duplicate) or to an unknown one.
                let keys = ["\"id\"", "\"name\"", "\"pnr\"", "\"from\"", "\"law\"", "\"date\"", "\"due\"", "\"kind\"", "\"okänd\"", "\"Id\""]
                let text = String(decoding: bytes, as: UTF8.self)
                let from = random.pick(keys), to = random.pick(keys)
                if let range = text.range(of: from + ":") {
                    bytes = Array(text.replacingCharacters(in: range, with: to + ":").utf8)
                }
            case 6:
                let end = min(bytes.count, at + 1 + random.below(20))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            case 7:
                // Two lines swapped (a comma out of place) or a line's newline removed.
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                if lines.count > 3 {
                    let a = random.below(lines.count), b = random.below(lines.count)
                    if random.chance(50) { lines.swapAt(a, b) } else if a + 1 < lines.count {
                        lines[a] += lines.remove(at: a + 1)
                    }
                    bytes = Array(lines.joined(separator: [0x0A]))
                }
            default:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(8)))
            }
        }
    }
}

/// `Client`'s copy-on-write box lists its fields by hand in `copy()` and `==`: a field left out
/// of either would show here, on random clients with every field.
@Suite struct ClientBoxTests {
    @Test func aCopyKeepsEveryFieldAndEqualityLooksAtEveryField() throws {
        var random = SeededRandom(seed: 1_515)
        let encoder = StoreCodec.lineEncoder()
        for round in 0..<400 {
            let clients = Fuzz.caseload(&random, clients: 2).clients
            let original = clients[0]
            // A change made and undone through a copy: the copy is a new box with the same fields.
            var copy = original
            copy.archived.toggle()
            copy.archived.toggle()
            #expect(copy == original, "round \(round)")
            #expect(try encoder.encode(copy) == encoder.encode(original), "round \(round)")
            // Another person under the same id: equal exactly when every field (all in the line) is.
            var other = clients[1]
            other.id = original.id
            #expect((other == original) == ((try encoder.encode(other)) == (try encoder.encode(original))), "round \(round)")
            // Each field on its own makes a difference.
            var changed = original
            changed.ivoID = (original.ivoID ?? "") + "x"
            #expect(changed != original)
            changed = original
            changed.booking = original.booking == nil ? Booking(date: Day(dayNumber: 1), start: 600) : nil
            #expect(changed != original)
            changed = original
            changed.protectedIdentity.toggle()
            #expect(changed != original)
        }
    }
}
