import BevakaDomain

/// The forms that keep a caseload current: the person, a decision (with provider and consent),
/// the plan's dates, a month's performed time, closing a decision; and archiving a person.
extension AppState {
    // MARK: Opening

    mutating func openForm(_ form: FormState) {
        if screen != .form && screen != .caseDetail { returnScreen = screen }
        self.form = form
        screen = .form
    }

    mutating func openClientForm(_ clientID: String?) {
        let client = clientID.flatMap(client)
        openForm(FormState(purpose: clientID.map { .editClient(clientID: $0) } ?? .newClient,
                           title: client.map { "Ändra uppgifter om \($0.name)" } ?? "Ny person",
                           fields: AppState.clientFormFields(client)))
    }

    static func clientFormFields(_ client: Client?) -> [FormField] {
        personFields.fields(client)
    }

    mutating func openDecisionForm(clientID: String, decisionID: String?) {
        guard let client = client(clientID) else { return }
        let decision = decisionID.flatMap { id in client.decisions.first { $0.id == id } }
        let title = decision.map { "Ändra beslutet om \($0.service) för \(client.name)" } ?? "Nytt beslut för \(client.name)"
        openForm(FormState(purpose: decisionID.map { .editDecision(clientID: clientID, decisionID: $0) }
                           ?? .newDecision(clientID: clientID), title: title, fields: decisionFormFields(decision)))
    }

    func decisionFormFields(_ decision: Decision?) -> [FormField] {
        // The providers already in the caseload, to pick by typing; a new one is typed in full.
        let knownProviders = Array(Set(caseload.clients.flatMap { $0.decisions.compactMap { $0.provider?.name } })).sorted()
        return AppState.decisionFields(services: routines.catalog.kinds.map(\.name), providers: knownProviders).fields(decision)
    }

    mutating func openPlanForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .plan(clientID: clientID, decisionID: decisionID),
                           title: "Genomförandeplan: \(decision.service) för \(client.name)",
                           fields: AppState.planFormFields(decision.plan)))
    }

    static func planFormFields(_ plan: CarePlan?) -> [FormField] {
        planFields.fields(plan)
    }

    mutating func openPerformedForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        // A month's figure is entered fresh (the last one is in the title), so last month's is never
        // saved again for a new month by mistake.
        let lastMonth = String(today.adding(months: -1).description.prefix(7))
        var title = "Utförd tid: \(decision.service) för \(client.name)"
        if let granted = decision.grantedHours { title += ", beviljat \(FieldInput.formatHours(granted))" }
        if let performed = decision.performedHours {
            title += ", senast \(FieldInput.formatHours(performed))" + (decision.performedMonth.map { " (\($0))" } ?? "")
        }
        openForm(FormState(purpose: .performed(clientID: clientID, decisionID: decisionID), title: title,
                           fields: AppState.performedFields(lastMonth: lastMonth).fields(nil)))
    }

    mutating func openCloseForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .close(clientID: clientID, decisionID: decisionID),
                           title: "Avsluta beslutet om \(decision.service) för \(client.name)",
                           fields: AppState.closeFields.fields(nil)))
    }

    /// An offer of the support to the person (IVO wants the offers and refusals).
    mutating func openOfferForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .offer(clientID: clientID, decisionID: decisionID),
                           title: "Erbjudande: \(decision.service) för \(client.name)",
                           fields: AppState.offerFields.fields(nil)))
    }

    /// An interruption: the open one (to write when it was resumed), else a new one.
    mutating func openInterruptionForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        let open = decision.interruptions.last { $0.resumed == nil }
        openForm(FormState(purpose: .interruption(clientID: clientID, decisionID: decisionID, from: open?.from),
                           title: (open == nil ? "Nytt avbrott" : "Avbrottet sedan \(open?.from.description ?? "")")
                            + ": \(decision.service) för \(client.name)",
                           fields: AppState.interruptionFields.fields(open)))
    }

    /// For an action on one of the person's decisions: straight on with one, else ask which.
    mutating func chooseDecision(_ action: DecisionAction) {
        guard let client = openClient else { return }
        let candidates = client.decisions.filter { action == .edit || $0.closedOn == nil }
        guard !candidates.isEmpty else {
            message = action == .edit ? "Personen har inga beslut; b lägger till ett." : "Personen har inga pågående beslut."
            return
        }
        if candidates.count == 1 {
            startDecisionAction(action, clientID: client.id, decisionID: candidates[0].id)
            return
        }
        push(.choice(Choice("\(action.title): vilket beslut?", candidates.map { decision in
            Choice.Option("\(decision.service) \(decision.validFrom)–\(decision.validTo?.description ?? "tillsvidare")"
                              + (decision.closedOn != nil ? " (avslutat)" : ""),
                          .decisionAction(action, clientID: client.id, decisionID: decision.id))
        })))
    }

    mutating func startDecisionAction(_ action: DecisionAction, clientID: String, decisionID: String) {
        switch action {
        case .edit: openDecisionForm(clientID: clientID, decisionID: decisionID)
        case .plan: openPlanForm(clientID: clientID, decisionID: decisionID)
        case .performed: openPerformedForm(clientID: clientID, decisionID: decisionID)
        case .offer: openOfferForm(clientID: clientID, decisionID: decisionID)
        case .interruption: openInterruptionForm(clientID: clientID, decisionID: decisionID)
        case .close: openCloseForm(clientID: clientID, decisionID: decisionID)
        }
    }

    mutating func askArchive() {
        guard let client = openClient else { return }
        if client.archived {
            push(.choice(Choice("Återställ \(client.name) från arkivet? Bevakningarna räknas igen.", [
                .init("Nej", .say("Avbrutet.")), .init("Ja, återställ", .archive(clientID: client.id, archived: false)),
            ])))
        } else {
            let open = (itemsByClient[client.id] ?? []).filter { !$0.isDone }.count
            push(.choice(Choice("Arkivera \(client.name) (\(client.decisions.count) beslut, \(open) öppna bevakningar)? Personen döljs i listorna "
                                + "och kan visas igen med A i Ärenden. " + gallringWhen(client), [
                .init("Nej", .say("Avbrutet.")), .init("Ja, arkivera", .archive(clientID: client.id, archived: true)),
            ])))
        }
    }

}
