import BevakaTestSupport
import BevakaDomain
import BevakaProcess
import Foundation
import Testing
@testable import BevakaStore

/// The faults found by attacking Bevaka (issue 9), one test each, kept so they stay fixed.
@Suite struct TrustTests {
    static let header = "personnummer;namn;insats;beviljad_tid;beslut_fran"

    func run(_ text: String, into caseload: inout Caseload) throws -> CaseloadImport.Report {
        try CaseloadImport.run(Array(text.utf8), into: &caseload, routines: .standard, today: today, startAssumption: .notStarted)
    }

    // 1. One number can make the whole caseload unusable.
    @Test(arguments: ["9999999999999999999", "1e17", "1e300", "745", "-1", "inf", "nan"])
    func anAbsurdNumberOfHoursIsRejectedWithItsRowAndColumn(value: String) throws {
        var caseload = Caseload()
        let report = try run("""
            \(TrustTests.header)
            19200101-1564;Astrid Nilsson;hemtjänst;\(value);2025-01-10
            192002209209;Berta Ek;hemtjänst;20;2025-01-10
            """, into: &caseload)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.line == 2)
        #expect(report.rejected.first?.column == "beviljad_tid")
        #expect(caseload.clients.map(\.name) == ["Berta Ek"])
        try exerciseEverything(caseload, today: today)
    }

    @Test func theFormsLimitIsTheImportsLimit() {
        #expect((try? FieldInput.hours("744")) == 744)
        #expect((try? FieldInput.hours("744,5")) == nil)
        #expect((try? FieldInput.hours("1e17")) == nil)
        #expect((try? FieldInput.hours("12,5 tim")) == 12.5)
    }

    @Test(arguments: ["1e300", "-3", "800"])
    func aStoreWithAnAbsurdNumberIsRefusedNamingLineRecordAndField(value: String) throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        var demo = DemoCaseload.make(today: today)
        demo.clients = Array(demo.clients.prefix(3))
        var text = String(decoding: try StoreCodec.encode(demo), as: UTF8.self)
        let granted = try #require(text.range(of: "\"granted\":"))
        let end = try #require(text[granted.upperBound...].firstIndex { $0 == "," || $0 == "}" })
        text.replaceSubrange(granted.upperBound..<end, with: value)
        try Data(text.utf8).write(to: url)
        let before = try Data(contentsOf: url)
        let store = FileStore(url: url)
        #expect {
            _ = try store.load()
        } throws: { error in
            guard let error = error as? StoreError, case .damaged(_, let line, _, let detail, _) = error else { return false }
            return line != nil && detail.contains("ärende c") && detail.contains("granted") && detail.contains("timmar")
                && !error.message.contains(demo.clients[0].name)
        }
        #expect(try Data(contentsOf: url) == before)
    }

    @Test func formattingHoursNeverTraps() {
        for value in [Double.infinity, -.infinity, .nan, 1e300, -1e300, 9.3e18, 0.004] {
            _ = Hours.format(value)
            _ = RuleEngine.formatHours(value)
            _ = RuleEngine.formatPercent(value)
        }
        #expect(Hours.format(12.5) == "12,5")
        #expect(RuleEngine.formatHours(33.46) == "33,5")
        #expect(Hours.format(.nan) == "?")
        // A tiny granted time (the store allows 0–744) cannot give an infinite percentage.
        var caseload = Caseload(clients: [Client(
            id: "c1", name: "A", personnummer: Personnummer(unchecked: "192001011564"),
            decisions: [Decision(id: "d1", law: .sol, service: "hemtjänst", grantedHours: 1e-300, performedHours: 744,
                                 validFrom: today.adding(days: -100))])])
        caseload.nextSerial = 5
        #expect(throws: Never.self) { try exerciseEverything(caseload, today: today) }
    }

    // 2. A store reached through a symlink escapes the lock.
    @Test func aStoreReachedThroughASymlinkIsLockedAndStaysALink() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let real = root.appendingPathComponent("real/caseload.json")
        let alias = root.appendingPathComponent("other/alias.json")
        try FileManager.default.createDirectory(at: alias.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: alias.path, withDestinationPath: real.path)
        let ownerSerial: Int = try {
            let owner = FileStore(url: real)
            try owner.lockForWriting()
            _ = try owner.load()
            try owner.save(DemoCaseload.make(today: today))
            // While the owner has it open, no other name for the file gets the lock.
            #expect(throws: StoreError.locked(path: alias.path)) { try FileStore(url: alias).lockForWriting() }
            // A relative link to the link is followed too.
            let chained = root.appendingPathComponent("other/chained.json")
            try FileManager.default.createSymbolicLink(atPath: chained.path, withDestinationPath: "alias.json")
            #expect(throws: StoreError.locked(path: chained.path)) { try FileStore(url: chained).lockForWriting() }
            return try #require(try owner.load()).nextSerial
        }()

        // With the owner gone, a save through the link writes the real file and keeps the link.
        let writer = FileStore(url: alias, now: { Date(timeIntervalSince1970: 1_800_000_000) })
        try writer.lockForWriting()
        var caseload = try #require(try writer.load())
        caseload.nextSerial = ownerSerial + 100
        try writer.save(caseload)
        let attributes = try FileManager.default.attributesOfItem(atPath: alias.path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try FileStore(url: real).load()?.nextSerial == ownerSerial + 100)
        // The backup is a private copy beside the real file, not a link to the live store.
        let backups = FileStore(url: real).backups()
        #expect(backups.count == 1)
        for backup in backups {
            let type = try FileManager.default.attributesOfItem(atPath: backup.path)[.type] as? FileAttributeType
            #expect(type == .typeRegular)
            #expect(mode(of: backup.path) == 0o600)
            #expect(try StoreCodec.decode(Data(contentsOf: backup), path: "", latestBackup: nil).nextSerial == ownerSerial)
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("other/backups").path))
    }

    // 3. An unclosed quote swallows later rows.
    @Test func anUnclosedQuoteRejectsTheFileNamingWhereItOpened() throws {
        var caseload = DemoCaseload.make(today: today)
        let before = caseload
        let text = """
            personnummer;namn;insats;beslut_fran;anteckning
            19200101-1564;Astrid Nilsson;hemtjänst;2025-01-10;ok
            192002209209;Berta Ek;hemtjänst;2025-01-10;"Viktigt: ring före besök
            192009079282;Cecilia Ström;hemtjänst;2025-01-10;
            192104198383;David Berg;hemtjänst;2025-01-10;
            """
        #expect {
            _ = try run(text, into: &caseload)
        } throws: { error in
            guard let error = error as? CaseloadImport.FileError else { return false }
            return error.message.hasPrefix("Rad 3, fält 5:") && error.message.contains("Inget har lästs in")
        }
        #expect(caseload == before)
        // A quoted note over several lines, closed, is still one field.
        var fresh = Caseload()
        let closed = try run(text.replacingOccurrences(of: "besök\n", with: "besök\nnästa rad\";\n"), into: &fresh)
        #expect(closed.rejected.isEmpty)
        #expect(fresh.clients.first { $0.name == "Berta Ek" }?.notes == "Viktigt: ring före besök\nnästa rad")
    }

    // 6. Backups made within one second sort wrongly.
    @Test func backupsMadeWithinOneSecondRestoreTheNewest() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        let second = 1_800_000_000.0
        // Separate processes in one second (imports one after another): each saves once. Real
        // processes (the store probe): within this one, another test spawning a child could hold
        // a just-closed lock's description until the child's exec, and refuse the next lock.
        for round in 0..<14 {
            let run = ChildProcess.capture(builtProduct("bevaka-store-probe").path,
                                           ["save-at", url.path, String(second + Double(round) * 0.01), String(round)])
            #expect(run.status == 0 && run.output.contains("saved"), "round \(round): \(run.output)")
        }
        let store = FileStore(url: url)
        #expect(store.backups().count == FileStore.backupsKept)
        // The newest backup holds the save before the last one; pruning kept the newest ten.
        let serials = try store.backups().map { try StoreCodec.decode(Data(contentsOf: $0), path: "", latestBackup: nil).nextSerial }
        #expect(serials == Array(4...13))
        // The same instant twice gets a sequence number that sorts after it.
        #expect(FileStore.backupOrder("caseload-20261123T140201.000100Z-2.json")!
            .lexicographicallyPrecedes(FileStore.backupOrder("caseload-20261123T140201.000101Z.json")!))
        #expect(FileStore.backupOrder("caseload-20261123T140201.000100Z.json")!
            .lexicographicallyPrecedes(FileStore.backupOrder("caseload-20261123T140201.000100Z-2.json")!))
        // Names of the older versions (second resolution, "-2" for the second in a second) sort right too.
        #expect(FileStore.backupOrder("caseload-20261123-140201.json")!
            .lexicographicallyPrecedes(FileStore.backupOrder("caseload-20261123-140201-2.json")!))
        #expect(FileStore.backupOrder("notes.txt") == nil)
    }

    // 7. Personnummer repeated in import messages.
    @Test func aPersonnummerInTheWrongColumnIsMaskedInTheMessage() throws {
        var caseload = Caseload()
        let report = try run("""
            personnummer;namn;insats;lag;beslut_fran
            19200101-1564;Astrid Nilsson;hemtjänst;19400102-2393;2025-01-10
            19200101-1564;Astrid Nilsson;hemtjänst;SoL;194001022393
            """, into: &caseload)
        let text = ImportSummary.text(report, file: "x.csv", dryRun: true, storePath: "/s")
        #expect(report.rejected.count == 2)
        #expect(!text.contains("2393"))
        #expect(text.contains("19400102-****"))
        #expect(TerminalText.maskPersonalNumbers("400102+2393 och 4001022393, konto 12345678901234, 2026-11-23")
            == "400102+**** och 400102-****, konto 12345678901234, 2026-11-23")
    }

    @Test func anUnclosedQuoteInTheHeaderPrintsNoRows() throws {
        var caseload = Caseload()
        #expect {
            _ = try run("personnummer;\"namn;insats;beslut_fran\n19200101-1564;Astrid;hemtjänst;2025-01-10\n", into: &caseload)
        } throws: { error in
            guard let error = error as? CaseloadImport.FileError else { return false }
            return !error.message.contains("1564") && !error.message.contains("Astrid") && error.message.contains("Rad 1")
        }
    }

    // 8. The same file gives different results on different runs.
    @Test func theSeparatorIsTheOneThatYieldsTheRequiredColumns() {
        let header = "personnummer,namn,insats,beslut_fran\tx\ty\tz\n"
        let required = Set(ImportColumn.required)
        func detect(_ text: String) -> Character {
            CSVReader.detectSeparator(text) { ImportColumn.match(header: $0).map(required.contains) ?? false }
        }
        #expect(detect(header) == ",")
        #expect(detect("personnummer\tnamn\tinsats\tbeslut_fran;a;b;c\n") == "\t")
        // Nothing recognised and equal counts: the fixed order, ; before , before tab.
        #expect(detect("a;b,c\td\n") == ";")
        #expect(detect("a,b\tc\n") == ",")
        // Many runs in separate processes used to differ; the choice no longer depends on hashing.
        #expect(Set((0..<50).map { _ in detect(header) }) == [","])
    }

    // 10. Smaller faults.
    @Test(arguments: [0, -1]) func aSchemaVersionBelowOneIsRefused(version: Int) throws {
        let data = Data("{\"schemaVersion\":\(version),\"nextSerial\":1,\"clients\":[]}".utf8)
        #expect {
            _ = try StoreCodec.decode(data, path: "/s", latestBackup: nil)
        } throws: { error in
            (error as? StoreError)?.message.contains("format \(version) finns inte") == true
        }
    }

    @Test(arguments: ["[]", "\"text\"", "null", "42"]) func aStoreThatIsNoObjectSaysSo(document: String) throws {
        #expect {
            _ = try StoreCodec.decode(Data(document.utf8), path: "/s", latestBackup: nil)
        } throws: { error in
            (error as? StoreError)?.message.contains("dokumentet (ska vara ett JSON-objekt") == true
        }
    }

    @Test func aSerialNearTheLargestIntegerIsRefused() {
        let data = Data("{\"schemaVersion\":1,\"nextSerial\":9223372036854775807,\"clients\":[]}".utf8)
        #expect(throws: StoreError.self) { try StoreCodec.decode(data, path: "/s", latestBackup: nil) }
    }

    @Test func aWorldReadableStoresBackupIsPrivate() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        try StoreCodec.encode(DemoCaseload.make(today: today)).write(to: url)
        chmod(url.path, 0o644)
        let store = FileStore(url: url)
        try store.lockForWriting()
        let caseload = try #require(try store.load())
        try store.save(caseload)
        let backup = try #require(store.backups().first)
        #expect(mode(of: backup.path) == 0o600)
        #expect(mode(of: url.path) == 0o600)
    }

    @Test func aLockPathThatIsAFolderIsNamedNotTheStoresFolder() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        try FileManager.default.createDirectory(atPath: url.path + ".lock", withIntermediateDirectories: false)
        #expect(throws: StoreError.lockFile(path: url.path + ".lock", reason: "är en mapp")) {
            try FileStore(url: url).lockForWriting()
        }
    }
}
