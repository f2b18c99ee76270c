import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

@Suite struct FileStoreTests {
    @Test func savesAndLoadsTheSameCaseloadWithPrivateModes() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("nested/bevaka/caseload.json")
        let store = FileStore(url: url)
        #expect(try store.load() == nil)
        let demo = DemoCaseload.make(today: today)
        try store.save(demo)
        #expect(try FileStore(url: url).load() == demo)
        #expect(mode(of: url.path) == 0o600)
        #expect(mode(of: url.deletingLastPathComponent().path) == 0o700)
        // One client per line, after the header line.
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("{\"schemaVersion\":1,"))
        #expect(text.split(separator: "\n").count == demo.clients.count + 2)
    }

    @Test func parallelEncodingGivesTheSameBytesAsSerialAndRoundTrips() throws {
        let demo = DemoCaseload.make(today: today)
        var large = Caseload(nextSerial: 99)
        for round in 0..<40 {
            large.clients += demo.clients.map { client in
                var copy = client
                copy.id += "-\(round)"
                return copy
            }
        }
        let parallel = try StoreCodec.encode(large)
        var serial = Data("{\"schemaVersion\":1,\"nextSerial\":99,\"clients\":[".utf8)
        serial.append(try StoreCodec.encodeLines(large.clients[...], first: true))
        serial.append(Data("\n]}\n".utf8))
        #expect(parallel == serial)
        #expect(try StoreCodec.decode(parallel, path: "", latestBackup: nil) == large)
    }

    @Test func aDamagedLargeFileFallsBackToTheExactPosition() throws {
        let demo = DemoCaseload.make(today: today)
        var large = Caseload()
        for round in 0..<30 { large.clients += demo.clients.map { var c = $0; c.id += "-\(round)"; return c } }
        var lines = String(decoding: try StoreCodec.encode(large), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(try StoreCodec.decode(Data(lines.joined(separator: "\n").utf8), path: "p", latestBackup: nil) == large)
        lines[500] = lines[500].replacingOccurrences(of: "\"pnr\":", with: "\"pnr\" ")
        let error = try #require(throws: StoreError.self) {
            try StoreCodec.decode(Data(lines.joined(separator: "\n").utf8), path: "p", latestBackup: nil)
        }
        guard case .damaged(_, let line, _, _, _) = error else {
            Issue.record("expected damaged, got \(error)")
            return
        }
        #expect(line == 501)
    }

    @Test func aSecondWriterIsRefusedWithAClearMessage() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        let first = FileStore(url: url)
        try first.lockForWriting()
        let second = FileStore(url: url)
        #expect(throws: StoreError.locked(path: url.path)) { try second.lockForWriting() }
        #expect(StoreError.locked(path: url.path).message.contains("redan öppen"))
    }

    @Test func aDamagedFileIsReportedWithLineAndColumnAndNeverOverwritten() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        let store = FileStore(url: url, now: { Date(timeIntervalSince1970: 1_700_000_000) })
        _ = try store.load()
        try store.save(DemoCaseload.make(today: today))
        try store.save(DemoCaseload.make(today: today.adding(days: 1)))  // leaves a backup
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[3] = lines[3].replacingOccurrences(of: "\"name\":", with: "\"name\" ")[...]
        let damaged = lines.joined(separator: "\n")
        try Data(damaged.utf8).write(to: url)

        let reader = FileStore(url: url)
        let error = try #require(throws: StoreError.self) { try reader.load() }
        guard case .damaged(let path, let line, let column, _, let backup) = error else {
            Issue.record("expected a damaged-file error, got \(error)")
            return
        }
        #expect(path == url.path)
        #expect(line == 4)
        #expect(column != nil)
        #expect(backup != nil)
        #expect(error.message.contains("rad 4"))
        #expect(error.message.contains("cp '"))
        #expect(throws: StoreError.refusingToOverwrite(path: url.path)) {
            try reader.save(Caseload())
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == damaged)
    }

    @Test func aMissingFieldNamesTheRecordAndItsLine() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        let text = "{\"schemaVersion\":1,\"nextSerial\":3,\"clients\":[\n{\"id\":\"c1\",\"name\":\"A\",\"pnr\":\"192001011564\"},\n{\"id\":\"c2\",\"pnr\":\"192001011564\"}\n]}\n"
        try Data(text.utf8).write(to: url)
        #expect {
            _ = try FileStore(url: url).load()
        } throws: { error in
            guard case let StoreError.damaged(_, line, _, detail, _) = error else { return false }
            return line == 3 && detail.contains("\"name\"") && detail.contains("clients[1]")
        }
    }

    @Test func aStoreFromANewerSchemaIsRefused() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        try Data("{\"schemaVersion\":7,\"clients\":[{\"something\":\"new\"}]}".utf8).write(to: url)
        let store = FileStore(url: url)
        #expect(throws: StoreError.newerSchema(path: url.path, found: 7, supported: 1)) { try store.load() }
        #expect(throws: StoreError.refusingToOverwrite(path: url.path)) { try store.save(Caseload()) }
    }

    @Test func backupsRotateAndKeepTheNewest() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        final class Clock: @unchecked Sendable { var time = Date(timeIntervalSince1970: 1_700_000_000) }
        let clock = Clock()
        let store = FileStore(url: url, now: { clock.time })
        _ = try store.load()
        for round in 0..<15 {
            var caseload = Caseload()
            caseload.nextSerial = round
            try store.save(caseload)
            clock.time += 2 * FileStore.backupInterval
        }
        let backups = store.backups()
        #expect(backups.count == FileStore.backupsKept)
        // The newest backup holds the save before the last one.
        let newest = try #require(backups.last)
        #expect(try StoreCodec.decode(Data(contentsOf: newest), path: "", latestBackup: nil).nextSerial == 13)
        #expect(mode(of: store.backupFolder.path) == 0o700)
    }

    @Test func killingAWriterMidSaveLeavesAValidStore() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = builtProduct("bevaka-store-probe")
            process.arguments = ["save-loop", url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let limit = ChildDeadline(process, seconds: 60)
            // Wait until it has saved a number of times (read, not slept), then kill it mid-loop.
            var seen = Data()
            let handle = pipe.fileHandleForReading
            while String(decoding: seen, as: UTF8.self).components(separatedBy: "\n").count < 40 {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(limit.ended(), "the probe did not save within 60 s")
            #expect(process.terminationReason == .uncaughtSignal)
            let loaded = try FileStore(url: url).load()
            #expect((loaded?.clients.count ?? 0) > 0)
        }
    }

    @Test func aFailedWriteLeavesThePreviousFileIntact() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("caseload.json")
        let store = FileStore(url: url)
        _ = try store.load()
        try store.save(DemoCaseload.make(today: today))
        let before = try Data(contentsOf: url)

        let process = Process()
        process.executableURL = builtProduct("bevaka-store-probe")
        // A file-size limit a little above the current file: the larger save must fail in write().
        process.arguments = ["save-limited", url.path, String(before.count + 100)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let limit = ChildDeadline(process, seconds: 60)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(limit.ended(), "the probe did not end within 60 s")
        #expect(process.terminationStatus == 2)
        #expect(output.contains("Kunde inte spara"))
        #expect(output.contains("filen blev för stor"))
        #expect(try Data(contentsOf: url) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}

@Suite struct FileStoreReadErrorTests {
    @Test func aStorePathThatCannotBeReadSaysWhyAndIsNotWritten() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // A folder where the file should be: read() fails with EISDIR.
        let url = root.appendingPathComponent("caseload.json")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let store = FileStore(url: url)
        #expect(throws: StoreError.unreadable(path: url.path, reason: "är en mapp")) { try store.load() }
        #expect(throws: StoreError.refusingToOverwrite(path: url.path)) { try store.save(Caseload()) }
    }
}
