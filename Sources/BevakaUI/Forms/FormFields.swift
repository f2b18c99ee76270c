import BevakaDomain

/// The forms that keep a caseload current: the person, a decision (with provider and consent),
/// the plan's dates, a month's performed time, closing a decision; and archiving a person.
extension AppState {
    static let roles = ["god man", "förvaltare", "vårdnadshavare", "anhörig", "ombud"]
    static let yesNo = ["ja", "nej"]
    static let consents = ["ja", "nej", "ej tillfrågad"]

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
        let without = client?.personnummer.isWithoutSwedishNumber == true
        return [
            FormField(.name, "Namn", .text(required: true), client?.name ?? ""),
            FormField(.personnummer, "Personnummer", .personnummer, without ? "" : client?.personnummer.formatted ?? ""),
            // Asylum seekers, a reservnummer or no number at all (IVO's report then uses its T-form).
            FormField(.noSwedishNumber, "Saknar svenskt personnummer", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      without ? "ja" : ""),
            FormField(.birthDate, "Födelsedatum", .date(required: false),
                      without ? client?.personnummer.birthDate?.description ?? "" : ""),
            FormField(.sex, "Kön", .choice(options: ["kvinna", "man"], required: false, allowOther: false),
                      client?.personnummer.sex?.word ?? ""),
            FormField(.reservnummer, "Reservnummer", .text(required: false), client?.personnummer.reservnummer ?? ""),
            FormField(.representativeName, "Företrädare", .text(required: false), client?.representative?.name ?? ""),
            FormField(.representativeRole, "Företrädarens roll", .choice(options: AppState.roles, required: false, allowOther: true),
                      client?.representative?.role ?? ""),
            FormField(.representativeContact, "Kontakt", .text(required: false), client?.representative?.contact ?? ""),
            FormField(.children, "Barn i hushållet", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      client?.livesWithChildren.map { $0 ? "ja" : "nej" } ?? ""),
            FormField(.notes, "Anteckning", .text(required: false), client?.notes ?? ""),
            // The way to the door: on the case and in hembesöksläge only.
            FormField(.street, "Gatuadress", .text(required: false), client?.address?.street ?? ""),
            FormField(.postcode, "Postnummer", .postcode, client?.address?.postcode ?? ""),
            FormField(.town, "Ort", .text(required: false), client?.address?.town ?? ""),
            FormField(.phoneOwn, "Telefon (eget)", .phone, client?.phone(Phone.own) ?? ""),
            FormField(.phoneRelative, "Telefon (anhörig)", .phone, client?.phone(Phone.relative) ?? ""),
            FormField(.phoneGuardian, "Telefon (god man)", .phone, client?.phone(Phone.guardian) ?? ""),
            FormField(.doorCode, "Portkod", .text(required: false), client?.doorCode ?? ""),
            FormField(.access, "Så kommer du in", .text(required: false), client?.access ?? ""),
            // Protected identity: the fields above then stay on the case screen and in hembesöksläge.
            FormField(.protectedIdentity, "Skyddad identitet", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      client?.protectedIdentity == true ? "ja" : ""),
        ]
    }

    mutating func openDecisionForm(clientID: String, decisionID: String?) {
        guard let client = client(clientID) else { return }
        let decision = decisionID.flatMap { id in client.decisions.first { $0.id == id } }
        let title = decision.map { "Ändra beslutet om \($0.service) för \(client.name)" } ?? "Nytt beslut för \(client.name)"
        openForm(FormState(purpose: decisionID.map { .editDecision(clientID: clientID, decisionID: $0) }
                           ?? .newDecision(clientID: clientID), title: title, fields: decisionFormFields(decision)))
    }

    func decisionFormFields(_ decision: Decision?) -> [FormField] {
        let services = routines.catalog.kinds.map(\.name)
        // The providers already in the caseload, to pick by typing; a new one is typed in full.
        let knownProviders = Array(Set(caseload.clients.flatMap { $0.decisions.compactMap { $0.provider?.name } })).sorted()
        return [
            // The insats decides the law: it is asked first and the law is proposed from it.
            FormField(.service, "Insats", .choice(options: services, required: true, allowOther: true), decision?.service ?? ""),
            FormField(.law, "Lag", .choice(options: ["SoL", "LSS"], required: true, allowOther: false),
                      decision.map { $0.law == .lss ? "LSS" : "SoL" } ?? ""),
            FormField(.decisionForm, "Beslutsform", .choice(options: ["rambeslut", "insatsbeslut"], required: false, allowOther: false),
                      decision?.form.map { $0 == .frame ? "rambeslut" : "insatsbeslut" } ?? ""),
            FormField(.validFrom, "Gäller från", .date(required: true), decision?.validFrom.description ?? ""),
            FormField(.validTo, "Gäller till", .date(required: false), decision?.validTo?.description ?? ""),
            FormField(.started, "Verkställt", .date(required: false), decision?.startedOn?.description ?? ""),
            FormField(.grantedHours, "Beviljad tid (h/mån)", .hours, decision?.grantedHours.map(FieldInput.formatHours) ?? ""),
            FormField(.provider, "Utförare", .choice(options: knownProviders, required: false, allowOther: true),
                      decision?.provider?.name ?? ""),
            FormField(.regi, "Regi", .choice(options: ["kommunal", "privat"], required: false, allowOther: false),
                      decision?.provider.map { $0.regi == .private ? "privat" : "kommunal" } ?? ""),
            FormField(.caseSystemAccess, "Utföraren har tillgång till vårt verksamhetssystem", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      decision?.provider?.caseSystemAccess.map { $0 ? "ja" : "nej" } ?? ""),
            FormField(.consent, "Samtycke", .choice(options: AppState.consents, required: false, allowOther: false),
                      decision?.consent.map(AppState.consentText) ?? ""),
            FormField(.providerContact, "Utförarens kontakt", .text(required: false), decision?.provider?.contact ?? ""),
            FormField(.providerPhone, "Utförarens telefon", .phone, decision?.provider?.phone ?? ""),
            // Verkställighet (R11 and the IVO report).
            FormField(.decided, "Beslutsdatum", .date(required: false), decision?.decidedOn?.description ?? ""),
            FormField(.notCarriedOut, "Del som inte verkställts", .text(required: false), decision?.notCarriedOut ?? ""),
            FormField(.delayReason, "Skäl till dröjsmålet", .text(required: false), decision?.delayReason ?? ""),
            FormField(.consequences, "Konsekvenser för den enskilde", .text(required: false), decision?.consequences ?? ""),
            // 34 kap. 6 § SoL (2025:400): still reported, but no särskild avgift.
            FormField(.postponed, "Uppskjutet på egen begäran (LOV) från", .date(required: false),
                      decision?.postponedOn?.description ?? ""),
            // The verkställighet ladder's answers (the start is Verkställt above).
            FormField(.orderConfirmed, "Beställning bekräftad", .date(required: false), decision?.orderConfirmedOn?.description ?? ""),
            FormField(.escalated, "Eskalerat till chefen", .date(required: false), decision?.escalatedOn?.description ?? ""),
        ]
    }

    mutating func openPlanForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .plan(clientID: clientID, decisionID: decisionID),
                           title: "Genomförandeplan: \(decision.service) för \(client.name)",
                           fields: AppState.planFormFields(decision.plan)))
    }

    static func planFormFields(_ plan: CarePlan?) -> [FormField] {
        [
            FormField(.received, "Mottagen", .date(required: false), plan?.received?.description ?? ""),
            FormField(.established, "Upprättad", .date(required: false), plan?.established?.description ?? ""),
            FormField(.revised, "Reviderad", .date(required: false), plan?.revised?.description ?? ""),
            FormField(.tookPart, "Den enskilde deltog", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      plan?.personTookPart.map { $0 ? "ja" : "nej" } ?? ""),
            FormField(.notTakenPartReason, "Om inte: varför", .text(required: false), plan?.notTakenPartReason ?? ""),
        ]
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
        openForm(FormState(purpose: .performed(clientID: clientID, decisionID: decisionID), title: title, fields: [
            FormField(.month, "Månad", .month, lastMonth),
            FormField(.performedHours, "Utförd tid (h)", .hours),
        ]))
    }

    mutating func openCloseForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .close(clientID: clientID, decisionID: decisionID),
                           title: "Avsluta beslutet om \(decision.service) för \(client.name)", fields: [
            FormField(.closed, "Avslutat den", .date(required: true), "idag"),
        ]))
    }

    /// An offer of the support to the person (IVO wants the offers and refusals).
    mutating func openOfferForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .offer(clientID: clientID, decisionID: decisionID),
                           title: "Erbjudande: \(decision.service) för \(client.name)", fields: [
            FormField(.offeredOn, "Erbjudet den", .date(required: true), "idag"),
            FormField(.offered, "Vad erbjöds", .text(required: true), ""),
            FormField(.accepted, "Accepterat", .choice(options: AppState.yesNo, required: true, allowOther: false), ""),
        ]))
    }

    /// An interruption: the open one (to write when it was resumed), else a new one.
    mutating func openInterruptionForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        let open = decision.interruptions.last { $0.resumed == nil }
        openForm(FormState(purpose: .interruption(clientID: clientID, decisionID: decisionID, from: open?.from),
                           title: (open == nil ? "Nytt avbrott" : "Avbrottet sedan \(open?.from.description ?? "")")
                            + ": \(decision.service) för \(client.name)", fields: [
            FormField(.interruptedFrom, "Avbrutet från", .date(required: true), open?.from.description ?? "idag"),
            FormField(.resumed, "Återupptaget", .date(required: false), ""),
            FormField(.interruptionReason, "Skäl", .text(required: false), open?.reason ?? ""),
        ]))
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

    static func consentText(_ consent: ConsentStatus) -> String {
        switch consent {
        case .given: return "ja"
        case .refused: return "nej"
        case .notAsked: return "ej tillfrågad"
        }
    }
}
