// A child process for the store's safety tests (Tests/BevakaStoreTests). Not for users.
//   bevaka-store-probe save-loop PATH        save forever, printing "saved N" after each save
//   bevaka-store-probe save-limited PATH N   save a large caseload with RLIMIT_FSIZE = N bytes
//   bevaka-store-probe pg-add-reminders URL POSITION ROUNDS TAG
//                                            add ROUNDS reminders "TAG n" to one person, saving each,
//                                            taking in others' changes as the app does; prints
//                                            "saved n", then "conflicts K lost L"
//   bevaka-store-probe pg-rounds URL ROUNDS  each round writes "round n" into the notes of the
//                                            first five people in one save; prints "saved n"
//   bevaka-store-probe check PATH N          exit 0 when the store loads and holds save N or later
//                                            (the probe's save-loop stores its round in nextSerial)
//   bevaka-store-probe gallra-die PATH K ID… gallra the ids, dying by SIGKILL at the K-th step of the
//                                            gallring (0: never; prints "steps N" at the end)
//   bevaka-store-probe start PATH            what a writer does at start: lock and load (which
//                                            finishes an interrupted gallring); prints the count
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered, so the parent sees each line as soon as it is written.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: bevaka-store-probe save-loop|save-limited PATH [BYTES]\n".utf8))
    exit(64)
}
if arguments[1].hasPrefix("pg-") {
    runPostgresProbe(arguments)
}
/// Counts the gallring's steps and dies at the chosen one, as a kill at that moment would.
final class Steps: @unchecked Sendable {
    let dieAt: Int
    var count = 0
    init(dieAt: Int) { self.dieAt = dieAt }
    func passed(_ step: String) {
        count += 1
        if count == dieAt { kill(getpid(), SIGKILL) }
    }
}
// One save as a process of its own, on a clock fixed at SECONDS since 1970: `round` is kept as
// the caseload's nextSerial - 1 (TrustTests: backups made within one second).
if arguments[1] == "save-at", arguments.count >= 5, let seconds = Double(arguments[3]), let round = Int(arguments[4]) {
    let store = FileStore(url: URL(fileURLWithPath: arguments[2]), now: { Date(timeIntervalSince1970: seconds) })
    do {
        try store.lockForWriting()
        var caseload = try store.load() ?? Caseload()
        caseload.nextSerial = round + 1
        try store.save(caseload)
        say("saved")
        exit(0)
    } catch {
        say(error.message)
        exit(2)
    }
}
if arguments[1] == "gallra-die", arguments.count >= 4 {
    let steps = Steps(dieAt: Int(arguments[3]) ?? 0)
    let store = FileStore(url: URL(fileURLWithPath: arguments[2]), checkpoint: { steps.passed($0) })
    do {
        try store.lockForWriting()
        let caseload = try store.load() ?? Caseload()
        _ = try store.gallra(Set(arguments.dropFirst(4)), from: caseload)
        say("steps \(steps.count)")
        exit(0)
    } catch {
        say(error.message)
        exit(2)
    }
}
let store = FileStore(url: URL(fileURLWithPath: arguments[2]))
let today = Day(year: 2026, month: 11, day: 22) ?? Day(dayNumber: 0)

if arguments[1] == "check" {
    // Read only: no lock, so it can run beside nothing else and never writes.
    do {
        let acknowledged = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 0
        guard let caseload = try store.load() else {
            say(acknowledged == 0 ? "empty" : "missing")
            exit(acknowledged == 0 ? 0 : 1)
        }
        // "saved N" was printed after the save of round N - 1 returned.
        guard caseload.nextSerial >= acknowledged - 1 else {
            say("lost: holds round \(caseload.nextSerial), acknowledged \(acknowledged - 1)")
            exit(1)
        }
        say("ok \(caseload.nextSerial)")
        exit(0)
    } catch {
        say("unreadable: \(error.message)")
        exit(2)
    }
}

do {
    try store.lockForWriting()
    var caseload = try store.load() ?? Caseload()
    switch arguments[1] {
    case "start":
        say("people \(caseload.clients.count)")
    case "save-loop":
        let people = DemoCaseload.large(33 * 7, today: today).clients
        var round = 0
        while true {
            // Grow and shrink so that every save writes a different length (people of their own:
            // a store never holds one id or personnummer twice).
            caseload.clients = Array(people.prefix(33 * (1 + round % 7)))
            caseload.nextSerial = round
            try store.save(caseload)
            round += 1
            say("saved \(round)")
        }
    case "save-limited":
        var limit = rlimit(rlim_cur: rlim_t(Int(arguments[3]) ?? 0), rlim_max: rlim_t(Int(arguments[3]) ?? 0))
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        caseload.clients = DemoCaseload.large(33 * 20, today: today).clients
        try store.save(caseload)
        say("saved")
    default:
        exit(64)
    }
} catch {
    say(error.message)
    exit(2)
}
