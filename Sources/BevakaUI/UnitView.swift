import BevakaDomain
import BevakaStore

/// The unit on the shared store, as the app shows it: whose cases are whose, who covers for
/// whom, the switch between one's own and covered caseloads, handovers on the case screen, and
/// the manager's read-only planning view. The database decides what the user may see; this only
/// shows it.
extension AppState {
    /// The manager's planning view cannot change anything.
    public var readOnly: Bool { unit?.kind == .chef }

    func inScope(_ clientID: String) -> Bool {
        guard let scopeOwner, let unit else { return true }
        return (unit.owners[clientID] ?? unit.me) == scopeOwner
    }

    /// The handläggare the user can narrow the lists to: themself and those they cover for; for
    /// the manager, every handläggare with cases.
    var scopeChoices: [String] {
        guard let unit else { return [] }
        let owners = Set(unit.owners.values)
        switch unit.kind {
        case .handlaggare:
            let covered = unit.coveringFor.map(\.covered).filter { owners.contains($0) }
            return covered.isEmpty ? [] : [unit.me] + covered
        case .chef, .admin:
            return owners.count > 1 ? owners.sorted { unit.shortName($0) < unit.shortName($1) } : []
        }
    }

    mutating func cycleScope() {
        let choices = scopeChoices
        guard !choices.isEmpty, let unit else {
            message = unit == nil ? "Växla mellan ärendelistor gäller den delade ärendelistan."
                : "Du täcker inte för någon just nu; alla ärenden du ser är dina."
            messageIsError = false
            return
        }
        if let current = scopeOwner, let index = choices.firstIndex(of: current) {
            scopeOwner = index + 1 < choices.count ? choices[index + 1] : nil
        } else {
            scopeOwner = choices.first
        }
        for screen in [Screen.overview, .reminders, .caseload, .yearPlan] { selection[screen] = 0 }
        if let owner = scopeOwner {
            message = owner == unit.me ? "Visar dina egna ärenden. v växlar." : "Visar \(unit.shortName(owner)):s ärenden. v växlar."
        } else {
            message = "Visar alla ärenden du ser. v växlar."
        }
        messageIsError = false
    }

    /// "[BK] " before the name of a case that is someone else's (covered, or in the manager's view).
    func ownerTag(_ clientID: String) -> String {
        guard let unit, unit.isOthers(clientID), let owner = unit.owners[clientID] else { return "" }
        let initials = unit.shortName(owner).split(separator: " ").compactMap(\.first).map(String.init).joined()
        return "[\(initials.isEmpty ? owner : initials)] "
    }

    /// The unit's line in the status bar when nothing else is said.
    var unitLine: String? {
        guard let unit else { return nil }
        let scope = scopeOwner.map { $0 == unit.me ? " · visar dina (v)" : " · visar \(unit.shortName($0)):s (v)" } ?? ""
        switch unit.kind {
        case .chef:
            return "Enhetschef: planering, bara läsning\(scope)"
        case .admin:
            return "Databasens ägare: hela enheten\(scope)"
        case .handlaggare:
            var parts = unit.coveringFor.map { "Du täcker för \(unit.shortName($0.covered)) till \($0.until)" }
            parts += unit.coveredBy.map { "\(unit.shortName($0.covering)) täcker för dig till \($0.until)" }
            return parts.isEmpty ? nil : parts.joined(separator: " · ") + scope
        }
    }

    /// On the case screen: whose the case is and its handovers.
    var caseUnitLines: [(text: String, role: Role)] {
        guard let unit, let client = openClient else { return [] }
        var lines: [(String, Role)] = []
        let owner = unit.owners[client.id] ?? unit.me
        if owner != unit.me {
            let cover = unit.coveringFor.first { $0.covered == owner }
            let name = TerminalText.sanitize(unit.names[owner] ?? owner)
            lines.append((cover.map { "Handläggare: \(name); du täcker till \($0.until)." } ?? "Handläggare: \(name).", .highlight))
        }
        for handover in client.handovers {
            lines.append(("Handläggarbyte \(handover.on): \(TerminalText.sanitize(unit.shortName(handover.from))) → \(TerminalText.sanitize(unit.shortName(handover.to))) (av \(TerminalText.sanitize(unit.shortName(handover.by))))", .muted))
        }
        return lines
    }

    /// The manager opened a case: the full record replaces the planning data (no undo step:
    /// nothing was changed).
    mutating func takeOpened(_ client: Client) {
        guard let index = clientIndex[client.id] else { return }
        caseload.clients[index] = client
    }

    /// A person the user may no longer see (handed over, a cover ended): taken out, with a message.
    mutating func takeGone(_ change: ChangedElsewhere) {
        let id = change.client.id
        guard let index = clientIndex[id] else { return }
        let name = TerminalText.sanitize(caseload.clients[index].name)
        var next = caseload
        next.clients.remove(at: index)
        for step in undoStack.indices { undoStack[step].clients.removeAll { $0.id == id } }
        caseload = next
        unit?.owners[id] = nil
        if openClientID == id {
            openClientID = nil
            form = nil
            choice = nil
            prompt = nil
            document = nil
            screen = returnScreen == .caseDetail ? .overview : returnScreen
        }
        clampSelection()
        message = "Ärendet för \(name) är inte längre ditt att se (handläggarbyte eller avslutat vikariat); det är borttaget ur din lista. Osparade ändringar i det kom inte med."
        messageIsError = true
    }

    /// The person whose full case is on the screen, and which screen: what the access log records.
    public var viewedCase: (clientID: String, what: String)? {
        guard let id = openClientID else { return nil }
        switch screen {
        case .caseDetail: return (id, "ärende")
        case .checklist: return (id, "uppföljning")
        case .document:
            if case .underlag? = document { return (id, "underlag") }
            return (id, "journal")
        case .form: return (id, "formulär")
        default: return nil
        }
    }
}
