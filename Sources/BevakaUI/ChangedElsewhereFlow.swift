import BevakaDomain
import BevakaStore

/// A change another handläggare saved to a person (shared store only): the record is replaced by
/// the merged one, older undo steps are rebased onto it (so undo never reverts the other's
/// change), and the status line says who changed whom, when, and what of ours could not be kept.
extension AppState {
    mutating func takeChangeElsewhere(_ change: ChangedElsewhere, time: String) {
        if change.gone {
            takeGone(change)
            return
        }
        let merged = change.client
        var next = caseload
        if let index = clientIndex[merged.id] {
            next.clients[index] = merged
        } else {
            next.clients.append(merged)
        }
        for step in undoStack.indices {
            guard let index = undoStack[step].caseload.clients.firstIndex(where: { $0.id == merged.id }) else { continue }
            if let local = change.local {
                undoStack[step].caseload.clients[index] = ClientMerge.merge(
                    base: local, mine: undoStack[step].caseload.clients[index], theirs: merged).client
            } else {
                undoStack[step].caseload.clients[index] = merged
            }
        }
        caseload = next
        let by = unit?.names[change.by] ?? change.by
        changedBy[merged.id] = by
        // A redo after someone else's change could undo theirs unseen: redo starts over.
        redoStack = []
        clampSelection()
        // In hembesöksläge nobody else's name may show.
        if homeVisitActive && openClientID != merged.id { return }
        let name = TerminalText.sanitize(merged.name)
        var text = "Ärendet för \(name) ändrades av \(TerminalText.sanitize(by)) kl. \(time)."
        if change.localKept { text += " Din ändring finns kvar." }
        if !change.notApplied.isEmpty {
            text += " Din ändring av \(change.notApplied.prefix(3).joined(separator: ", ")) kunde inte föras in; gör den igen."
            messageIsError = true
        } else {
            messageIsError = false
        }
        message = text
    }
}
