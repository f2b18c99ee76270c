import BevakaDomain
import BevakaStore
import BevakaUI
import Foundation

/// An import on a background queue. Its progress (each whole percent) and its end are posted to
/// the loop's inbox; a caller without a loop asks `poll()` or `wait(seconds:)`.
public final class ImportJob: @unchecked Sendable {
    private let lock = NSLock()
    private var progress = (done: 0, total: 0)
    private var outcome: ImportOutcome?
    private let finished = DispatchSemaphore(value: 0)
    private let inbox: Inbox?

    /// Starts an import whose messages go to `inbox`.
    @discardableResult
    public static func start(path: String, caseload: Caseload, routines: RoutineSet, today: Day, environment: [String: String],
                             storePath: String, startAssumption: CaseloadImport.StartAssumption, namesAnyway: Bool,
                             inbox: Inbox) -> ImportJob {
        ImportJob(path: path, caseload: caseload, routines: routines, today: today, environment: environment,
                  storePath: storePath, startAssumption: startAssumption, namesAnyway: namesAnyway, inbox: inbox)
    }

    public init(path: String, caseload: Caseload, routines: RoutineSet, today: Day, environment: [String: String],
                storePath: String, startAssumption: CaseloadImport.StartAssumption = .fromStart, namesAnyway: Bool = false,
                inbox: Inbox? = nil) {
        self.inbox = inbox
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/"), let home = environment["HOME"] { expanded = home + expanded.dropFirst() }
        let full = expanded
        DispatchQueue.global(qos: .userInitiated).async {
            guard let data = FileManager.default.contents(atPath: full) else {
                self.finish(.failed("Filen \(full) går inte att läsa; kontrollera sökvägen."))
                return
            }
            var merged = caseload
            do {
                let report = try CaseloadImport.run([UInt8](data), into: &merged, routines: routines, today: today,
                                                    startAssumption: startAssumption, importNameMismatches: namesAnyway) { done, total in
                    self.lock.lock()
                    let before = self.progress
                    self.progress = (done, total)
                    self.lock.unlock()
                    // Each whole percent, not each row: the loop redraws the bar per message.
                    if total > 0, before.total != total || before.done * 100 / total != done * 100 / total {
                        self.inbox?.post(.importProgress(done: done, total: total))
                    }
                }
                self.finish(.imported(merged, report: report, file: full))
            } catch let error as CaseloadImport.FileError {
                self.finish(.failed("\(full): \(error.message)"))
            } catch {
                self.finish(.failed("\(full) kunde inte läsas in."))
            }
        }
    }

    private func finish(_ result: ImportOutcome) {
        lock.lock()
        outcome = result
        lock.unlock()
        finished.signal()
        inbox?.post(.importFinished(result))
    }

    /// Blocks until the import has an outcome, at most `seconds` (for callers that have nothing
    /// else to do meanwhile, like a test; the main loop takes its messages instead).
    public func wait(seconds: Double) -> ImportOutcome? {
        if finished.wait(timeout: .now() + seconds) == .success { finished.signal() }
        return poll().outcome
    }

    /// The progress so far, and the outcome once there is one.
    public func poll() -> (done: Int, total: Int, outcome: ImportOutcome?) {
        lock.lock()
        defer { lock.unlock() }
        return (progress.done, progress.total, outcome)
    }
}
