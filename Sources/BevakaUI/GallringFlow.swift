import BevakaDomain

/// Gallring at start: the app never deletes on its own. It shows whom the rule would remove and
/// deletes on the user's "Ja" (the runtime carries out `.gallra`); a date later than the
/// computer's, or a clock before the store's last save, deletes nobody and says why.
extension AppState {
    /// Shown at start when people are due; `permission` is `Gallring.permission` for today.
    public mutating func offerGallring(_ candidates: [Gallring.Candidate], months: Int, permission: Gallring.Permission) {
        guard !candidates.isEmpty else { return }
        let count = candidates.count == 1 ? "1 person kan gallras" : "\(candidates.count) personer kan gallras"
        let shown = candidates.prefix(6).map { Gallring.label($0.client) }.joined(separator: "; ")
        let more = candidates.count > 6 ? "; och \(candidates.count - 6) till (bevaka gallra --dry-run visar alla)" : ""
        let one = candidates.count == 1
        let why = (one ? "arkiverad" : "arkiverade") + ", sista beslutet upphörde för mer än "
            + (months == 1 ? "1 månad" : "\(months) månader") + " sedan"
        switch permission {
        case .allowed:
            let notNow = Answer.say("Ingen gallrades. Nästa start frågar igen; bevaka gallra gör det från kommandoraden.")
            push(.choice(Choice("\(count) (\(why)): \(shown)\(more). Ta bort \(one ? "personen" : "dem") nu, ur ärendelistan "
                                + "och alla säkerhetskopior? Det går inte att ångra.", [
                                .init("Inte nu", notNow), .init("Ja, gallra nu", .gallra(ids: candidates.map(\.client.id))),
                            ], escape: notNow)))
        case .dryRun(let reason), .refused(let reason):
            message = "\(count) (\(shown)\(more)), men ingen tas bort: \(reason)"
            messageIsError = true
        }
    }

    /// The runtime's answer to `.gallra`: the people are gone from the store (and every copy the
    /// store keeps); the app lets go of them too and says whom, by initials and birth date.
    mutating func takeGallrad(ids: [String], outside: String?, error: String?) {
        if let error {
            message = "Gallringen gjordes inte: \(error)"
            messageIsError = true
            return
        }
        let gone = Set(ids)
        let labels = caseload.clients.filter { gone.contains($0.id) }.map(Gallring.label)
        if let open = openClientID, gone.contains(open) { openClientID = nil }
        caseload.clients.removeAll { gone.contains($0.id) }
        clampSelection()
        guard !labels.isEmpty else {
            message = "Ingen gallrades (de var ändrade, inte dina, eller inte längre aktuella enligt regeln)."
            messageIsError = false
            return
        }
        message = "Gallrad" + (labels.count == 1 ? ": " : " (\(labels.count)): ") + labels.joined(separator: "; ")
            + (outside == nil ? ", ur ärendelistan och alla säkerhetskopior." : ". " + (outside ?? ""))
        messageIsError = false
    }
}
