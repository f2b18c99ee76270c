import BevakaDomain
import BevakaStore
import Foundation

/// The CSV import from the Ärenden screen: the same import as `bevaka import`, run in the
/// background with a progress bar, then a screen with what it did and every rejected row.
extension AppState {
    mutating func finishImport(_ outcome: ImportOutcome) -> [Effect] {
        let file = importing?.file ?? ""
        importing = nil
        switch outcome {
        case .failed(let reason):
            message = reason
            messageIsError = true
            return []
        case .imported(let imported, let summary, let changed, let rejected):
            var lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while lines.last == "" { lines.removeLast() }
            var effects: [Effect] = []
            if changed {
                // One undo takes the whole import back.
                effects = mutate("Importen av \(file) är klar\(rejected > 0 ? "; \(rejected) rader avvisades" : "").") {
                    $0 = imported
                }
            } else {
                message = "Importen ändrade ingenting\(rejected > 0 ? "; \(rejected) rader avvisades" : "")."
            }
            messageIsError = rejected > 0
            openDocument(.importReport(lines: lines))
            return effects
        }
    }
}

/// An import on a background queue; the main loop polls it.
public final class ImportJob: @unchecked Sendable {
    private let lock = NSLock()
    private var progress = (done: 0, total: 0)
    private var outcome: ImportOutcome?

    public init(path: String, caseload: Caseload, routines: RoutineSet, today: Day, environment: [String: String],
                storePath: String) {
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
                let report = try CaseloadImport.run([UInt8](data), into: &merged, routines: routines, today: today) { done, total in
                    self.lock.lock()
                    self.progress = (done, total)
                    self.lock.unlock()
                }
                let summary = ImportSummary.text(report, file: full, dryRun: false, storePath: storePath)
                self.finish(.imported(merged, summary: summary, changed: report.changedAnything,
                                      rejected: report.rejected.count))
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
    }

    /// The progress so far, and the outcome once there is one.
    public func poll() -> (done: Int, total: Int, outcome: ImportOutcome?) {
        lock.lock()
        defer { lock.unlock() }
        return (progress.done, progress.total, outcome)
    }
}

func drawImportProgress(_ progress: ImportProgress, state: AppState, into buffer: inout CellBuffer) {
    let width = min(state.width - 4, 60)
    let left = (state.width - width) / 2
    let top = state.height / 2 - 2
    for y in top..<(top + 5) { buffer.fill(row: y, from: left, to: left + width, role: .normal) }
    buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: left, y: top, role: .border)
    buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", x: left, y: top + 4, role: .border)
    for y in (top + 1)...(top + 3) {
        buffer.put("│", x: left, y: y, role: .border)
        buffer.put("│", x: left + width - 1, y: y, role: .border)
    }
    buffer.put("Läser in \(progress.file)", x: left + 2, y: top + 1, role: .header, maxWidth: width - 4)
    let barWidth = width - 16
    let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 0
    let filled = Int((Double(barWidth) * fraction).rounded(.down))
    buffer.put(String(repeating: "█", count: filled), x: left + 2, y: top + 2, role: .bar)
    buffer.put(String(repeating: "░", count: barWidth - filled), x: left + 2 + filled, y: top + 2, role: .muted)
    buffer.put(" \(Int(fraction * 100)) %", x: left + 2 + barWidth, y: top + 2, role: .normal)
    buffer.put(progress.total > 0 ? "\(progress.done) av \(progress.total) rader" : "läser filen…",
               x: left + 2, y: top + 3, role: .muted, maxWidth: width - 4)
}
