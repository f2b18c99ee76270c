import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// The store's own reader (`StoreReader`) against the reference, `JSONDecoder` with the
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

    /// The reader's UTF-8 check against `String(validating:as:)` on every string of up to three
    /// bytes from a set that has lead, continuation, overlong, surrogate and out-of-range bytes,
    /// and on random longer ones.
    @Test func utf8IsCheckedAsStringValidatingChecksIt() {
        let pieces: [[UInt8]] = [[], [0x41], [0xC3], [0xA5], [0xC3, 0xA5], [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF],
                                 [0xE0, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBD],
                                 [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0x00], [0xE2, 0x80]]
        var texts: [[UInt8]] = []
        for a in pieces { for b in pieces { for c in pieces { texts.append(a + b + c) } } }
        var random = SeededRandom(seed: 8)
        for _ in 0..<20_000 {
            texts.append((0..<Int.random(in: 0...24, using: &random)).map { _ in
                Int.random(in: 0..<4, using: &random) == 0 ? UInt8.random(in: 0x80...0xFF, using: &random)
                    : [0x61, 0xC3, 0xA4, 0xB6, 0xE2, 0x80, 0xA6][Int.random(in: 0..<7, using: &random)]
            })
        }
        var wrong = 0
        for bytes in texts {
            let fast = bytes.withUnsafeBufferPointer { StoreReader.validUTF8($0) }
            let reference = String(validating: bytes, as: UTF8.self)
            if fast != reference || fast.map({ Array($0.utf8) != bytes }) == true {
                wrong += 1
                if wrong < 5 { Issue.record("\(bytes.map { String($0, radix: 16) })") }
            }
        }
        #expect(wrong == 0)
    }

    /// Each enumeration's table (and the objects' keys') against its reference (`init(rawValue:)`)
    /// on every value, on every other enumeration's values and keys, on each value cut, lengthened, with a byte changed and
    /// in upper case, and on random strings.
    @Test func enumerationsFoundInTheirTablesAreTheReferencesValues() {
        func check<Value: RawRepresentable & CaseIterable & Sendable & Equatable>(
            _ table: StoreReader.Keys<Value>, _ others: [String], random: inout SeededRandom
        ) -> Int where Value.RawValue == String {
            var texts = others
            for value in Value.allCases.map(\.rawValue) {
                texts += [value, String(value.dropLast()), value + "x", value.uppercased(), " " + value, String(value.dropFirst())]
                if !value.isEmpty { texts.append(String(value.prefix(1)) + "ä" + value.dropFirst()) }
            }
            for _ in 0..<2_000 {
                texts.append(String((0..<Int.random(in: 0...14, using: &random)).map { _ in "aegklnrstuö-_ "
                    .randomElement(using: &random) ?? "a" }))
            }
            var wrong = 0
            for text in texts {
                let json = Array(("\"" + text + "\"").utf8)
                let (fast, reference) = json.withUnsafeBufferPointer { bytes -> (Value?, Value?) in
                    var a = StoreReader(bytes), b = StoreReader(bytes)
                    return ((try? a.enumeration(table)), (try? b.enumeration(Value.self)))
                }
                if fast != reference {
                    wrong += 1
                    Issue.record("\(Value.self): \(text)")
                }
            }
            return wrong
        }
        var random = SeededRandom(seed: 11)
        let every = Law.allCases.map(\.rawValue) + DecisionForm.allCases.map(\.rawValue) + ConsentStatus.allCases.map(\.rawValue)
            + Regi.allCases.map(\.rawValue) + FollowUpForm.allCases.map(\.rawValue) + FollowUpTrigger.allCases.map(\.rawValue)
            + FollowUpOutcome.allCases.map(\.rawValue) + DueKind.allCases.map(\.rawValue) + Priority.allCases.map(\.rawValue)
            + ReminderStatus.allCases.map(\.rawValue) + ["", "\\u0061"]
        var wrong = check(StoreReader.laws, every, random: &random)
        wrong += check(StoreReader.decisionForms, every, random: &random)
        wrong += check(StoreReader.consents, every, random: &random)
        wrong += check(StoreReader.regis, every, random: &random)
        wrong += check(StoreReader.followUpForms, every, random: &random)
        wrong += check(StoreReader.followUpTriggers, every, random: &random)
        wrong += check(StoreReader.followUpOutcomes, every, random: &random)
        wrong += check(StoreReader.dueKinds, every, random: &random)
        wrong += check(StoreReader.priorities, every, random: &random)
        wrong += check(StoreReader.reminderStatuses, every, random: &random)
        // And the objects' keys, by the same table.
        let keys = Client.CodingKeys.allCases.map(\.rawValue) + StoreReader.DecisionKey.allCases.map(\.rawValue)
            + StoreReader.FollowUpKey.allCases.map(\.rawValue) + StoreReader.ReminderKey.allCases.map(\.rawValue) + every
        wrong += check(StoreReader.clientKeys, keys, random: &random)
        wrong += check(StoreReader.decisionKeys, keys, random: &random)
        wrong += check(StoreReader.followUpKeys, keys, random: &random)
        wrong += check(StoreReader.reminderKeys, keys, random: &random)
        wrong += check(StoreReader.draftKeys, keys, random: &random)
        wrong += check(StoreReader.providerKeys, keys, random: &random)
        wrong += check(StoreReader.carePlanKeys, keys, random: &random)
        #expect(wrong == 0)
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
        var random = SeededRandom(seed: 15)
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
        var random = SeededRandom(seed: 1515)
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

/// One list of a person's fields, `Client.CodingKeys`, and every place that must know each of
/// them held to it: the copy-on-write box, its copy, `==`, the encoder, the decoder and the
/// store's reader. A field added to the box without its key, or to the keys without a place
/// here, fails this test (the switch below does not compile without a case for a new key).
@Suite struct ClientFieldsTests {
    /// Puts `donor`'s value of one field into `client`.
    static func copy(_ key: Client.CodingKeys, from donor: Client, to client: inout Client) {
        switch key {
        case .id: client.id = donor.id
        case .name: client.name = donor.name
        case .personnummer: client.personnummer = donor.personnummer
        case .representative: client.representative = donor.representative
        case .notes: client.notes = donor.notes
        case .livesWithChildren: client.livesWithChildren = donor.livesWithChildren
        case .archived: client.archived = donor.archived
        case .decisions: client.decisions = donor.decisions
        case .followUps: client.followUps = donor.followUps
        case .reminders: client.reminders = donor.reminders
        case .draft: client.draft = donor.draft
        case .homeVisit: client.homeVisit = donor.homeVisit
        case .handovers: client.handovers = donor.handovers
        case .address: client.address = donor.address
        case .phones: client.phones = donor.phones
        case .doorCode: client.doorCode = donor.doorCode
        case .access: client.access = donor.access
        case .booking: client.booking = donor.booking
        case .ivoID: client.ivoID = donor.ivoID
        case .protectedIdentity: client.protectedIdentity = donor.protectedIdentity
        case .contactWithheld: client.contactWithheld = donor.contactWithheld
        }
    }

    @Test func everyFieldIsInTheBoxTheCopyEqualityBothCodecsAndTheReader() throws {
        var random = SeededRandom(seed: 2_026)
        let pool = Fuzz.caseload(&random, clients: 300).clients
        let base = Client(id: "c-base", name: "Bas", personnummer: Personnummer(unchecked: "194001019806"))
        let encoder = StoreCodec.lineEncoder()
        let baseLine = try encoder.encode(base)

        // What the box holds, field by field (its stored properties, as printed).
        func box(_ client: Client) -> [String: String] {
            guard let storage = Mirror(reflecting: client).children.first(where: { $0.label == "storage" })?.value else {
                return [:]
            }
            return Dictionary(Mirror(reflecting: storage).children.compactMap { child in
                child.label.map { ($0, String(describing: child.value)) }
            }, uniquingKeysWith: { first, _ in first })
        }
        let baseBox = box(base)
        #expect(baseBox.count >= 20, "the box was not found: \(baseBox)")
        var boxFieldOfKey: [Client.CodingKeys: String] = [:]

        for key in Client.CodingKeys.allCases {
            // A person who differs from the base in this one field.
            var found: Client?
            for donor in pool {
                var changed = base
                Self.copy(key, from: donor, to: &changed)
                if try encoder.encode(changed) != baseLine { found = changed; break }
            }
            let changed = try #require(found, "no generated person has \(key) set")
            let line = try encoder.encode(changed)
            #expect(changed != base, "\(key): == does not look at it")
            // Exactly one of the box's fields holds it.
            let differing = box(changed).filter { baseBox[$0.key] != $0.value }.map(\.key)
            #expect(differing.count == 1, "\(key): in the box as \(differing)")
            boxFieldOfKey[key] = differing.first
            #expect(String(decoding: line, as: UTF8.self).contains("\"\(key.rawValue)\":"), "\(key): not under its key")
            // The box's copy keeps it: another field changed and changed back through a copy.
            var copied = changed
            if key == .homeVisit { copied.archived.toggle(); copied.archived.toggle() } else {
                copied.homeVisit.toggle(); copied.homeVisit.toggle()
            }
            let copiedLine = try encoder.encode(copied)
            #expect(copied == changed && copiedLine == line, "\(key): lost by the box's copy")
            // Both codecs read it back, and so does the store's reader.
            let decoded = try JSONDecoder().decode(Client.self, from: line)
            #expect(decoded == changed, "\(key): the decoder")
            let document = try StoreCodec.encode(Caseload(clients: [changed], nextSerial: 1))
            let read = try #require(StoreCodec.readCanonical(document), "\(key): the reader gave up")
            #expect(read.caseload.clients == [changed], "\(key): the reader")
        }
        // Each key its own field of the box, and no field of the box without a key.
        #expect(Set(boxFieldOfKey.values).count == Client.CodingKeys.allCases.count)
        #expect(Set(boxFieldOfKey.values) == Set(baseBox.keys), "box fields without a key: \(Set(baseBox.keys).subtracting(boxFieldOfKey.values))")
    }
}
