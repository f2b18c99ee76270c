import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one handläggare's session did in `--enhet` (written by the session process as JSON, read
/// by the bench).
struct SessionReport: Codable {
    var role: String
    /// Connecting, checking the schema, reserving ids and reading the caseload, as the app starts.
    var startMs = 0.0
    var people = 0
    var own = 0
    /// Each acknowledged save's time, ms.
    var saves: [Double] = []
    /// For each colleague's change this session can see: from the colleague's save (its own
    /// clock reading, written into the change) until this session held it, ms.
    var visible: [Double] = []
    /// Per person, the text of the last save the server acknowledged.
    var acknowledged: [String: String] = [:]
    /// Saves whose answer was lost at COMMIT ("kanske sparad"), settled by the next save.
    var inDoubt = 0
    /// Failed saves (the server gone, or refused), by message.
    var failures: [String: Int] = [:]
    /// Saves that met someone else's change to the same person (merged: a true conflict).
    var merged = 0
    /// Fetches of others' changes (each a logged read).
    var fetches = 0
    var fetchFailures = 0
    /// From the first failed save to the next one that got through, ms (the failover's gap).
    var gaps: [Double] = []
    /// Saves still not acknowledged when the run ended (after settling).
    var unsettled = 0
    var peakMB = 0.0
    var error: String?
}

/// A monotonic clock reading shared by every process on the machine (CLOCK_MONOTONIC), ns.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Peak resident memory of this process (VmHWM), MB.
func peakResidentMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let number = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Double($0) } ?? 0
        return number / 1024
    }
    return 0
}

/// A small seeded generator (SplitMix64): each session's pace is the same from run to run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Wakes the session when its store's listener hears a change (the app's saver is woken the same way).
final class Heard: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false

    func signal() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Waits until something is heard or `deadline` (monotonic ns); true when heard.
    func wait(until deadline: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !pending {
            let now = monotonicNanoseconds()
            if now >= deadline { return false }
            _ = condition.wait(until: Date().addingTimeInterval(Double(deadline - now) / 1e9))
        }
        pending = false
        return true
    }
}

/// `--enhet-session URL ROLE END_NS SEED OUT`: one handläggare at work through the app's own store
/// code (PostgresStore: prepareForWriting, load, saveChanges, changesElsewhere on NOTIFY), saving
/// one of their own people at a working pace — on average every four seconds, now and then a
/// burst of five a fifth of a second apart — until END_NS on the monotonic clock; then settles
/// what is unsaved and writes a SessionReport to OUT.
func runUnitSession(_ arguments: [String]) -> Never {
    guard arguments.count == 5, let end = UInt64(arguments[2]), let seed = UInt64(arguments[3]) else { exit(64) }
    let (url, role, out) = (arguments[0], arguments[1], arguments[4])
    var report = SessionReport(role: role)
    func finish() -> Never {
        report.peakMB = peakResidentMB()
        if let data = try? JSONEncoder().encode(report) { try? data.write(to: URL(fileURLWithPath: out)) }
        exit(0)
    }
    let store: PostgresStore
    var caseload: Caseload
    let heard = Heard()
    do {
        store = PostgresStore(try PostgresLocation(url, environment: [:]))
        store.whenChangesHeard { heard.signal() }
        let began = monotonicNanoseconds()
        try store.prepareForWriting()
        caseload = try store.load() ?? Caseload()
        report.startMs = Double(monotonicNanoseconds() - began) / 1e6
    } catch let error as StoreError {
        report.error = error.message
        finish()
    } catch {
        report.error = "\(error)"
        finish()
    }
    let owners = store.unitContext()?.owners ?? [:]
    let mine = caseload.clients.indices.filter { owners[caseload.clients[$0].id] == role }
    report.people = caseload.clients.count
    report.own = mine.count
    guard !mine.isEmpty else {
        report.error = "inga egna ärenden"
        finish()
    }
    var random = SplitMix(state: seed)
    var pending: [String: String] = [:]
    var serial = 0
    var burst = 0
    var failingSince: UInt64?
    var nextSave = monotonicNanoseconds() + UInt64(Double.random(in: 0...4, using: &random) * 1e9)

    func fetch() {
        do {
            let changes = try store.changesElsewhere(local: caseload)
            report.fetches += 1
            let now = monotonicNanoseconds()
            var index = Dictionary(caseload.clients.indices.map { (caseload.clients[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
            for change in changes {
                if change.gone {
                    if let at = index[change.client.id] { caseload.clients.remove(at: at) }
                    index = Dictionary(caseload.clients.indices.map { (caseload.clients[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
                    continue
                }
                if let at = index[change.client.id] {
                    caseload.clients[at] = change.client
                } else {
                    caseload.clients.append(change.client)
                    index[change.client.id] = caseload.clients.count - 1
                }
                // "bänk ROLL N t=NS": the colleague's clock reading when it saved.
                if let notes = change.client.notes, let mark = notes.range(of: " t="), let then = UInt64(notes[mark.upperBound...]),
                   now > then {
                    report.visible.append(Double(now - then) / 1e6)
                }
            }
        } catch {
            report.fetchFailures += 1
        }
    }

    /// One save of everything not yet acknowledged; true when the server acknowledged it.
    func save() -> Bool {
        let began = monotonicNanoseconds()
        do {
            let elsewhere = try store.saveChanges(caseload)
            let now = monotonicNanoseconds()
            report.saves.append(Double(now - began) / 1e6)
            report.merged += elsewhere.filter { !$0.gone }.count
            for (id, text) in pending { report.acknowledged[id] = text }
            pending = [:]
            if let since = failingSince {
                report.gaps.append(Double(now - since) / 1e6)
                failingSince = nil
            }
            return true
        } catch {
            if failingSince == nil { failingSince = began }
            let message = error.message
            if message.contains("kanske sparad") { report.inDoubt += 1 }
            // The server's words without the address, which differs per session.
            let kind = message.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
            report.failures[kind.isEmpty ? message : kind, default: 0] += 1
            return false
        }
    }

    while monotonicNanoseconds() < end {
        if heard.wait(until: min(nextSave, end)) { fetch() }
        let now = monotonicNanoseconds()
        guard now >= nextSave, now < end else { continue }
        serial += 1
        guard let index = mine.randomElement(using: &random), index < caseload.clients.count else { continue }
        let text = "bänk \(role) \(serial) t=\(monotonicNanoseconds())"
        caseload.clients[index].notes = text
        pending[caseload.clients[index].id] = text
        if save() {
            if burst > 0 {
                burst -= 1
                nextSave = monotonicNanoseconds() + 200_000_000
            } else {
                if Int.random(in: 0..<10, using: &random) == 0 { burst = 4 }
                // Exponential, mean four seconds, at most twenty.
                let wait = min(20, -4 * log(Double.random(in: 0.0001...1, using: &random)))
                nextSave = monotonicNanoseconds() + UInt64(wait * 1e9)
            }
        } else {
            nextSave = monotonicNanoseconds() + 500_000_000  // the app's saver tries again soon
        }
    }
    // The run is over: what is not acknowledged yet is tried for at most thirty seconds more, as
    // the app keeps trying (and keeps the change in its recovery file meanwhile).
    let settleBy = monotonicNanoseconds() + 30_000_000_000
    while !pending.isEmpty && monotonicNanoseconds() < settleBy {
        if save() { break }
        usleep(500_000)
    }
    // What the others saved last is fetched once more, so late changes are counted too.
    fetch()
    report.unsettled = pending.count
    store.shutDown()
    finish()
}
