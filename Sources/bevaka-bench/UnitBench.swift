import BevakaDomain
import BevakaPostgres
import BevakaProcess
import BevakaStore
import BevakaUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `--enhet`: a unit under load (issue 37). A private primary and a synchronous streaming standby,
/// one unit database with `people` people among `sessions` handläggare (every second one covering
/// the next, so half the sessions see a colleague's changes) and a chef; then `sessions`
/// processes, each one handläggare through the app's own store code (UnitSession.swift), saving at
/// a working pace for `seconds`, while this process times the chef's unit view, one handläggare's
/// `bevaka agenda` and `bevaka db loggkontroll`, samples the server's CPU, and — halfway — crashes
/// the primary and promotes the standby. Then it checks every acknowledged save against the
/// database and prints the figures against issue 37's targets.
struct UnitBench {
    var people: Int
    var sessions: Int
    var seconds: Int
    var failover: Bool
    var binary: String
    /// `--behall-servern`: the servers are left running at the end (their folders printed), so
    /// that `--enhetsvy` can time the manager's view again without building the unit anew.
    var keepServers = false

    /// The real date in Stockholm: covers and the log are the database's, kept by the real clock.
    static func realToday() -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Stockholm") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 2026, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(dayNumber: 0)
    }

    static func role(_ index: Int) -> String { String(format: "h%02d", index + 1) }
    /// A handläggare with a usual caseload (150 people: the size the earlier benches' targets are
    /// for), beside the sessions' large ones.
    static let typicalRole = "h_vanlig"
    static let typical = 150

    func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    func psql(_ folder: String, _ sql: String, database: String = "enhet") -> String? {
        superuserPSQL(folder, sql, database: database)
    }

    /// CPU seconds of the processes named `postgres` (the servers' backends), summed from
    /// /proc; sampled every second, each process's highest reading kept, so a backend that
    /// ends between samples loses less than a second.
    final class ServerCPU: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [Int32: Double] = [:]
        private var running = true
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

        func sample() {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
            var now: [Int32: Double] = [:]
            for entry in entries {
                guard let pid = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
                      stat[stat.index(after: open)..<close].hasPrefix("postgres") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
                now[pid] = (user + system) / ticks
            }
            lock.lock()
            for (pid, seconds) in now { seen[pid] = max(seen[pid] ?? 0, seconds) }
            lock.unlock()
        }

        func total() -> Double {
            lock.lock()
            defer { lock.unlock() }
            return seen.values.reduce(0, +)
        }

        func start() {
            Thread.detachNewThread { [self] in
                while true {
                    lock.lock()
                    let go = running
                    lock.unlock()
                    guard go else { return }
                    sample()
                    usleep(1_000_000)
                }
            }
        }

        func stop() {
            sample()
            lock.lock()
            running = false
            lock.unlock()
        }
    }

    func run(script: String) {
        let today = UnitBench.realToday()
        let started = Date()
        func elapsed() -> String { String(format: "%5.0f s", Date().timeIntervalSince(started)) }
        say("Enheten under last: \(people) personer, \(sessions) handläggare i arbete och en enhetschef, \(seconds) s"
            + (failover ? ", med serverbyte halvvägs." : "."))
        // Two connections a session (its own and its listener's), the chef's, the bench's and psql.
        let connections = "PG_MAX_CONNECTIONS=\(max(60, sessions * 2 + 40))"
        let primaryStart = capture([connections, script, "start"])
        guard primaryStart.status == 0, let primaryURL = primaryStart.output.split(separator: "\n").last,
              let hostRange = primaryURL.range(of: "host=") else {
            say("Ingen privat PostgreSQL-server kunde startas (apt-get install -y postgresql).")
            return
        }
        let primary = String(primaryURL[hostRange.upperBound...])
        var folders = [primary]
        defer {
            if keepServers {
                say("Servrarna körs kvar: \(folders.joined(separator: ", ")) (stoppa med \(script) stop MAPP); "
                    + "enhetschefens vy igen: bevaka-bench --enhetsvy 'postgresql://chef@/enhet?host=\(folders.last ?? primary)'")
            } else {
                for folder in folders { _ = capture([script, "stop", folder]) }
            }
        }
        guard psql(primary, "CREATE DATABASE enhet", database: "bevaka") != nil else {
            say("Databasen kunde inte skapas.")
            return
        }
        var standby: String?
        var hosts = primary
        if failover {
            // The standby is made after the database, so it has it; then the primary waits for the
            // standby's flush at every commit (synchronous_standby_names), as a unit's pair must be
            // set up for an acknowledged save to survive the primary's loss.
            let made = capture([connections, script, "start-standby", primary])
            guard made.status == 0, let url = made.output.split(separator: "\n").last, let range = url.range(of: "host=") else {
                say("Standby-servern kunde inte startas; körningen görs utan serverbyte.")
                return
            }
            let folder = String(url[range.upperBound...])
            folders.append(folder)
            standby = folder
            hosts = primary + "," + folder
            _ = psql(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'", database: "bevaka")
            _ = psql(primary, "SELECT pg_reload_conf()", database: "bevaka")
        }
        func address(_ role: String) -> String {
            "postgresql://\(role)@/enhet?host=\(hosts)" + (failover ? "&target_session_attrs=read-write" : "")
        }

        // The unit: staff, everyone's caseload through the import, covers.
        let seedStart = Date()
        do {
            let admin = PostgresStore(try PostgresLocation("postgresql://postgres@/enhet?host=\(primary)", environment: [:]))
            _ = try admin.initialise()
            try admin.prepareForWriting()
            _ = try admin.addUser("chef", kind: .chef, name: "Enhetschefen")
            // The unit's people: `typical` of them are one more handläggare's, a usual caseload
            // (not at work in the run; their agenda is timed), the rest split among the sessions.
            let everyone = DemoCaseload.large(people, today: today).clients
            _ = try admin.addUser(UnitBench.typicalRole, kind: .handlaggare, name: "Handläggare med vanlig ärendemängd")
            _ = try admin.importCaseload(Caseload(clients: Array(everyone.suffix(UnitBench.typical))), owner: UnitBench.typicalRole)
            let working = everyone.dropLast(UnitBench.typical)
            let share = (working.count + sessions - 1) / sessions
            for index in 0..<sessions {
                let role = UnitBench.role(index)
                _ = try admin.addUser(role, kind: .handlaggare, name: "Handläggare \(index + 1)")
                _ = try admin.importCaseload(Caseload(clients: Array(working.dropFirst(index * share).prefix(share))), owner: role)
            }
            for index in stride(from: 0, to: sessions - 1, by: 2) {
                try admin.grantCover(covered: UnitBench.role(index + 1), covering: UnitBench.role(index), until: today.adding(days: 30))
            }
            admin.shutDown()
        } catch let error as StoreError {
            say("Enheten kunde inte byggas: \(error.message)")
            return
        } catch {
            say("Enheten kunde inte byggas: \(error)")
            return
        }
        _ = psql(primary, "VACUUM ANALYZE")
        let logBefore = Int(psql(primary, "SELECT count(*) FROM bevaka_access_log") ?? "") ?? 0
        let lastBefore = psql(primary, "SELECT coalesce(max(id), 0) FROM bevaka_access_log") ?? "0"
        let requestsBefore = Int(psql(primary, "SELECT count(*) FROM bevaka_requests") ?? "") ?? 0
        say("\(elapsed())  enheten byggd på \(String(format: "%.0f", Date().timeIntervalSince(seedStart))) s"
            + " (\(people) personer, \(logBefore) loggrader)")

        // What a session process weighs before it reads anything (a store it cannot reach).
        var baseline = 0.0
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-enhet-\(getpid())-tom.json")
        let helperPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        _ = ChildProcess.capture(helperPath, ["--enhet-session", "postgresql://ingen@/ingen?host=/saknas", "ingen", "1", "1", probe.path])
        if let data = try? Data(contentsOf: probe), let report = try? JSONDecoder().decode(SessionReport.self, from: data) {
            baseline = report.peakMB
        }
        try? FileManager.default.removeItem(at: probe)

        // The sessions.
        let cpu = ServerCPU()
        cpu.start()
        let helper = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let reports = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-enhet-\(getpid())")
        try? FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: reports) }
        let runStart = monotonicNanoseconds()
        let end = runStart + UInt64(seconds) * 1_000_000_000
        let group = DispatchGroup()
        for index in 0..<sessions {
            let role = UnitBench.role(index)
            let out = reports.appendingPathComponent(role + ".json").path
            let arguments = ["--enhet-session", address(role), role, String(end), String(0xB0A + index), out]
            group.enter()
            Thread.detachNewThread {
                _ = ChildProcess.capture(helper, arguments, mergeErrors: true, timeLimit: Double(self.seconds + 120))
                group.leave()
            }
        }
        say("\(elapsed())  \(sessions) sessioner startade")
        func runSeconds() -> Double { Double(monotonicNanoseconds() - runStart) / 1e9 }
        func waitUntil(_ second: Double) {
            let remaining = second - runSeconds()
            if remaining > 0 { usleep(UInt32(remaining * 1_000_000)) }
        }

        // While they work: the chef's view, one handläggare's agenda, the loggkontroll.
        var chefViews: [Double] = [], chefParts: [String] = [], chefPeople = 0, agendas: [Double] = [], agendaPeak = 0.0, typicalAgendas: [[Double]] = [], typicalPeak = 0.0, reviews: [Double] = []
        var reviewLine = ""
        func measureChefAndOthers() {
            do {
                let view = try timeChefView(address("chef"), today: today)
                chefViews.append(view.total)
                chefParts.append(view.parts)
                chefPeople = view.people
            } catch {
                say("  enhetschefens vy: \((error as? StoreError)?.message ?? "\(error)")")
            }
            let agenda = spawnTimed(binary, ["agenda", "--store", address("h03"), "--days", "30"])
            if agenda.status == 0 {
                agendas.append(agenda.ms)
                agendaPeak = max(agendaPeak, agenda.peakMB)
            }
            // The usual agenda seven times in a row: one process's run under this load swings by
            // half (the median is the figure; the slowest is printed beside it).
            var usualRuns: [Double] = []
            for _ in 0..<7 {
                let usual = spawnTimed(binary, ["agenda", "--store", address(UnitBench.typicalRole), "--days", "30"])
                if usual.status == 0 {
                    usualRuns.append(usual.ms)
                    typicalPeak = max(typicalPeak, usual.peakMB)
                }
            }
            if !usualRuns.isEmpty { typicalAgendas.append(usualRuns) }
            // The month under review is this one, read as if it were over (--today: the first of
            // the next month); only the log's reading is timed.
            let next = Day(year: today.year, month: today.month, day: 1)?.adding(months: 1) ?? today
            let period = String(today.description.prefix(7))
            let review = spawnTimed(binary, ["db", "loggkontroll", "--store", address("chef"), "--today", next.description,
                                             "--period", period])
            if review.status == 0 { reviews.append(review.ms) }
            if reviewLine.isEmpty {
                let shown = capture([binary, "db", "loggkontroll", "--store", address("chef"), "--today", next.description,
                                     "--period", period])
                reviewLine = shown.output.split(separator: "\n").first.map(String.init) ?? "(\(shown.status))"
            }
        }
        let half = Double(seconds) / 2
        waitUntil(min(20, half / 2))
        measureChefAndOthers()
        say("\(elapsed())  enhetschefens vy, en handläggares agenda och loggkontrollen mätta under lasten")
        var failedOverAt: Double?
        if failover, let standby {
            waitUntil(half)
            // Everything written so far is on the standby (synchronous commit); the primary goes.
            _ = capture([script, "crash", primary])
            _ = capture([script, "promote", standby])
            failedOverAt = runSeconds()
            say("\(elapsed())  primären stoppad, standby befordrad (\(String(format: "%.1f", failedOverAt ?? 0)) s in i körningen)")
        }
        let current = standby ?? primary
        waitUntil(half + min(20, half / 2))
        measureChefAndOthers()
        say("\(elapsed())  mätt igen" + (failover ? " på den nya primären" : ""))
        group.wait()
        cpu.stop()
        let runMinutes = runSeconds() / 60

        // What the sessions said, and the database's own answer.
        var all: [SessionReport] = []
        for index in 0..<sessions {
            let url = reports.appendingPathComponent(UnitBench.role(index) + ".json")
            if let data = try? Data(contentsOf: url), let report = try? JSONDecoder().decode(SessionReport.self, from: data) {
                all.append(report)
            } else {
                say("  \(UnitBench.role(index)): ingen rapport")
            }
        }
        for report in all where report.error != nil { say("  \(report.role): \(report.error ?? "")") }
        var lost = 0, checked = 0
        let acknowledged = all.flatMap { $0.acknowledged }
        for chunk in stride(from: 0, to: acknowledged.count, by: 500) {
            let part = acknowledged[chunk..<min(acknowledged.count, chunk + 500)]
            let ids = part.map { "'\($0.key)'" }.joined(separator: ",")
            let rows = psql(current, "SELECT id || chr(9) || coalesce(doc->>'notes', '') FROM bevaka_clients WHERE id IN (\(ids))") ?? ""
            var stored: [String: String] = [:]
            for line in rows.split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
                if fields.count == 2 { stored[fields[0]] = fields[1] }
            }
            for (id, text) in part {
                checked += 1
                if stored[id] != text { lost += 1 }
            }
        }
        let logAfter = Int(psql(current, "SELECT count(*) FROM bevaka_access_log") ?? "") ?? 0
        let requestsAfter = Int(psql(current, "SELECT count(*) FROM bevaka_requests") ?? "") ?? 0
        let logBytes = Double(psql(current, "SELECT pg_total_relation_size('bevaka_access_log')") ?? "") ?? 0
        let byAction = psql(current, """
            SELECT string_agg(action || ' ' || n, ', ' ORDER BY n DESC) FROM
              (SELECT action, count(*) AS n FROM bevaka_access_log WHERE id > \(lastBefore)
               GROUP BY action) a
            """) ?? ""

        let saves = all.flatMap(\.saves), visible = all.flatMap(\.visible)
        let fetches = all.reduce(0) { $0 + $1.fetches }
        let reads = fetches + all.count + chefViews.count + agendas.count + reviews.count
        let logRows = logAfter - logBefore
        func f(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
        func mark(_ ok: Bool) -> String { ok ? "uppfyllt" : "INTE uppfyllt" }
        say("")
        say("Resultat (\(all.count) sessioner, \(f(runMinutes)) min, \(people) personer):")
        say("  sparande            \(saves.count) kvitterade: p50 \(f(percentile(saves, 50))) ms, p95 \(f(percentile(saves, 95))) ms, "
            + "p99 \(f(percentile(saves, 99))) ms  (mål p99 ≤ 50 ms: \(mark(percentile(saves, 99) <= 50)))")
        say("  kollegas ändring    \(visible.count) sedda: p50 \(f(percentile(visible, 50))) ms, p95 \(f(percentile(visible, 95))) ms, "
            + "p99 \(f(percentile(visible, 99))) ms  (mål p99 ≤ 1 000 ms: \(mark(percentile(visible, 99) <= 1000)))")
        let starts = all.map(\.startMs)
        say("  en handläggares start (ansluta, läsa \(all.first?.own ?? 0)–\(all.map(\.people).max() ?? 0) ärenden): "
            + "median \(f(starts.isEmpty ? .nan : median(starts))) ms, längst \(f(starts.max() ?? .nan)) ms")
        let typicalMedians = typicalAgendas.map(median)
        say("  en handläggares agenda (bevaka agenda, \(UnitBench.typical) ärenden, 7 körningar per mätning): median "
            + typicalMedians.map { f($0) + " ms" }.joined(separator: ", ") + ", långsammast "
            + typicalAgendas.map { f($0.max() ?? .nan) + " ms" }.joined(separator: ", ")
            + ", högst \(f(typicalPeak)) MB  (mål ≤ 50 ms: \(mark(!typicalMedians.isEmpty && typicalMedians.allSatisfy { $0 <= 50 })))")
        say("  en sessions agenda (bevaka agenda, h03, \(all.first { $0.role == "h03" }?.people ?? 0) ärenden med täckningen): "
            + agendas.map { f($0) + " ms" }.joined(separator: ", ") + ", högst \(f(agendaPeak)) MB")
        say("  enhetschefens vy    \(chefPeople) personer: " + chefViews.map { f($0) + " ms" }.joined(separator: ", ")
            + "  (mål ≤ 1 500 ms: \(mark((chefViews.max() ?? .infinity) <= 1500)))")
        say("                      " + chefParts.joined(separator: "; "))
        say("  db loggkontroll     " + reviews.map { f($0) + " ms" }.joined(separator: ", ") + "  — " + reviewLine)
        say("  minne per session   (programmet självt utan ärenden: \(f(baseline)) MB) högst \(f(all.map(\.peakMB).max() ?? 0)) MB, median \(f(all.isEmpty ? .nan : median(all.map(\.peakMB)))) MB"
            + "  (mål ≤ 60 MB: \(mark((all.map(\.peakMB).max() ?? .infinity) <= 60)))")
        say("  serverns CPU        \(f(cpu.total())) s på \(f(runMinutes * 60, 0)) s (\(f(cpu.total() / (runMinutes * 60) * 100, 0)) % av en kärna)")
        say("  förlorade sparanden \(lost) av \(checked) kvitterade personer  (mål 0: \(mark(lost == 0)))")
        let refused = all.reduce(into: [String: Int]()) { sum, report in for (k, v) in report.failures { sum[k, default: 0] += v } }
        say("  sammanförda (äkta konflikter) \(all.reduce(0) { $0 + $1.merged }), osäkra vid COMMIT \(all.reduce(0) { $0 + $1.inDoubt }), "
            + "ej sparade vid slutet \(all.reduce(0) { $0 + $1.unsettled })")
        if !refused.isEmpty {
            say("  misslyckade försök  " + refused.sorted { $0.value > $1.value }.map { "\($0.value) × \($0.key)" }.joined(separator: "; "))
        }
        if failedOverAt != nil {
            let gaps = all.map { $0.gaps.max() ?? 0 }
            say("  serverbytet         uppehåll per session: median \(f(median(gaps) / 1000)) s, längst \(f((gaps.max() ?? 0) / 1000)) s"
                + "  (mål ≤ 10 s: \(mark((gaps.max() ?? .infinity) <= 10_000)))")
            say("                      " + all.map { "\($0.role) \(f(($0.gaps.max() ?? 0) / 1000))" }.joined(separator: "  "))
        }
        say("  åtkomstloggen       \(logRows) rader (\(f(Double(logRows) / runMinutes, 0))/min), \(requestsAfter - requestsBefore) läsbegäran, "
            + "\(reads) läsningar: \(f(Double(logRows) / Double(max(1, reads)), 2)) loggrader per läsning")
        say("                      " + byAction)
        let perRow = logAfter > 0 ? logBytes / Double(logAfter) : 0
        let fiveYears = Double(logRows) / runMinutes * 60 * 8 * 250 * 5
        say("  fem år i den takten (8 h × 250 dagar): \(f(fiveYears / 1e6)) miljoner rader, ~\(f(fiveYears * perRow / 1e9)) GB "
            + "(\(f(perRow, 0)) byte per rad med index)")
    }
}

/// As the app starts for the chef: connect, read the planning, build the state, then `5` and the
/// frame; the whole and the parts.
func timeChefView(_ url: String, today: Day) throws -> (total: Double, parts: String, people: Int) {
    let began = monotonicNanoseconds()
    let store = PostgresStore(try PostgresLocation(url, environment: [:]))
    try store.prepareForWriting()
    let caseload = try store.load() ?? Caseload()
    let read = monotonicNanoseconds()
    var ready = AppState(caseload: caseload, today: today, unit: store.unitContext())
    let built = monotonicNanoseconds()
    _ = reduce(&ready, .key(.character("5")))
    _ = render(ready)
    let shown = monotonicNanoseconds()
    store.shutDown()
    return (Double(shown - began) / 1e6,
            String(format: "läsa %.0f + tillstånd %.0f + vyn %.0f ms", Double(read - began) / 1e6,
                   Double(built - read) / 1e6, Double(shown - built) / 1e6),
            caseload.clients.count)
}

/// `--enhetsvy URL`: the manager's view of a unit that is already there, `runs` times.
func timeUnitView(_ url: String, runs: Int, today: Day) {
    for _ in 0..<runs {
        do {
            let view = try timeChefView(url, today: today)
            print(String(format: "enhetschefens vy, %d personer: %.0f ms (", view.people, view.total) + view.parts + ")")
        } catch {
            print("enhetschefens vy: \((error as? StoreError)?.message ?? "\(error)")")
            return
        }
    }
}

/// psql as the superuser on the server in `folder`; the output trimmed, nil on failure.
func superuserPSQL(_ folder: String, _ sql: String, database: String = "enhet") -> String? {
    // Errors only on the server's side (no notices), so standard error can go with the output
    // and a failure says what failed.
    let run = ChildProcess.capture("/usr/bin/env", ["PGOPTIONS=-c client_min_messages=error", "psql", "-X", "-q", "-At",
                                                   "-v", "ON_ERROR_STOP=1", "-h", folder, "-U", "postgres", "-d", database,
                                                   "-c", sql], mergeErrors: true)
    guard run.status == 0 else {
        print("  psql: " + run.output.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
        return nil
    }
    return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
}
