import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaStore

/// Issue 22: gallring removes a person from the store and every file beside it, and nobody else.
@Suite struct GallringTests {
    /// The demo with two people whose support ended: one archived 13 months after the last end
    /// (to go), one archived only 11 months after (to stay); and one not archived (to stay).
    static func caseload() -> (Caseload, gone: Client, kept: [Client]) {
        var caseload = DemoCaseload.make(today: today)
        for index in caseload.clients.indices { caseload.clients[index].archived = false }
        func end(_ index: Int, months: Int, archived: Bool) {
            caseload.clients[index].archived = archived
            for d in caseload.clients[index].decisions.indices {
                caseload.clients[index].decisions[d].validTo = today.adding(months: -months + 1)
                caseload.clients[index].decisions[d].closedOn = today.adding(months: -months)
            }
        }
        end(0, months: 13, archived: true)
        end(1, months: 11, archived: true)
        end(2, months: 13, archived: false)
        return (caseload, caseload.clients[0], Array(caseload.clients.dropFirst()))
    }

    @Test func whoIsDue() {
        let (caseload, gone, _) = Self.caseload()
        #expect(Gallring.candidates(caseload, months: 12, today: today).map(\.client.id) == [gone.id])
        #expect(Gallring.candidates(caseload, months: 12, today: today).first?.lastEnd == today.adding(months: -13))
        #expect(Gallring.candidates(caseload, months: nil, today: today).isEmpty)
        #expect(Gallring.candidates(caseload, months: 10, today: today).count == 2)
        // A decision without an end, or no decision at all: never.
        var running = caseload
        running.clients[0].decisions[0].validTo = nil
        running.clients[0].decisions[0].closedOn = nil
        #expect(Gallring.candidates(running, months: 12, today: today).isEmpty)
        var none = caseload
        none.clients[0].decisions = []
        #expect(Gallring.candidates(none, months: 12, today: today).isEmpty)
        // On the day itself, not the day before.
        let due = today.adding(months: -13).adding(months: 12)
        #expect(Gallring.candidates(caseload, months: 12, today: due).count == 1)
        #expect(Gallring.candidates(caseload, months: 12, today: due.adding(days: -1)).isEmpty)
    }

    /// Every byte of every file under `folder`, as one blob.
    static func bytes(under folder: URL) -> Data {
        var all = Data()
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            if let data = FileManager.default.contents(atPath: url.path) { all.append(data) }
        }
        return all
    }

    static func traces(of person: Client, in data: Data) -> Int {
        [person.personnummer.digits, person.personnummer.formatted, String(person.personnummer.digits.dropFirst(2)), person.name]
            .filter { data.range(of: Data($0.utf8)) != nil }.count
    }

    @Test func theFileAndEveryBackupLoseThePersonAndKeepEveryoneElse() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (caseload, gone, kept) = Self.caseload()
        // Saves two hours apart: each takes a backup holding the person.
        let clock = Clock()
        let store = FileStore(url: folder.appendingPathComponent("caseload.json"), now: { clock.tick() })
        try store.lockForWriting()
        _ = try store.load()
        var current = caseload
        for round in 0..<4 {
            current.clients[3].notes = "runda \(round)"
            try store.save(current)
        }
        #expect(store.backups().count >= 3)
        #expect(Self.traces(of: gone, in: Self.bytes(under: folder)) > 0)
        let (remaining, report) = try store.gallra([gone.id], from: current)
        #expect(report.rewritten == store.backups().count && report.removed == 0)
        #expect(Self.traces(of: gone, in: Self.bytes(under: folder)) == 0)
        // Everyone else is in the store and in every backup as before.
        let loaded = try #require(try FileStore(url: store.url).load())
        #expect(loaded.clients.map(\.id) == kept.map(\.id) && loaded == remaining)
        for backup in store.backups() {
            let old = try StoreCodec.decode(try Data(contentsOf: backup), path: backup.path, latestBackup: nil)
            #expect(old.clients.map(\.id) == kept.map(\.id))
            #expect(mode(of: backup.path) == 0o600)
        }
        // A backup that cannot be read is removed during a gallring, whatever it holds: a part
        // of a file may hold an address or a door code without the personnummer.
        let broken = store.backupFolder.appendingPathComponent("caseload-20200101T000000.000000Z.json")
        try Data("{ trasig, \"doorCode\": \"\(gone.doorCode ?? "1234")\"".utf8).write(to: broken)
        #expect(try store.scrubBackups(ids: [gone.id], known: [gone]).removed == 1)
        #expect(!FileManager.default.fileExists(atPath: broken.path))
        #expect(!FileManager.default.fileExists(atPath: store.gallringIntent.path))
    }

    /// A killed gallring leaves its intent; the next writer to load the store finishes it before
    /// anything else, and a reader meanwhile shows nobody it was removing.
    @Test func anInterruptedGallringIsFinishedByTheNextWriterAndHiddenFromReaders() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (caseload, gone, kept) = Self.caseload()
        let clock = Clock()
        let url = folder.appendingPathComponent("caseload.json")
        do {
            // The first writer saves with backups, writes the intent and dies (here: lets go).
            let store = FileStore(url: url, now: { clock.tick() })
            try store.lockForWriting()
            _ = try store.load()
            var current = caseload
            for round in 0..<3 {
                current.clients[3].notes = "runda \(round)"
                try store.save(current)
            }
            try store.writeIntent([gone.id])
        }
        let reader = try #require(try FileStore(url: url).load())
        #expect(!reader.clients.contains { $0.id == gone.id })
        #expect(Self.traces(of: gone, in: Self.bytes(under: folder)) > 0)
        let next = FileStore(url: url)
        try next.lockForWriting()
        let loaded = try #require(try next.load())
        #expect(loaded.clients.map(\.id) == kept.map(\.id))
        #expect(Self.traces(of: gone, in: Self.bytes(under: folder)) == 0)
        #expect(!FileManager.default.fileExists(atPath: next.gallringIntent.path))
    }
}

/// Two hours later at every call.
final class Clock: @unchecked Sendable {
    private var now = Date(timeIntervalSince1970: 1_790_000_000)
    private let lock = NSLock()
    func tick() -> Date {
        lock.lock()
        defer { lock.unlock() }
        now += 7200
        return now
    }
}
