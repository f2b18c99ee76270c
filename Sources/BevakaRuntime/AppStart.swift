import BevakaDomain
import BevakaStore
import BevakaUI
import Foundation

/// What happens before the first frame (issue 36, item 3), in the runtime rather than in the
/// executable: the caseload read and what the last session left replayed, the state made with the
/// unit, the checklists and the text that was being written, and gallring offered.
public enum AppStart {
    public struct Prepared {
        public var state: AppState
        /// nil for the demo, which saves nothing.
        public var saver: Saver?
    }

    /// `clockToday` and `now` are the computer's own day and time: gallring is never done on a
    /// date that is not the real one (`Gallring.permission`).
    public static func prepare(store: any CaseloadStore, demo: Bool, routines: RoutineSet, today: Day,
                               environment: [String: String], clockToday: Day, now: Date) throws(StoreError) -> Prepared {
        var caseload = Caseload()
        var firstStart = false
        var saver: Saver?
        var recovered: String?
        if demo {
            caseload = DemoCaseload.make(today: today)
        } else {
            try store.prepareForWriting()
            if let loaded = try store.load() {
                caseload = loaded
            } else {
                firstStart = true
            }
            if let outcome = try store.replayRecovery(into: &caseload) {
                recovered = (outcome.saved == 1 ? "1 osparad ändring från förra gången är nu sparad"
                             : "\(outcome.saved) osparade ändringar från förra gången är nu sparade")
                    + (outcome.merged.isEmpty ? "." : "; \(outcome.merged.count) hade ändrats av andra och är sammanförda"
                        + (outcome.merged.contains { !$0.notApplied.isEmpty } ? " (kontrollera dem)." : "."))
            }
            saver = Saver(store: store, saved: caseload)
        }
        var state = AppState(caseload: caseload, routines: routines, today: today,
                             demo: demo, storePath: store.location, firstStart: firstStart,
                             unit: demo ? nil : store.unitContext())
        if let recovered { state.message = recovered }
        // An answer that was being written when the terminal closed goes back into its editor.
        if !demo { state.restoreUnsavedText() }
        // A broken checklist file must not stop a visit: the built-in checklists are used and the
        // status line says what is wrong where.
        do {
            state.checklists = try ChecklistFile.load(environment: environment)
        } catch {
            state.message = error.message + " De inbyggda checklistorna används."
            state.messageIsError = true
        }
        // Gallring at start is asked, never done unasked: who is due, and a yes deletes them.
        // The shared store's rule is the unit's (kept in the database), the file's profiles.json.
        if !demo, state.unit?.kind != .chef, let months = state.unit.map(\.gallringMonths) ?? routines.gallringMonths {
            let due = Gallring.candidates(caseload, months: months, today: today)
            state.offerGallring(due, months: months,
                                permission: Gallring.permission(today: today, clockToday: clockToday,
                                                                lastSaved: store.lastSavedAt, now: now))
        }
        state.senderName = environment["BEVAKA_HANDLAGGARE"].flatMap { $0.isEmpty ? nil : TerminalText.sanitize($0) }
            ?? state.unit.flatMap { $0.names[$0.me] }.map(TerminalText.sanitize)
        if let folder = UIMemory.importFolder(environment) { state.importFolder = folder }
        return Prepared(state: state, saver: saver)
    }
}
