import Foundation
import Testing

/// Issue 22: `bevaka gallra` on a file store, through the real binary.
@Suite struct GallraCommandTests {
    /// A demo store whose first person is archived with every decision closed 13 months ago.
    static func storeWithAnEndedPerson() throws -> (folder: URL, store: String, clients: [[String: Any]]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-gallra-\(UUID().uuidString)")
        let store = folder.appendingPathComponent("data/bevaka/caseload.json").path
        #expect(try bevaka(["demo", "--store", store, "--today", "2026-11-22"]).status == 0)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store))) as? [String: Any])
        var clients = try #require(document["clients"] as? [[String: Any]])
        clients[0]["archived"] = true
        clients[0]["decisions"] = (clients[0]["decisions"] as? [[String: Any]] ?? []).map { decision in
            var decision = decision
            decision["to"] = "2025-09-30"
            decision["closed"] = "2025-10-01"
            return decision
        }
        document["clients"] = clients
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: store))
        return (folder, store, clients)
    }

    @Test func dryRunChangesNothingAndTheRunRemovesThePersonFromEveryFile() throws {
        let (folder, store, clients) = try Self.storeWithAnEndedPerson()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = clients[0]
        let name = try #require(first["name"] as? String)
        let pnr = try #require(first["pnr"] as? String)
        // A backup beside it holds the person too (as the app's hourly backup would).
        let backups = folder.appendingPathComponent("data/bevaka/backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: store, toPath: backups.appendingPathComponent("caseload-20261101T100000.000000Z.json").path)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))

        let dry = try bevaka(["gallra", "--dry-run", "--store", store, "--today", "2026-11-22"])
        #expect(dry.status == 0 && dry.stdout.contains("Skulle tas bort (1):") && dry.stdout.contains(name), "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("född \(pnr.prefix(8))") && !dry.stdout.contains(pnr) && dry.stdout.contains("Provkörning"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)

        let run = try bevaka(["gallra", "--store", store, "--today", "2026-11-22"])
        #expect(run.status == 0 && run.stdout.contains("1 person är borttagen"), "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Exporter och utskrifter du redan gjort är dina"))
        var all = Data()
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL { all.append(FileManager.default.contents(atPath: url.path) ?? Data()) }
        for needle in [pnr, String(pnr.dropFirst(2)), name] { #expect(all.range(of: Data(needle.utf8)) == nil, "\(needle) left behind") }
        let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store))) as? [String: Any])
        #expect((after["clients"] as? [[String: Any]])?.count == clients.count - 1)
        // Nothing left to do; and gallring can be switched off.
        #expect(try bevaka(["gallra", "--store", store, "--today", "2026-11-22"]).stdout.contains("Ingen att gallra"))
    }

    /// A date after the computer's clock (--today or BEVAKA_TODAY, left in a profile or used for
    /// planning) deletes nobody: the run becomes a dry run and says why. A clock that stands
    /// before the store's last save deletes nobody either. (An earlier date works: the test above.)
    @Test func aDateAfterTheClockOrAClockBeforeTheLastSaveDeletesNobody() throws {
        let (folder, store, _) = try Self.storeWithAnEndedPerson()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        for (arguments, environment) in [(["--today", "2100-12-31"], [String: String]()), ([], ["BEVAKA_TODAY": "2100-12-31"])] {
            let run = try bevaka(["gallra", "--store", store] + arguments, environment: environment)
            #expect(run.status == 0 && run.stdout.contains("ligger efter datorns datum") && run.stdout.contains("Provkörning: ingenting togs bort"),
                    "\(run.stdout)\(run.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        }
        // The store was saved "in 2099": the computer's clock is wrong.
        let future = Date(timeIntervalSince1970: 4_070_908_800)
        try FileManager.default.setAttributes([.modificationDate: future], ofItemAtPath: store)
        let refused = try bevaka(["gallra", "--store", store, "--today", "2026-11-22"])
        #expect(refused.status != 0 && refused.stderr.contains("Datorns klocka står före ärendelistans senaste sparande"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }
}

/// Issue 23: `bevaka import` of a list without a verkställt column refuses to guess.
@Suite struct ImportStartColumnTests {
    @Test func theCommandAsksForTheAnswerAndTakesIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-verk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("lista.csv").path
        try Data("personnummer;namn;insats;beslut_fran\n192001011564;Astrid Nilsson;hemtjänst;2025-03-01\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let store = folder.appendingPathComponent("s.json").path
        let refused = try bevaka(["import", csv, "--store", store, "--today", "2026-11-22"])
        #expect(refused.status == 1 && refused.stderr.contains("Filen har ingen kolumn verkstallt"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--verkstallt-fran-start") && refused.stderr.contains("--ej-verkstallda"))
        #expect(!FileManager.default.fileExists(atPath: store))
        let both = try bevaka(["import", csv, "--store", store, "--verkstallt-fran-start", "--ej-verkstallda"])
        #expect(both.status != 0 && both.stderr.contains("bara en av"))
        let taken = try bevaka(["import", csv, "--store", store, "--today", "2026-11-22", "--verkstallt-fran-start"])
        #expect(taken.status == 0 && taken.stdout.contains("1 nya beslut räknas som verkställda"), "\(taken.stdout)\(taken.stderr)")
        #expect(try String(contentsOfFile: store, encoding: .utf8).contains("\"started\":\"2025-03-01\""))
        let agenda = try bevaka(["agenda", "--store", store, "--today", "2026-11-22", "--format", "json"])
        let kinds = try jsonArray(agenda.stdout).compactMap { $0["kind"] as? String }
        #expect(!kinds.isEmpty && !kinds.contains("notStarted") && !kinds.contains("ivoReport"), "\(kinds)")
    }
}

/// Issue 24, item 14: a path typed on the command line never brings a control sequence to the terminal.
@Suite struct ControlSequencesInPathsTests {
    @Test func messagesQuotingAPathAreStripped() throws {
        let evil = "/tmp/lista\u{1b}]0;titel\u{07}\u{1b}]52;c;aGVq\u{07}.csv"
        for arguments in [["import", evil, "--ej-verkstallda"], ["agenda", "--store", evil + ".json"],
                          ["export", "csv", "--demo", "--output", "/nonexistent/\u{1b}[2J" + "x.csv"]] {
            let run = try bevaka(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(!(run.stderr + run.stdout).contains("\u{1b}") && !(run.stderr + run.stdout).contains("\u{07}"), "\(run.stderr)")
        }
    }
}

/// Issue 24: `--today` with an absurd year says so, without suggesting the same year back.
@Suite struct SaneTodayTests {
    @Test func anAbsurdTodayIsRefused() throws {
        let run = try bevaka(["--today", "0001-01-01", "arshjul", "--demo"])
        #expect(run.status != 0 && run.stderr.contains("har ett orimligt år") && !run.stderr.contains("--year 1"))
    }
}
