// bevaka-bench: `swift run -c release bevaka-bench [--sizes 100,1000,10000] [--runs 5] [--keep]`
//
// Generates stores of N clients (about three decisions each, a follow-up history and some
// reminders), then prints for each: file size, load, rule evaluation, save (in this process),
// and `bevaka agenda` end to end as a separate process with its peak memory. Times are the
// median of the runs. Targets: 1,000 clients agenda ≤ 100 ms and save ≤ 50 ms;
// 10,000 clients agenda ≤ 1 s.
import BevakaDomain
import BevakaProcess
import BevakaStore
import BevakaUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let today = Day(year: 2026, month: 11, day: 22) ?? Day(dayNumber: 0)

let usage = """
    bevaka-bench: Bevakas prestandamätning (release-bygge rekommenderas).

    Användning: swift run -c release bevaka-bench [--sizes 100,1000,10000] [--runs 5] [--keep] [--no-postgres]
                swift run -c release bevaka-bench --vs-taskwarrior [--sizes 100,1000,10000,100000] [--runs 5]

      --sizes N,N,…   antal personer i de genererade ärendelistorna (standard 100,1000,10000)
      --runs N        körningar per mått; medianen skrivs ut (standard 5)
      --keep          behåll de genererade filerna
      --no-postgres   hoppa över mätningen på en privat PostgreSQL-server
      --xlsx          läs samma lista som Excel-fil och som CSV (`bevaka import --dry-run`),
                      tid och toppminne (standard 10 000 personer och 0, den största lista
                      importen tar emot: 100 000 rader)
      --vs-taskwarrior  jämför `bevaka agenda` med taskwarriors `task overdue` och `task next`
                      på en lika stor uppgiftsdatabas (scripts/bench-vs-taskwarrior)
      --enhet         en enhet under last på en privat PostgreSQL-server med en synkron
                      standby: --personer N (standard 100000) i en enhetsdatabas,
                      --sessioner N handläggare (standard 30) som sparar i arbetstakt i
                      --sekunder N (standard 180) medan enhetschefens vy, en handläggares
                      agenda och loggkontrollen mäts; halvvägs stoppas primären och
                      standbyn tar över (--utan-serverbyte hoppar över det;
                      --behall-servern låter servrarna vara kvar efteråt)
      --enhetsvy URL  enhetschefens vy mot en enhet som redan finns (som chefen i URL),
                      --runs gånger: läsa, tillstånd och vyn var för sig
      --loggens-vikt [N]  fem år av en enhets åtkomstlogg (30 handläggare, N rader per
                      handläggare och arbetsdag, standard 300): rader, megabyte och
                      loggkontrollens tid för förra månaden
      --profil-enhetsvy N  enhetschefens app för en enhet av N genererade personer utan
                      databas: tillståndet, tangenten 5 och ritningen var för sig
      -h, --help      visa den här texten

    Mäter inläsning, regler, sparande, `bevaka agenda` som egen process (tid och processens
    egen toppminnesanvändning), appens start och tangenttryck. Hittar bevaka bredvid sig själv
    och bygger den (swift build --product bevaka) om den saknas.
    """

// A helper mode: runs one program and reports its time and its own peak memory (see spawnTimed).
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--measure-child" {
    measureChild(Array(CommandLine.arguments.dropFirst(2)))
}
// A helper mode for --xlsx: reads a workbook into the import's records and nothing else (or,
// with "-", reads nothing), so its peak memory less the empty run's is the reader's own.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--read-xlsx" {
    readWorkbookOnly(CommandLine.arguments[2])
}
// A helper mode for --enhet: one handläggare's session (UnitSession.swift).
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--enhet-session" {
    runUnitSession(Array(CommandLine.arguments.dropFirst(2)))
}
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print(usage)
    exit(0)
}

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
/// The peak is `ru_maxrss` from `wait4`, taken in a small helper process (this program in
/// `--measure-child` mode) that starts the program and waits for it. Not from this process
/// directly: posix_spawn starts a child in the parent's memory (vfork), and Linux counts the
/// resident size of the memory the child leaves at exec in its ru_maxrss — here the bench's own
/// hundreds of MB. The helper is a few MB, so the figure is the program's own.
func spawnTimed(_ path: String, _ arguments: [String]) -> (ms: Double, peakMB: Double, status: Int32) {
    let helper = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let output = ChildProcess.capture(helper, ["--measure-child", path] + arguments, mergeErrors: false)
    guard output.status == 0 else { return (0, 0, -1) }
    let fields = output.output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    guard fields.count == 3, let ms = Double(fields[0]), let kb = Double(fields[1]), let status = Int32(fields[2]) else {
        return (0, 0, -1)
    }
    return (ms, kb / 1024, status)
}

/// `--measure-child PATH ARGS…`: spawns PATH (stdout to /dev/null), waits with wait4 and prints
/// "ms peakKB status".
func measureChild(_ command: [String]) -> Never {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = command.map { strdup($0) } + [nil]
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { exit(2) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128
    print(String(format: "%.3f %d %d", elapsed, usage.ru_maxrss, code))
    exit(0)
}

/// `bevaka` beside this program; built (same configuration) when it is missing, as on a fresh
/// clone where `swift run bevaka-bench` builds only the bench.
func findOrBuildBevaka() -> String {
    let here = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let binary = here.appendingPathComponent("bevaka").path
    if FileManager.default.isExecutableFile(atPath: binary) { return binary }
    var root = here
    while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
        root.deleteLastPathComponent()
    }
    let configuration = here.lastPathComponent == "debug" ? "debug" : "release"
    print("Bygger bevaka (\(configuration)) i \(root.path) …")
    let built = ChildProcess.capture("/usr/bin/env", ["swift", "build", "-c", configuration, "--product", "bevaka",
                                                      "--package-path", root.path])
    guard root.path != "/", built.status == 0, FileManager.default.isExecutableFile(atPath: binary) else {
        print("Hittar inte \(binary) och kunde inte bygga den; bygg först med: swift build -c release --product bevaka")
        print(built.output.suffix(2000))
        exit(1)
    }
    return binary
}

let binary = findOrBuildBevaka()
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-bench-\(getpid())")
let keep = CommandLine.arguments.contains("--keep")
defer {
    if keep { print("Filerna finns kvar i \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) }
}

if CommandLine.arguments.contains("--xlsx") {
    try compareXlsxWithCSV(binary: binary, sizes: argument("--sizes") == nil ? [10_000, 0] : sizes, runs: runs, folder: folder)
    if !keep { try? FileManager.default.removeItem(at: folder) }
    exit(0)
}

// The manager's app for a generated unit, without a database: what the unit view costs in the app.
if let count = argument("--profil-enhetsvy").flatMap({ Int($0) }) {
    let caseload = generate(count)
    var owners: [String: String] = [:]
    for (index, client) in caseload.clients.enumerated() { owners[client.id] = String(format: "h%02d", index % 30 + 1) }
    var unit = UnitContext(me: "chef", kind: .chef, names: [:], covers: [], owners: owners)
    unit.handlaggare = (1...30).map { String(format: "h%02d", $0) }
    for _ in 0..<3 {
        let a = DispatchTime.now().uptimeNanoseconds
        var state = AppState(caseload: caseload, today: today, unit: unit)
        let b = DispatchTime.now().uptimeNanoseconds
        _ = reduce(&state, .key(.character("5")))
        let c = DispatchTime.now().uptimeNanoseconds
        _ = render(state)
        let d = DispatchTime.now().uptimeNanoseconds
        print(String(format: "state %.0f ms, key 5 %.0f ms, render %.0f ms", Double(b - a) / 1e6, Double(c - b) / 1e6, Double(d - c) / 1e6))
    }
    exit(0)
}
if CommandLine.arguments.contains("--loggens-vikt") {
    let perDay = argument("--loggens-vikt").flatMap { Int($0) } ?? 300
    LogWeight(rowsPerDay: max(6, min(5_000, perDay)), binary: binary).run(script: devPostgresScript())
    exit(0)
}
if let url = argument("--enhetsvy") {
    timeUnitView(url, runs: runs, today: UnitBench.realToday())
    exit(0)
}
if CommandLine.arguments.contains("--enhet") {
    UnitBench(people: Int(argument("--personer") ?? "") ?? 100_000, sessions: max(2, min(60, Int(argument("--sessioner") ?? "") ?? 30)),
              seconds: max(20, Int(argument("--sekunder") ?? "") ?? 180),
              failover: !CommandLine.arguments.contains("--utan-serverbyte"), binary: binary,
              keepServers: CommandLine.arguments.contains("--behall-servern")).run(script: devPostgresScript())
    exit(0)
}
if CommandLine.arguments.contains("--vs-taskwarrior") {
    try compareWithTaskwarrior(binary: binary, sizes: argument("--sizes") == nil ? [100, 1000, 10_000, 100_000] : sizes,
                               runs: runs, folder: folder)
    if !keep { try? FileManager.default.removeItem(at: folder) }
    exit(0)
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
    func f(_ value: Double, _ width: Int) -> String { fixed(value, width) }
    print(String(repeating: " ", count: max(0, 7 - String(size).count)) + "\(size)"
        + String(repeating: " ", count: max(0, 11 - String(decisions).count)) + "\(decisions)"
        + f(fileKB, 9) + f(median(loads), 9) + f(median(rules), 10) + f(median(saves), 9)
        + f(median(agendas), 11) + f(agendaPeak, 16) + f(peakSelfMB(), 15))
}


// The terminal app at each size: building the state (all rules), drawing each screen, and a key
// press (reduce + render) on each, as the main loop does. Issue 3: no visible pause at 10,000.
print("")
print("clients  first frame ms  start ms  render ms (översikt/årshjul/bevakningar/ärenden)  key ms (↓ årshjul / d bevakningar / ↓ ärenden)")
for size in sizes {
    let caseload = generate(size)
    var state = AppState(caseload: caseload, today: today)
    // As the app starts: read the file, compute every rule, draw Översikt (measured: ≤ 300 ms at 10,000).
    let storeURL = folder.appendingPathComponent("\(size)/caseload.json")
    let firstFrame = try median((0..<runs).map { _ in
        try milliseconds {
            let loaded = try FileStore(url: storeURL).load() ?? Caseload()
            _ = render(AppState(caseload: loaded, today: today))
        }
    })
    let start = median((0..<runs).map { _ in milliseconds { state = AppState(caseload: caseload, today: today) } })
    var renders: [Double] = []
    for key in ["1", "2", "3", "4"] {
        _ = reduce(&state, .key(.character(Character(key))))
        renders.append(median((0..<runs).map { _ in milliseconds { _ = render(state) } }))
    }
    func keyTime(_ screen: String, _ key: Key) -> Double {
        var copy = state
        _ = reduce(&copy, .key(.character(Character(screen))))
        var times: [Double] = []
        // Timed inline: a closure capturing the state would be sent off the top level's actor.
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = reduce(&copy, .key(key))
            _ = render(copy)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        return median(times)
    }
    let keys = [keyTime("2", .down), keyTime("3", .character("d")), keyTime("4", .down)]
    print(String(repeating: " ", count: max(0, 7 - String(size).count)) + "\(size)"
        + String(format: "%16.1f %9.1f   %8.1f %8.1f %8.1f %8.1f             %8.1f %8.1f %8.1f",
                 firstFrame, start, renders[0], renders[1], renders[2], renders[3], keys[0], keys[1], keys[2]))
}

// The follow-up at each size: every keystroke in the checklist changes the caseload and
// is saved, so a key is reduce + render + encode/save of the whole store (the save runs on the
// background saver in the app; here it is timed apart).
print("")
print("clients  key ms (Mellanslag / ↓ / tecken i anteckning)  save ms (efter en bock; första sparningen med säkerhetskopia)")
for size in sizes {
    let caseload = generate(size)
    var state = AppState(caseload: caseload, today: today)
    let id = caseload.clients[caseload.clients.count / 2].id
    state.openCase(id)
    for key in [Key.character("F"), .enter, .enter] { _ = reduce(&state, .key(key)) }
    precondition(state.screen == .checklist, "the follow-up did not start")
    func keyTime(_ keys: [Key]) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            for key in keys { _ = reduce(&state, .key(key)) }
            _ = render(state)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000 / Double(keys.count))
        }
        return median(times)
    }
    let space = keyTime([.character(" "), .up])
    let down = keyTime([.down, .up])
    _ = reduce(&state, .key(.enter))
    let typing = keyTime([.character("å")])
    _ = reduce(&state, .key(.escape))
    // As the app: the store is read at start, then saved after every key that changes something.
    let url = folder.appendingPathComponent("follow-\(size)/caseload.json")
    let seed = FileStore(url: url)
    _ = try seed.load()
    try seed.save(state.caseload)
    let store = FileStore(url: url)
    // The app works on what it read (so an unchanged person is the same value as on disk).
    if let loaded = try store.load() { state.caseload = loaded }
    var saves: [Double] = []
    var first = 0.0
    for run in 0...max(3, runs) {
        _ = reduce(&state, .key(.character(" ")))
        let time = try milliseconds { try store.save(state.caseload) }
        if run == 0 { first = time } else { saves.append(time) }
    }
    print(String(repeating: " ", count: max(0, 7 - String(size).count)) + "\(size)"
        + String(format: "%12.1f %8.1f %8.1f %30.1f (%.1f)", space, down, typing, median(saves), first))
}

// The shared store, on a private PostgreSQL server the bench starts and removes
// (scripts/dev-postgres): a unit's 10,000 people, and one handläggare's own 150.
if !CommandLine.arguments.contains("--no-postgres") {
    benchPostgres()
}
