import BevakaTestSupport
import Foundation
import Testing

/// Runs the real `bevaka` binary, with a clean environment (no user store, fixed date via flags).
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Reads a pipe to its end on a thread of its own.
final class ErrorsReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// `fileSizeLimitBlocks` runs it under `ulimit -f` (1024-byte blocks): writes past it fail as on a full disk.
func bevaka(_ arguments: [String], environment: [String: String] = [:], fileSizeLimitBlocks: Int? = nil) throws -> Run {
    let process = Process()
    if let blocks = fileSizeLimitBlocks {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", builtProduct("bevaka").path] + arguments
    } else {
        process.executableURL = builtProduct("bevaka")
        process.arguments = arguments
    }
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-home-\(UUID().uuidString)")
    process.environment = ["HOME": home.path, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        .merging(environment) { _, new in new }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // A command that hangs is killed after two minutes and fails its test, not the whole run.
    let limit = ChildDeadline(process, seconds: 120)
    // Both pipes read at once: reading one to its end first would wait forever for a child
    // that fills the other (a long stderr) and blocks.
    let errors = ErrorsReader(err.fileHandleForReading)
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.wait()
    process.waitUntilExit()
    #expect(limit.ended(), "bevaka \(arguments.joined(separator: " ")) ran over two minutes and was killed")
    try? FileManager.default.removeItem(at: home)
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
               stderr: String(decoding: stderr, as: UTF8.self))
}

func jsonArray(_ text: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}

@Suite struct CLITests {
    @Test func globalOptionsWorkBeforeAndAfterTheSubcommand() throws {
        let before = try bevaka(["--demo", "--today", "2026-11-22", "agenda"])
        let after = try bevaka(["agenda", "--demo", "--today", "2026-11-22"])
        #expect(before.status == 0)
        #expect(before.stdout == after.stdout)
        #expect(before.stdout.contains("försenade"))
        #expect(before.stdout.contains("19220329-****"))  // Erik, masked
        #expect(!before.stdout.contains("19220329-9231"))
        for line in before.stdout.split(separator: "\n") {
            #expect(line.count <= 80, "\(line)")
        }
    }

    @Test func agendaJSONHasTheAgreedFields() throws {
        let run = try bevaka(["--demo", "agenda", "--today", "2026-11-22", "--format", "json", "--days", "14"])
        #expect(run.status == 0)
        let rows = try jsonArray(run.stdout)
        #expect(!rows.isEmpty)
        var previous = ""
        for row in rows {
            let due = try #require(row["due"] as? String)
            #expect(due >= previous)
            previous = due
            #expect(due <= "2026-12-06")
            #expect(row["client"] is String)
            #expect((row["personnummer"] as? String)?.hasSuffix("-****") == true)
            #expect(row["kind"] is String)
            #expect(row["daysOverdue"] is Int)
            let personLevel = ["annualFollowUp", "prepareFollowUp"].contains(row["kind"] as? String ?? "")
            #expect((row["service"] == nil) == personLevel || row["kind"] as? String == "manual")
        }
        let overdue = rows.filter { ($0["daysOverdue"] as? Int ?? 0) > 0 }
        #expect(!overdue.isEmpty)
        let full = try bevaka(["--demo", "agenda", "--today", "2026-11-22", "--format", "json", "--show-personnummer"])
        #expect(full.stdout.contains("19220329-9231"))
    }

    @Test func yearPlanInTextAndJSON() throws {
        let text = try bevaka(["--demo", "--today", "2026-11-22", "arshjul", "--year", "2027"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Årshjul 2027"))
        #expect(text.stdout.contains("januari"))
        // JSON gives what the text shows: twelve months, every one present, with their counts and
        // entries; the overdue ones apart.
        let json = try bevaka(["arshjul", "--demo", "--today", "2026-11-22", "--year", "2027", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["year"] as? Int == 2027)
        let months = try #require(document["months"] as? [[String: Any]])
        #expect(months.map { $0["month"] as? Int } == (1...12).map { $0 })
        #expect(months[1]["name"] as? String == "februari" && months[1]["workingDays"] as? Int == 20)
        let empty = months.filter { ($0["planned"] as? Int) == 0 }
        #expect(!empty.isEmpty)  // a free month is there, with no entries
        #expect(empty.allSatisfy { ($0["entries"] as? [Any])?.isEmpty == true && $0["done"] as? Int == 0 && $0["moved"] as? Int == 0 })
        for month in months {
            let entries = try #require(month["entries"] as? [[String: Any]])
            #expect(entries.count == month["planned"] as? Int)
            #expect(entries.allSatisfy { $0["kind"] is String && $0["due"] is String && $0["month"] as? Int == month["month"] as? Int })
        }
        let planned = months.reduce(0) { $0 + ($1["planned"] as? Int ?? 0) }
        #expect(planned > 20 && document["planned"] as? Int == planned)
        #expect(text.stdout.contains("2027: \(planned) uppföljningar"))
        let overdue = try #require(document["overdue"] as? [[String: Any]])
        #expect(!overdue.isEmpty && overdue.allSatisfy { ($0["daysOverdue"] as? Int ?? 0) > 0 && $0["month"] == nil })
        #expect(!json.stdout.contains("19220329-9231"))
    }

    @Test func agendaForTheWeekIsMondayToSunday() throws {
        // Wednesday 2026-11-25: the week is 23–29 November (v. 48).
        let run = try bevaka(["agenda", "--demo", "--today", "2026-11-25", "--week", "--format", "json"])
        #expect(run.status == 0)
        let rows = try jsonArray(run.stdout)
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { ($0["due"] as? String ?? "") >= "2026-11-23" && ($0["due"] as? String ?? "") <= "2026-11-29" })
        let all = try jsonArray(try bevaka(["agenda", "--demo", "--today", "2026-11-25", "--days", "4", "--format", "json"]).stdout)
        let inWeek = all.filter { ($0["due"] as? String ?? "") >= "2026-11-23" }
        #expect(rows.count == inWeek.count)
        let text = try bevaka(["agenda", "--demo", "--today", "2026-11-25", "--week"])
        #expect(text.stdout.hasPrefix("Bevakningar vecka 48 (23 nov–29 nov 2026)"))
    }

    @Test func theAgendaNamesTheNewKinds() throws {
        let rows = try jsonArray(try bevaka(["agenda", "--demo", "--today", "2026-11-22", "--days", "60", "--format", "json"]).stdout)
        let kinds = Set(rows.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["notStarted", "interrupted", "ivoReport"]))
        // Q4's reporting period starts on New Year's Day: its reminders are on the first working
        // day after (2027-01-04), in next year's årshjul, never in the quarter they report on.
        let year = try bevaka(["arshjul", "--demo", "--today", "2026-11-22", "--year", "2027", "--format", "json"])
        let months = try #require((try JSONSerialization.jsonObject(with: Data(year.stdout.utf8)) as? [String: Any])?["months"] as? [[String: Any]])
        #expect(months.reduce(0) { $0 + ($1["ivoReports"] as? Int ?? 0) } == 3)
        #expect(months.first?["ivoReports"] as? Int == 3)
        #expect(rows.filter { $0["kind"] as? String == "ivoReport" }.allSatisfy { $0["due"] as? String == "2027-01-04" })
    }

    @Test func theIVOReportForAQuarterAndMarkingItSent() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-ivo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("caseload.json").path
        #expect(try bevaka(["demo", "--store", store, "--today", "2026-11-22"]).status == 0)
        // A quarter that has not ended: what is known so far, marked, and it cannot be marked as sent.
        let early = try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--store", store, "--today", "2026-11-22"])
        #expect(early.status == 0 && early.stdout.hasPrefix("PRELIMINÄR: kvartalet är inte slut"), "\(early.stdout)\(early.stderr)")
        let earlySent = try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--markera-skickad", "--store", store, "--today", "2026-11-22"])
        #expect(earlySent.status != 0 && earlySent.stderr.contains("är inte slut än"))
        // Without --kvartal: the last quarter that has ended.
        let latest = try bevaka(["rapport", "ivo", "--store", store, "--today", "2027-01-10"])
        #expect(latest.status == 0 && latest.stdout.contains("kvartal 4 2026") && !latest.stdout.contains("PRELIMINÄR"), "\(latest.stderr)")
        let bad = try bevaka(["rapport", "ivo", "--kvartal", "2026-7", "--store", store, "--today", "2027-01-10"])
        #expect(bad.status != 0 && bad.stderr.contains("går inte att läsa"))
        let q4 = try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--store", store, "--today", "2027-01-10"])
        #expect(q4.status == 0)
        #expect(q4.stdout.contains("kvartal 4 2026") && q4.stdout.contains("Nya rapporter (3)"))
        #expect(q4.stdout.contains("avbrott från 2026-08-14") && q4.stdout.contains("korttidsvistelse"))
        let again = try bevaka(["rapport", "ivo", "--kvartal", "2026-Q4", "--store", store, "--today", "2027-01-10"])
        #expect(again.stdout == q4.stdout)
        let exported = try bevaka(["export", "json", "--store", store, "--today", "2027-01-10"])
        let demo = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        let clients = try #require(demo["clients"] as? [[String: Any]])
        // Everyone has a personnummer: no T-form identifier is made or kept.
        #expect(clients.compactMap { $0["ivoID"] as? String }.isEmpty)
        // The personnummer of each reported person, as IVO's e-tjänst takes it; no name, in any format.
        for format in ["text", "csv", "json"] {
            let run = try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--format", format, "--store", store, "--today", "2027-01-10"])
            #expect(run.status == 0)
            var reported = 0
            for client in clients {
                #expect(!run.stdout.contains(client["name"] as? String ?? "?"), "\(format)")
                let pnr = client["pnr"] as? String ?? "?"
                if run.stdout.contains(String(pnr.prefix(8)) + "-" + String(pnr.suffix(4))) { reported += 1 }
            }
            #expect(reported == 3, "\(format): \(reported)")
        }
        // To a file only its owner can read.
        let file = folder.appendingPathComponent("ivo-2026-4.txt").path
        #expect(try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--output", file, "--store", store, "--today", "2027-01-10"]).status == 0)
        #expect(((try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions]) as? Int) == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == q4.stdout)
        // Marked as sent: the next quarter continues them.
        let sent = try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--markera-skickad", "--store", store, "--today", "2027-01-10"])
        #expect(sent.status == 0 && sent.stderr.contains("markerat som skickat"))
        let next = try bevaka(["rapport", "ivo", "--kvartal", "2027-1", "--format", "json", "--store", store, "--today", "2027-04-02"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any])
        // New in Q1 2027: only the demo's trygghetslarm granted 2026-11-21, not started three months later.
        let new = (object["nya"] as? [[String: Any]]) ?? []
        #expect(new.count == 1 && new.first?["insats"] as? String == "trygghetslarm", "\(new)")
        #expect((object["fortsatta"] as? [Any])?.count == 3)
        let demoRun = try bevaka(["rapport", "ivo", "--kvartal", "2026-4", "--demo", "--markera-skickad", "--today", "2027-01-10"])
        #expect(demoRun.status != 0 && demoRun.stderr.contains("--demo"))
    }

    @Test func versionHelpAndArgumentErrorsSpeakSwedish() throws {
        let version = try bevaka(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("bevaka "))
        let unknownHelp = try bevaka(["help", "nosuch"])
        #expect(unknownHelp.status != 0)
        #expect(unknownHelp.stderr.contains("Det finns inget kommando som heter \"nosuch\""))
        #expect(try bevaka(["help", "agenda"]).status == 0)
        let cases: [([String], String)] = [
            (["agenda", "--demo", "--days", "x"], "--days ska vara ett antal dagar mellan 0 och 3660 (\"x\" är inget heltal)."),
            (["agenda", "--demo", "--days", "-5"], "--days saknar ett värde."),
            (["agenda", "--demo", "--format", "xml"], "välj text eller json."),
            (["agenda", "--demo", "--nosuch"], "Flaggan --nosuch finns inte."),
            (["nosuch"], "\"nosuch\" är inget kommando"),
            (["import"], "Argumentet <FILE> saknas."),
        ]
        for (arguments, expected) in cases {
            let run = try bevaka(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
            // Nothing of the library's English is left.
            for english in ["invalid", "Missing", "Unknown", "Unexpected", "expected", "Please"] {
                #expect(!run.stderr.contains(english), "\(arguments): \(run.stderr)")
            }
        }
        let negative = try bevaka(["agenda", "--demo", "--days=-5"])
        #expect(negative.status == 64 && negative.stderr.contains("--days ska vara ett antal dagar mellan 0 och 3660."))
    }

    @Test func messagesNameTheUsersPathAndTheRightReason() throws {
        // No digits in the name: messages mask what looks like a personnummer, and a UUID's
        // `12345678-1234` does (the test failed in CI once in a few hundred runs).
        let missing = "/tmp/bevaka-no-such-folder-\(uniqueLetters())/lista.csv"
        let export = try bevaka(["export", "csv", "--demo", "--output", missing])
        #expect(export.status != 0)
        #expect(export.stderr.contains("för \(missing)") && export.stderr.contains("finns inte"))
        #expect(!export.stderr.contains(".tmp-"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-imp-\(UUID().uuidString).csv")
        try "namn;personnummer\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let proc = try bevaka(["--store", "/proc/bevaka-lista.json", "import", file.path])
        #expect(proc.status != 0)
        #expect(proc.stderr.contains("det går inte att skapa filer där") && proc.stderr.contains("/proc/bevaka-lista.json"))
        #expect(!proc.stderr.contains("finns inte"))
    }

    @Test func errorsAreOneSwedishSentenceOnStderr() throws {
        let badDate = try bevaka(["--demo", "agenda", "--today", "2026-02-30"])
        #expect(badDate.status != 0)
        #expect(badDate.stdout.isEmpty)
        #expect(badDate.stderr.contains("ogiltigt"))
        let noStore = try bevaka(["agenda", "--today", "2026-11-22"])
        #expect(noStore.status != 0)
        #expect(noStore.stderr.contains("bevaka import"))
        let unknown = try bevaka(["--demo", "agenda", "--dagar", "3"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("Felaktigt kommando"))
        let envDate = try bevaka(["--demo", "agenda"], environment: ["BEVAKA_TODAY": "20261301"])
        #expect(envDate.stderr.contains("20261301"))
    }

    /// Issue 9: "Sparat i …" was printed before the save, which then failed on a full disk.
    @Test func importSaysSavedOnlyAfterItHasSaved() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("lista.csv")
        let store = folder.appendingPathComponent("caseload.json")
        let rows = (0..<40).map { "192001011564;Astrid Nilsson;hemtjänst \($0);2025-10-01" }
        try Data((["Pnr;Namn;Insats;Startdatum"] + rows).joined(separator: "\n").utf8).write(to: csv)
        let full = try bevaka(["--store", store.path, "--today", "2026-11-22", "import", csv.path, "--ej-verkstallda"], fileSizeLimitBlocks: 2)
        #expect(full.status != 0)
        #expect(!full.stdout.contains("Sparat i"))
        #expect(full.stderr.contains("Kunde inte spara") && full.stderr.contains("Ingenting från"))
        #expect(!FileManager.default.fileExists(atPath: store.path))
        let roomy = try bevaka(["--store", store.path, "--today", "2026-11-22", "import", csv.path, "--ej-verkstallda"])
        #expect(roomy.status == 0)
        #expect(roomy.stdout.contains("Sparat i \(store.path)."))
    }

    @Test func importThenAgendaOnTheImportedStoreAndReimportIsANoOp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("lista.csv")
        let store = folder.appendingPathComponent("store/caseload.json")
        try Data("""
        Pnr;Namn;Insats;Startdatum;Slutdatum
        192001011564;Astrid Nilsson;vård- och omsorgsboende;2025-10-01;
        192002209209;Gösta Berg;hemtjänst;2026-11-40;
        """.utf8).write(to: csv)

        let dry = try bevaka(["import", csv.path, "--dry-run", "--ej-verkstallda", "--store", store.path, "--today", "2026-11-22"])
        #expect(dry.stdout.contains("Provkörning"))
        #expect(!FileManager.default.fileExists(atPath: store.path))

        let first = try bevaka(["--store", store.path, "--today", "2026-11-22", "import", csv.path, "--ej-verkstallda"])
        #expect(first.status == 3)  // a row was rejected
        #expect(first.stdout.contains("rad 3, kolumnen Startdatum: \"2026-11-40\""))  // named as the file names it
        #expect(first.stdout.contains("Nya personer: 1"))
        let saved = try Data(contentsOf: store)
        let second = try bevaka(["--store", store.path, "--today", "2026-11-22", "import", csv.path, "--ej-verkstallda"])
        #expect(second.stdout.contains("Inget nytt att spara"))
        #expect(try Data(contentsOf: store) == saved)

        let agenda = try bevaka(["agenda", "--store", store.path, "--today", "2026-11-22", "--days", "365"])
        #expect(agenda.status == 0)
        #expect(agenda.stdout.contains("Astrid Nilsson"))
        #expect(agenda.stdout.contains("Årlig uppföljning"))
    }

    @Test func demoNeverTouchesAStore() throws {
        let run = try bevaka(["--demo", "import", "/nonexistent.csv"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--demo"))
    }

    @Test func demoWritesAPracticeStoreOnceAndNeverOverwrites() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("ova.json").path
        let first = try bevaka(["demo", "--store", store, "--today", "2026-11-22"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("33 påhittade personer"))
        let agenda = try bevaka(["agenda", "--store", store, "--today", "2026-11-22"])
        #expect(agenda.stdout.contains("19220329-****"))
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let again = try bevaka(["demo", "--store", store, "--today", "2026-11-22"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("skrivs inte över"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }

    @Test func exportsAndTheReportThroughTheBinary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Calendar to a file: private, CRLF, stable between runs.
        let ics = folder.appendingPathComponent("bevaka.ics").path
        let first = try bevaka(["export", "ics", "--demo", "--today", "2026-11-22", "--output", ics])
        #expect(first.status == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: ics))
        #expect(try FileManager.default.attributesOfItem(atPath: ics)[.posixPermissions] as? Int == 0o600)
        _ = try bevaka(["export", "ics", "--demo", "--today", "2026-11-22", "--output", ics])
        #expect(try Data(contentsOf: URL(fileURLWithPath: ics)) == a)
        #expect(String(decoding: a, as: UTF8.self).contains("\r\nEND:VCALENDAR\r\n"))
        let bad = try bevaka(["export", "ics", "--demo", "--from", "2026-02-30"])
        #expect(bad.status != 0 && bad.stderr.contains("--from \"2026-02-30\" är inget datum"))

        // CSV → import into an empty store → the same agenda.
        let csv = folder.appendingPathComponent("lista.csv").path
        #expect(try bevaka(["export", "csv", "--demo", "--today", "2026-11-22", "--output", csv]).status == 0)
        let store = folder.appendingPathComponent("ny.json").path
        let imported = try bevaka(["import", csv, "--store", store, "--today", "2026-11-22"])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let demoAgenda = try bevaka(["agenda", "--demo", "--today", "2026-11-22", "--days", "400"]).stdout
        let importedAgenda = try bevaka(["agenda", "--store", store, "--today", "2026-11-22", "--days", "400"]).stdout
        // The demo's one manual bevakning is not part of the CSV format; everything else is the same.
        func withoutManual(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.contains("Egen bevakning") && !$0.contains("försenade") && !$0.contains("bevakningar") }
        }
        #expect(withoutManual(importedAgenda) == withoutManual(demoAgenda))
        let json = try bevaka(["export", "json", "--store", store])
        #expect(json.stdout.hasPrefix("{"))
        #expect(json.stdout.contains("\"schemaVersion\""))

        // The report: three formats, no personal data.
        for format in ["text", "csv", "json"] {
            let report = try bevaka(["rapport", "--demo", "--today", "2026-11-22", "--year", "2026", "--format", format])
            #expect(report.status == 0)
            #expect(!report.stdout.contains("Astrid") && !report.stdout.contains("19200101"))
        }
        let text = try bevaka(["rapport", "--demo", "--today", "2026-11-22"]).stdout
        #expect(text.contains("Uppföljningsrapport 2026"))
    }
}

/// Issue 35, item 20: after `bevaka import` the app's import prompt starts in that file's folder.
@Suite struct ImportFolderRememberedTests {
    @Test func theCommandLinesImportFolderIsTheAppsNext() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-folder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let lists = home.appendingPathComponent("Listor/2026")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true)
        let csv = lists.appendingPathComponent("lista.csv")
        try Data("personnummer;namn;insats;beslut_fran;verkstallt\n192001011564;Astrid Nilsson;hemtjänst;2026-01-10;2026-01-10\n".utf8).write(to: csv)
        let environment = ["HOME": home.path]
        let run = try bevaka(["import", csv.path, "--store", home.appendingPathComponent("store/caseload.json").path,
                              "--today", "2026-11-22"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let remembered = try String(contentsOf: home.appendingPathComponent(".local/state/bevaka/importmapp"), encoding: .utf8)
        #expect(remembered == "~/Listor/2026/\n")
    }
}

/// Issue 35, item 6: `bevaka import` does not drop a column of numbers without a word: it stops,
/// names it (and the column it resembles), saves nothing; `--las-anda` reads the rest.
@Suite struct ImportDroppedNumbersTests {
    @Test func theImportStopsAndNamesTheColumnUnlessToldToGoOn() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-dropped-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let csv = home.appendingPathComponent("lista.csv")
        try Data("personnummer;namn;insats;beslut_fran;verkstallt;Bevljad tid\n192001011564;Astrid Nilsson;hemtjänst;2026-01-10;2026-01-10;30\n".utf8).write(to: csv)
        let store = home.appendingPathComponent("store/caseload.json").path
        let stopped = try bevaka(["import", csv.path, "--store", store, "--today", "2026-11-22"], environment: ["HOME": home.path])
        #expect(stopped.status != 0 && stopped.stderr.contains("\"Bevljad tid\" har tal") && stopped.stderr.contains("Menade du beviljad_tid"),
                "\(stopped.stderr)")
        let before = (try? String(contentsOfFile: store, encoding: .utf8)) ?? ""
        #expect(!before.contains("192001011564"))
        let anyway = try bevaka(["import", csv.path, "--store", store, "--today", "2026-11-22", "--las-anda"], environment: ["HOME": home.path])
        #expect(anyway.status == 0, "\(anyway.stderr)")
        #expect(try String(contentsOfFile: store, encoding: .utf8).contains("192001011564"))
    }
}
