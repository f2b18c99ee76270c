import BevakaDomain
import BevakaProcess
import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaStore

/// A gallring killed (SIGKILL) at every one of its steps — before, during and after the intent,
/// during the scrub of each backup, during the save, before the intent is removed — for several
/// caseloads: the next start (or the next `bevaka gallra`) finishes it, no byte of a gallrad
/// person is left anywhere under the data folder, and everyone who should stay is there as they
/// were. Each kill is a real process dying at a chosen step (`bevaka-store-probe gallra-die`).
@Suite struct GallringKillTests {
    struct Prepared {
        let folder: URL
        let gone: [Client]
        let kept: [Client]
    }

    /// A data folder holding a store of the demo's people (some archived and ended 13 months ago:
    /// to go), five backups holding everyone, a damaged backup and a leftover temporary file.
    static func prepare(seed: UInt64) throws -> Prepared {
        var random = SeededRandom(seed: seed)
        let folder = try temporaryFolder("bevaka-kill")
        var caseload = DemoCaseload.make(today: today)
        caseload.clients = Array(caseload.clients.prefix(8 + random.below(8)))
        var goneIDs: Set<String> = []
        for index in caseload.clients.indices {
            caseload.clients[index].archived = false
            guard index % 3 == Int(seed % 3) || goneIDs.isEmpty && index == caseload.clients.count - 1 else { continue }
            caseload.clients[index].archived = true
            caseload.clients[index].doorCode = "D\(seed)x\(index)Q"
            caseload.clients[index].address = Address(street: "Gallringsgatan \(seed * 100 + UInt64(index))")
            for d in caseload.clients[index].decisions.indices {
                caseload.clients[index].decisions[d].validTo = today.adding(months: -14)
                caseload.clients[index].decisions[d].closedOn = today.adding(months: -13)
            }
            goneIDs.insert(caseload.clients[index].id)
        }
        let clock = Clock()
        let store = FileStore(url: folder.appendingPathComponent("caseload.json"), now: { clock.tick() })
        try store.lockForWriting()
        _ = try store.load()
        for round in 0..<5 {
            caseload.clients[0].notes = "runda \(round)"
            try store.save(caseload)
        }
        try Data("{\"schemaVersion\":1,\"clients\":[{\"address\":\"\(caseload.clients.first { goneIDs.contains($0.id) }?.address?.street ?? "")\""
            .utf8).write(to: store.backupFolder.appendingPathComponent("caseload-20200101T000000.000000Z.json"))
        try Data("rest".utf8).write(to: folder.appendingPathComponent(".caseload.json.tmp-99999"))
        return Prepared(folder: folder, gone: caseload.clients.filter { goneIDs.contains($0.id) },
                        kept: caseload.clients.filter { !goneIDs.contains($0.id) })
    }

    static func copy(_ from: URL) throws -> URL {
        let to = try temporaryFolder("bevaka-kill-run")
        try FileManager.default.removeItem(at: to)
        try FileManager.default.copyItem(at: from, to: to)
        return to
    }

    static func needles(_ person: Client) -> [String] {
        [person.personnummer.digits, person.personnummer.formatted, person.name, person.doorCode ?? "", person.address?.street ?? ""]
            .filter { !$0.isEmpty }
    }

    @Test func aGallringKilledAtEveryStepIsFinishedAndLeavesNothingOfThePerson() throws {
        let probe = builtProduct("bevaka-store-probe").path
        let bevaka = builtProduct("bevaka").path
        var kills = 0
        var finishedByCommand = 0
        for seed in UInt64(1)...14 {
            let prepared = try Self.prepare(seed: seed)
            defer { try? FileManager.default.removeItem(at: prepared.folder) }
            let ids = prepared.gone.map(\.id)
            // How many steps a whole gallring of this folder takes.
            let whole = try Self.copy(prepared.folder)
            let counted = ChildProcess.capture(probe, ["gallra-die", whole.appendingPathComponent("caseload.json").path, "0"] + ids)
            try? FileManager.default.removeItem(at: whole)
            let steps = Int(counted.output.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            #expect(counted.status == 0 && steps >= 10, "\(counted.output)")
            for dieAt in 1...max(1, steps) {
                let run = try Self.copy(prepared.folder)
                defer { try? FileManager.default.removeItem(at: run) }
                let path = run.appendingPathComponent("caseload.json").path
                let killed = ChildProcess.capture(probe, ["gallra-die", path, String(dieAt)] + ids)
                #expect(killed.status == 128 + SIGKILL, "step \(dieAt) of \(steps): \(killed.output)")
                kills += 1
                // Killed before the intent was in place: the gallring did not begin, and the next
                // start keeps everyone. From then on it finishes it. Then `bevaka gallra` runs.
                let begun = FileManager.default.fileExists(atPath: run.appendingPathComponent(".caseload.json.gallring").path)
                let start = ChildProcess.capture(probe, ["start", path])
                // Not begun: killed before the intent was in place (everyone is there) or after it
                // was removed (the gallring is done).
                let counts = begun ? [prepared.kept.count] : [prepared.kept.count + prepared.gone.count, prepared.kept.count]
                #expect(counts.contains { start.output.contains("people \($0)\n") }, "step \(dieAt): \(start.output)")
                if begun { try Self.checkNothingLeft(of: prepared, under: run, seed: seed, step: dieAt, of: steps) }
                if FileManager.default.isExecutableFile(atPath: bevaka) {
                    let again = ChildProcess.capture(bevaka, ["gallra", "--store", path, "--today", today.description],
                                                     environment: ["LANG": "C.UTF-8", "HOME": run.path])
                    #expect(again.status == 0, "\(again.output)")
                    finishedByCommand += 1
                }
                try Self.checkNothingLeft(of: prepared, under: run, seed: seed, step: dieAt, of: steps)
                #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent(".caseload.json.gallring").path))
            }
        }
        #expect(kills >= 200, "only \(kills) kills")
        #expect(finishedByCommand == kills)
    }

    /// No byte of a gallrad person under the folder; everyone else in the store as they were.
    static func checkNothingLeft(of prepared: Prepared, under run: URL, seed: UInt64, step: Int, of steps: Int) throws {
        let bytes = GallringTests.bytes(under: run)
        for person in prepared.gone {
            for needle in needles(person) where bytes.range(of: Data(needle.utf8)) != nil {
                Issue.record("seed \(seed), killed at step \(step) of \(steps): '\(needle)' is left under the data folder")
            }
        }
        let loaded = try #require(try FileStore(url: run.appendingPathComponent("caseload.json")).load())
        #expect(loaded.clients == prepared.kept, "seed \(seed), step \(step): someone who should stay changed or is gone")
    }
}
