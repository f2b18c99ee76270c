// `bevaka-bench --vs-taskwarrior`: Bevaka side by side with taskwarrior (Debian's `taskwarrior`
// package), the terminal tool people reach for to keep dated tasks. For each size it writes
// Bevaka's generated store and an equal task database: one pending task per decision, due on the
// date Bevaka's rules give that decision (its first open bevakning), shifted so that the same
// share is overdue on the real today as on the bench's --today. Both run as whole processes,
// alternately, in a scratch TASKDATA/TASKRC; medians and ratios are printed.
import BevakaDomain
import BevakaProcess
import BevakaStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `task` on PATH, or nil.
func findTaskwarrior() -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(folder)/task"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Days since 1970-01-01 of the machine's date (the bench only: taskwarrior reads the real clock).
func realToday() -> Day {
    Day(dayNumber: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
}

/// The equal task database: one `pending.data` line (taskwarrior 2.x's file format) per decision.
func taskDatabase(for caseload: Caseload, today: Day, shiftDays: Int) -> String {
    let entry = (today.dayNumber + shiftDays - 400) * 86_400
    var lines = ""
    lines.reserveCapacity(caseload.clients.count * 3 * 200)
    var serial = 0
    for client in caseload.clients {
        let items = RuleEngine.items(for: client, routines: .standard, today: today).filter { !$0.isDone }
        for decision in client.decisions {
            serial += 1
            // The decision's own first open item, else the person's (yearly follow-up), else a year on.
            let due = items.filter { $0.decisionID == decision.id }.map(\.due).min()
                ?? items.filter { $0.decisionID == nil }.map(\.due).min()
                ?? decision.validFrom.adding(days: 365)
            let seconds = (due.dayNumber + shiftDays) * 86_400 + 12 * 3600
            let uuid = String(format: "%08x-%04x-4%03x-8%03x-%012x", serial, serial & 0xffff, serial & 0xfff, (serial >> 12) & 0xfff, serial)
            let text = "\(client.name): uppföljning \(decision.service)".replacingOccurrences(of: "\"", with: "'")
            lines += "[description:\"\(text)\" due:\"\(seconds)\" entry:\"\(entry)\" modified:\"\(entry)\" "
                + "project:\"\(decision.law.rawValue)\" status:\"pending\" uuid:\"\(uuid)\"]\n"
        }
    }
    return lines
}

@MainActor
func compareWithTaskwarrior(binary: String, sizes: [Int], runs: Int, folder: URL) throws {
    guard let task = findTaskwarrior() else {
        print("taskwarrior saknas: installera det med apt-get install -y taskwarrior")
        exit(1)
    }
    let version = ChildProcess.capture(task, ["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let shift = realToday().dayNumber - today.dayNumber
    print("bevaka-bench --vs-taskwarrior: taskwarrior \(version), \(runs) körningar per mått (växelvis), median")
    print("bevaka: \(binary)")
    print("clients  decisions  store MB  tasks MB   agenda ms  overdue ms   next ms  --version ms  task --version ms"
        + "   agenda/overdue  agenda/next   agenda peak MB  peak/store  task peak MB"
        + "   agenda via ArgumentParser ms  snabb/ArgumentParser")
    for size in sizes {
        let caseload = generate(size)
        let dir = folder.appendingPathComponent("tw-\(size)")
        let data = dir.appendingPathComponent("task")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let storeURL = dir.appendingPathComponent("caseload.json")
        let store = FileStore(url: storeURL)
        _ = try store.load()
        try store.save(caseload)
        try taskDatabase(for: caseload, today: today, shiftDays: shift)
            .write(to: data.appendingPathComponent("pending.data"), atomically: true, encoding: .utf8)
        for empty in ["completed.data", "undo.data", "backlog.data"] {
            _ = FileManager.default.createFile(atPath: data.appendingPathComponent(empty).path, contents: Data())
        }
        // gc off: a run must not rewrite the database the next run reads (there is nothing to
        // collect: every task is pending). news.version: no "what's new" notice on each run.
        let rc = dir.appendingPathComponent("taskrc")
        try "data.location=\(data.path)\nconfirmation=off\ngc=off\ncolor=off\nhooks=off\nnews.version=\(version)\n"
            .write(to: rc, atomically: true, encoding: .utf8)
        setenv("TASKRC", rc.path, 1)
        setenv("TASKDATA", data.path, 1)

        let commands: [(String, [String])] = [
            (binary, ["agenda", "--store", storeURL.path, "--today", today.description]),
            (task, ["overdue"]),
            (task, ["next"]),
            (binary, ["--version"]),
            (task, ["--version"]),
            // The same agenda with its options read by ArgumentParser: the fast reading
            // (AgendaCommand.fastArguments) declines a line with `--` (issue 36, item 8: it stays
            // only while this shows it is needed for the start-up target).
            (binary, ["agenda", "--store", storeURL.path, "--today", today.description, "--"]),
        ]
        for (path, arguments) in commands {
            let warm = spawnTimed(path, arguments)
            guard warm.status == 0 else {
                print("\(path) \(arguments.joined(separator: " ")) misslyckades (\(warm.status))")
                exit(1)
            }
        }
        var times = [[Double]](repeating: [], count: commands.count)
        var peaks = [Double](repeating: 0, count: commands.count)
        for run in 0..<runs {
            // Alternate the order so that neither side always runs on a cache the other warmed.
            let order = run % 2 == 0 ? Array(commands.indices) : Array(commands.indices.reversed())
            for index in order {
                let result = spawnTimed(commands[index].0, commands[index].1)
                times[index].append(result.ms)
                peaks[index] = max(peaks[index], result.peakMB)
            }
        }
        let medians = times.map(median)
        let storeMB = Double(fileSize(storeURL.path)) / 1_048_576
        let tasksMB = Double(fileSize(data.appendingPathComponent("pending.data").path)) / 1_048_576
        let decisions = caseload.clients.reduce(0) { $0 + $1.decisions.count }
        print(pad(size, 7) + pad(decisions, 11) + fixed(storeMB, 10, 2) + fixed(tasksMB, 10, 2)
            + fixed(medians[0], 12) + fixed(medians[1], 12) + fixed(medians[2], 10) + fixed(medians[3], 14)
            + fixed(medians[4], 19)
            + fixed(medians[0] / medians[1], 17, 2) + fixed(medians[0] / medians[2], 13, 2)
            + fixed(peaks[0], 17) + fixed(peaks[0] / max(storeMB, 0.001), 12, 2) + fixed(peaks[1], 14)
            + fixed(medians[5], 31) + fixed(medians[0] / medians[5], 22, 2))
        if !CommandLine.arguments.contains("--keep") { try? FileManager.default.removeItem(at: dir) }
    }
    print("")
    print("Mål (issue 37): agenda/next ≤ 0.8 och --version ≤ 1.0 × task --version vid 100 personer;"
        + " agenda/overdue ≤ 0.25 vid 10 000; toppminne ≤ 3 × filens storlek.")
}

func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

func fixed(_ value: Double, _ width: Int, _ decimals: Int = 1) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}
