// bevaka-bench: `swift run -c release bevaka-bench [--sizes 100,1000,10000] [--runs 5] [--keep]`
//
// Generates stores of N clients (about three decisions each, a follow-up history and some
// reminders), then prints for each: file size, load, rule evaluation, save (in this process),
// and `bevaka agenda` end to end as a separate process with its peak memory. Times are the
// median of the runs. Targets (issue 2): 1,000 clients agenda ≤ 100 ms and save ≤ 50 ms;
// 10,000 clients agenda ≤ 1 s.
import BevakaDomain
import BevakaStore
import BevakaUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let today = Day(year: 2026, month: 11, day: 22) ?? Day(dayNumber: 0)

func argument(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

let sizes = (argument("--sizes") ?? "100,1000,10000").split(separator: ",").compactMap { Int($0) }
let runs = max(1, Int(argument("--runs") ?? "5") ?? 5)

/// A caseload of `count` clients built from the demo's people and services, spread over time.
func generate(_ count: Int) -> Caseload {
    DemoCaseload.large(count, today: today)
}

func milliseconds(_ block: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try block()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func peakSelfMB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Runs a process to its end: wall time in ms and its own peak resident memory in MB.
///
/// The peak is the kernel's high-water mark of the program's own memory (`VmHWM` in
/// /proc/PID/status), read until the process ends. Not `ru_maxrss` from wait4: posix_spawn
/// starts the child in the parent's memory (vfork), and Linux counts the parent's resident size
/// in the child's ru_maxrss, so that figure was the bench's own size, not the program's.
func spawnTimed(_ path: String, _ arguments: [String]) -> (ms: Double, peakMB: Double, status: Int32) {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    var peakKB = 0
    let statusFile = "/proc/\(pid)/status"
    while true {
        let done = waitpid(pid, &status, WNOHANG)
        if done == pid || (done < 0 && errno != EINTR) { break }
        if let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
            peakKB = max(peakKB, kb)
        }
        usleep(200)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    posix_spawn_file_actions_destroy(&actions)
    return (elapsed, Double(peakKB) / 1024, (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128)
}

let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("bevaka").path
guard FileManager.default.isExecutableFile(atPath: binary) else {
    print("Hittar inte \(binary); bygg först med: swift build -c release")
    exit(1)
}
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-bench-\(getpid())")
let keep = CommandLine.arguments.contains("--keep")
defer {
    if keep { print("Filerna finns kvar i \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) }
}

print("bevaka-bench: \(runs) körningar per mått, median; agenda = hela processen `bevaka agenda`")
print("clients  decisions  file KB  load ms  rules ms  save ms  agenda ms  agenda peak MB  bench peak MB")
for size in sizes {
    let caseload = generate(size)
    let url = folder.appendingPathComponent("\(size)/caseload.json")
    let store = FileStore(url: url)
    _ = try store.load()
    try store.save(caseload)
    let fileKB = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0) / 1024

    var loads: [Double] = [], rules: [Double] = [], saves: [Double] = [], agendas: [Double] = []
    var agendaPeak = 0.0
    for _ in 0..<runs {
        var loaded = Caseload()
        loads.append(try milliseconds { loaded = try FileStore(url: url).load() ?? Caseload() })
        var count = 0
        rules.append(milliseconds {
            count = Agenda.entries(caseload: loaded, routines: .standard, today: today, days: 30).count
        })
        precondition(count > 0, "the generated caseload has nothing due")
        saves.append(try milliseconds { try store.save(loaded) })
        let run = spawnTimed(binary, ["agenda", "--store", url.path, "--today", today.description])
        precondition(run.status == 0, "bevaka agenda failed")
        agendas.append(run.ms)
        agendaPeak = max(agendaPeak, run.peakMB)
    }
    let decisions = caseload.clients.reduce(0) { $0 + $1.decisions.count }
    func f(_ value: Double, _ width: Int) -> String {
        let text = String(format: "%.1f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
    print(String(repeating: " ", count: max(0, 7 - String(size).count)) + "\(size)"
        + String(repeating: " ", count: max(0, 11 - String(decisions).count)) + "\(decisions)"
        + f(fileKB, 9) + f(median(loads), 9) + f(median(rules), 10) + f(median(saves), 9)
        + f(median(agendas), 11) + f(agendaPeak, 16) + f(peakSelfMB(), 15))
}


// The terminal app at each size: building the state (all rules), drawing each screen, and a key
// press (reduce + render) on each, as the main loop does. Issue 3: no visible pause at 10,000.
print("")
print("clients  start ms  render ms (översikt/årshjul/bevakningar/ärenden)  key ms (↓ årshjul / d bevakningar / ↓ ärenden)")
for size in sizes {
    let caseload = generate(size)
    var state = AppState(caseload: caseload, today: today)
    let start = median((0..<runs).map { _ in milliseconds { state = AppState(caseload: caseload, today: today) } })
    var renders: [Double] = []
    for key in ["1", "2", "3", "4"] {
        _ = reduce(&state, .key(.character(Character(key))))
        renders.append(median((0..<runs).map { _ in milliseconds { _ = render(state) } }))
    }
    func keyTime(_ screen: String, _ key: Key) -> Double {
        var copy = state
        _ = reduce(&copy, .key(.character(Character(screen))))
        return median((0..<runs).map { _ in milliseconds { _ = reduce(&copy, .key(key)); _ = render(copy) } })
    }
    let keys = [keyTime("2", .down), keyTime("3", .character("d")), keyTime("4", .down)]
    print(String(repeating: " ", count: max(0, 7 - String(size).count)) + "\(size)"
        + String(format: "%10.1f   %8.1f %8.1f %8.1f %8.1f             %8.1f %8.1f %8.1f",
                 start, renders[0], renders[1], renders[2], renders[3], keys[0], keys[1], keys[2]))
}

// The follow-up at each size (issue 4): every keystroke in the checklist changes the caseload and
// is saved, so a key is reduce + render + encode/save of the whole store (the save runs on the
// background saver in the app; here it is timed apart).
print("")
print("clients  key ms (Mellanslag / ↓ / tecken i anteckning)  save ms (efter en bock)")
for size in sizes {
    let caseload = generate(size)
    var state = AppState(caseload: caseload, today: today)
    let id = caseload.clients[caseload.clients.count / 2].id
    state.openCase(id)
    for key in [Key.character("F"), .enter, .enter] { _ = reduce(&state, .key(key)) }
    precondition(state.screen == .checklist, "the follow-up did not start")
    func keyTime(_ keys: [Key]) -> Double {
        median((0..<runs).map { _ in
            milliseconds {
                for key in keys { _ = reduce(&state, .key(key)) }
                _ = render(state)
            } / Double(keys.count)
        })
    }
    let space = keyTime([.character(" "), .up])
    let down = keyTime([.down, .up])
    _ = reduce(&state, .key(.enter))
    let typing = keyTime([.character("å")])
    _ = reduce(&state, .key(.escape))
    let url = folder.appendingPathComponent("follow-\(size)/caseload.json")
    let store = FileStore(url: url)
    _ = try store.load()
    let save = median(try (0..<runs).map { _ in try milliseconds { try store.save(state.caseload) } })
    print(String(repeating: " ", count: max(0, 7 - String(size).count)) + "\(size)"
        + String(format: "%12.1f %8.1f %8.1f %30.1f", space, down, typing, save))
}

// The shared store (issue 10), on a private PostgreSQL server the bench starts and removes
// (scripts/dev-postgres): a unit's 10,000 people, and one handläggare's own 150.
if !CommandLine.arguments.contains("--no-postgres") {
    benchPostgres()
}
