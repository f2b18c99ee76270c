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
        [
            FormField("name", "Namn", .text(required: true), client?.name ?? ""),
            FormField("pnr", "Personnummer", .personnummer, client?.personnummer.formatted ?? ""),
            FormField("repName", "Företrädare", .text(required: false), client?.representative?.name ?? ""),
            FormField("repRole", "Företrädarens roll", .choice(options: AppState.roles, required: false, allowOther: true),
                      client?.representative?.role ?? ""),
            FormField("repContact", "Kontakt", .text(required: false), client?.representative?.contact ?? ""),
            FormField("children", "Barn i hushållet", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      client?.livesWithChildren.map { $0 ? "ja" : "nej" } ?? ""),
            FormField("notes", "Anteckning", .text(required: false), client?.notes ?? ""),
            // The way to the door: on the case and in hembesöksläge only.
            FormField("street", "Gatuadress", .text(required: false), client?.address?.street ?? ""),
            FormField("postcode", "Postnummer", .postcode, client?.address?.postcode ?? ""),
            FormField("town", "Ort", .text(required: false), client?.address?.town ?? ""),
            FormField("phoneOwn", "Telefon (eget)", .phone, client?.phone(Phone.own) ?? ""),
            FormField("phoneRelative", "Telefon (anhörig)", .phone, client?.phone(Phone.relative) ?? ""),
            FormField("phoneGuardian", "Telefon (god man)", .phone, client?.phone(Phone.guardian) ?? ""),
            FormField("doorCode", "Portkod", .text(required: false), client?.doorCode ?? ""),
            FormField("access", "Så kommer du in", .text(required: false), client?.access ?? ""),
            // Protected identity: the fields above then stay on the case screen and in hembesöksläge.
            FormField("protected", "Skyddad identitet", .choice(options: AppState.yesNo, required: false, allowOther: false),
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
            FormField("service", "Insats", .choice(options: services, required: true, allowOther: true), decision?.service ?? ""),
            FormField("law", "Lag", .choice(options: ["SoL", "LSS"], required: true, allowOther: false),
                      decision.map { $0.law == .lss ? "LSS" : "SoL" } ?? ""),
            FormField("form", "Beslutsform", .choice(options: ["rambeslut", "insatsbeslut"], required: false, allowOther: false),
                      decision?.form.map { $0 == .frame ? "rambeslut" : "insatsbeslut" } ?? ""),
            FormField("from", "Gäller från", .date(required: true), decision?.validFrom.description ?? ""),
            FormField("to", "Gäller till", .date(required: false), decision?.validTo?.description ?? ""),
            FormField("started", "Verkställt", .date(required: false), decision?.startedOn?.description ?? ""),
            FormField("granted", "Beviljad tid (h/mån)", .hours, decision?.grantedHours.map(FieldInput.formatHours) ?? ""),
            FormField("provider", "Utförare", .choice(options: knownProviders, required: false, allowOther: true),
                      decision?.provider?.name ?? ""),
            FormField("regi", "Regi", .choice(options: ["kommunal", "privat"], required: false, allowOther: false),
                      decision?.provider.map { $0.regi == .private ? "privat" : "kommunal" } ?? ""),
            FormField("access", "Utföraren har tillgång till vårt verksamhetssystem", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      decision?.provider?.caseSystemAccess.map { $0 ? "ja" : "nej" } ?? ""),
            FormField("consent", "Samtycke", .choice(options: AppState.consents, required: false, allowOther: false),
                      decision?.consent.map(AppState.consentText) ?? ""),
            FormField("providerContact", "Utförarens kontakt", .text(required: false), decision?.provider?.contact ?? ""),
            FormField("providerPhone", "Utförarens telefon", .phone, decision?.provider?.phone ?? ""),
            // Verkställighet (R11 and the IVO report).
            FormField("decided", "Beslutsdatum", .date(required: false), decision?.decidedOn?.description ?? ""),
            FormField("notCarried", "Del som inte verkställts", .text(required: false), decision?.notCarriedOut ?? ""),
            FormField("delayReason", "Skäl till dröjsmålet", .text(required: false), decision?.delayReason ?? ""),
            FormField("consequences", "Konsekvenser för den enskilde", .text(required: false), decision?.consequences ?? ""),
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
            FormField("received", "Mottagen", .date(required: false), plan?.received?.description ?? ""),
            FormField("established", "Upprättad", .date(required: false), plan?.established?.description ?? ""),
            FormField("revised", "Reviderad", .date(required: false), plan?.revised?.description ?? ""),
            FormField("tookPart", "Den enskilde deltog", .choice(options: AppState.yesNo, required: false, allowOther: false),
                      plan?.personTookPart.map { $0 ? "ja" : "nej" } ?? ""),
            FormField("reason", "Om inte: varför", .text(required: false), plan?.notTakenPartReason ?? ""),
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
            FormField("month", "Månad", .month, lastMonth),
            FormField("performed", "Utförd tid (h)", .hours),
        ]))
    }

    mutating func openCloseForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .close(clientID: clientID, decisionID: decisionID),
                           title: "Avsluta beslutet om \(decision.service) för \(client.name)", fields: [
            FormField("closed", "Avslutat den", .date(required: true), "idag"),
        ]))
    }

    /// An offer of the support to the person (IVO wants the offers and refusals).
    mutating func openOfferForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        openForm(FormState(purpose: .offer(clientID: clientID, decisionID: decisionID),
                           title: "Erbjudande: \(decision.service) för \(client.name)", fields: [
            FormField("on", "Erbjudet den", .date(required: true), "idag"),
            FormField("what", "Vad erbjöds", .text(required: true), ""),
            FormField("accepted", "Accepterat", .choice(options: AppState.yesNo, required: true, allowOther: false), ""),
        ]))
    }

    /// An interruption: the open one (to write when it was resumed), else a new one.
    mutating func openInterruptionForm(clientID: String, decisionID: String) {
        guard let client = client(clientID), let decision = client.decisions.first(where: { $0.id == decisionID }) else { return }
        let open = decision.interruptions.last { $0.resumed == nil }
        openForm(FormState(purpose: .interruption(clientID: clientID, decisionID: decisionID, from: open?.from),
                           title: (open == nil ? "Nytt avbrott" : "Avbrottet sedan \(open?.from.description ?? "")")
                            + ": \(decision.service) för \(client.name)", fields: [
            FormField("from", "Avbrutet från", .date(required: true), open?.from.description ?? "idag"),
            FormField("resumed", "Återupptaget", .date(required: false), ""),
            FormField("reason", "Skäl", .text(required: false), open?.reason ?? ""),
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
        choice = Choice(purpose: .pickDecision(clientID: client.id, action: action, decisionIDs: candidates.map(\.id)),
                        title: "\(action.title): vilket beslut?",
                        options: candidates.map { decision in
                            "\(decision.service) \(decision.validFrom)–\(decision.validTo?.description ?? "tillsvidare")"
                                + (decision.closedOn != nil ? " (avslutat)" : "")
                        })
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
            choice = Choice(purpose: .confirmArchive(clientID: client.id, archive: false),
                            title: "Återställ \(client.name) från arkivet? Bevakningarna räknas igen.",
                            options: ["Nej", "Ja, återställ"])
        } else {
            let open = (itemsByClient[client.id] ?? []).filter { !$0.isDone }.count
            choice = Choice(purpose: .confirmArchive(clientID: client.id, archive: true),
                            title: "Arkivera \(client.name) (\(client.decisions.count) beslut, \(open) öppna bevakningar)? Inget raderas: personen döljs i listorna och kan visas igen med A i Ärenden.",
                            options: ["Nej", "Ja, arkivera"])
        }
    }

    static func consentText(_ consent: ConsentStatus) -> String {
        switch consent {
        case .given: return "ja"
        case .refused: return "nej"
        case .notAsked: return "ej tillfrågad"
        }
    }

    // MARK: Checking across fields

    func value(_ form: FormState, _ key: String) -> String { form.field(key)?.text ?? "" }

    func day(_ form: FormState, _ key: String) -> Day? {
        (try? FieldInput.date(value(form, key), today: today, required: false)) ?? nil
    }

    mutating func crossCheck(_ form: inout FormState) {
        func fail(_ key: String, _ message: String) {
            if let index = form.fields.firstIndex(where: { $0.key == key }), form.fields[index].error == nil {
                form.fields[index].error = message
            }
        }
        switch form.purpose {
        case .newDecision, .editDecision:
            if let from = day(form, "from"), let to = day(form, "to"), to < from {
                fail("to", "Gäller till (\(to)) ligger före gäller från (\(from)).")
            }
            if let from = day(form, "from"), let started = day(form, "started"), started < from {
                fail("started", "Verkställt (\(started)) ligger före beslutets början (\(from)).")
            }
            if let decided = day(form, "decided") {
                if decided > today { fail("decided", "Beslutsdatumet \(decided) ligger i framtiden.") }
                if let from = day(form, "from"), decided > from {
                    fail("decided", "Beslutsdatumet \(decided) ligger efter gäller från (\(from)); ett beslut fattas innan det gäller.")
                } else if let from = day(form, "from"), decided < from.adding(months: -24) {
                    fail("decided", "Beslutsdatumet \(decided) ligger mer än två år före gäller från (\(from)).")
                }
            }
            if value(form, "provider").isEmpty && !value(form, "regi").isEmpty {
                fail("provider", "Skriv utförarens namn, eller töm regi.")
            }
            if value(form, "law") == "LSS", routines.catalog.law(forService: value(form, "service")) == .sol {
                fail("service", "\(value(form, "service")) är en insats enligt SoL, inte LSS.")
            }
        case .plan:
            for key in ["received", "established", "revised"] {
                if let date = day(form, key), date > today { fail(key, "Datumet ligger i framtiden.") }
            }
            if let established = day(form, "established"), let revised = day(form, "revised"), revised < established {
                fail("revised", "Reviderad (\(revised)) ligger före upprättad (\(established)).")
            }
        case .performed:
            if value(form, "performed").isEmpty { fail("performed", "Skriv den utförda tiden.") }
            if value(form, "month").isEmpty { fail("month", "Skriv vilken månad tiden gäller.") }
        case .close(let clientID, let decisionID):
            if let closed = day(form, "closed"),
               let decision = client(clientID)?.decisions.first(where: { $0.id == decisionID }), closed < decision.validFrom {
                fail("closed", "Beslutet började först \(decision.validFrom).")
            }
        case .booking:
            if let date = day(form, "date"), date < today { fail("date", "Ett besök bokas idag eller senare, inte \(date).") }
            // A time that does not exist that day, or happens twice, is no time to meet at.
            if let date = day(form, "date"), let start = try? FieldInput.time(value(form, "time")) {
                let shown = value(form, "time").trimmingCharacters(in: .whitespaces)
                switch StockholmTime.check(date, minutes: start) {
                case .missing: fail("time", "\(shown) finns inte den dagen (sommartid börjar, klockan går från 02:00 till 03:00).")
                case .twice: fail("time", "\(shown) finns två gånger den dagen (sommartiden slutar); välj en tid före 02:00 eller från 03:00.")
                case .ok: break
                }
            }
        case .offer:
            if let on = day(form, "on"), on > today { fail("on", "Ett erbjudande registreras när det har lämnats, inte \(on).") }
        case .interruption:
            if let from = day(form, "from"), from > today { fail("from", "Avbrottet \(from) ligger i framtiden.") }
            if let from = day(form, "from"), let resumed = day(form, "resumed"), resumed < from {
                fail("resumed", "Återupptaget (\(resumed)) ligger före avbrottet (\(from)).")
            }
            if let resumed = day(form, "resumed"), resumed > today { fail("resumed", "Datumet ligger i framtiden.") }
        case .newClient, .editClient:
            break
        }
    }

    // MARK: Saving

    mutating func commitForm(_ form: FormState) -> [Effect] {
        func text(_ key: String) -> String? {
            let raw = TerminalText.sanitize(value(form, key)).trimmingCharacters(in: .whitespaces)
            return raw.isEmpty ? nil : raw
        }
        func hours(_ key: String) -> Double? { (try? FieldInput.hours(value(form, key))) ?? nil }
        func yes(_ key: String) -> Bool? { text(key).map { $0 == "ja" } }
        switch form.purpose {
        case .newClient, .editClient:
            guard let number = try? FieldInput.personnummer(value(form, "pnr"), today: today), let name = text("name") else { return [] }
            let representative = text("repName").map { Representative(name: $0, role: text("repRole") ?? "företrädare",
                                                                       contact: text("repContact")) }
            let children = yes("children")
            let notes = text("notes")
            let address = Address(street: text("street"), postcode: (try? FieldInput.postcode(value(form, "postcode"))) ?? nil,
                                  town: text("town"))
            var phones: [Phone] = []
            for (key, label) in [("phoneOwn", Phone.own), ("phoneRelative", Phone.relative), ("phoneGuardian", Phone.guardian)] {
                if let number = (try? FieldInput.phone(value(form, key))) ?? nil { phones.append(Phone(label: label, number: number)) }
            }
            let doorCode = text("doorCode"), access = text("access")
            let protected = yes("protected") == true
            func setContacts(_ client: inout Client) {
                client.address = address.isEmpty ? nil : address
                // Numbers with other labels (from a file) are kept; the form's three are replaced.
                client.phones = client.phones.filter { ![Phone.own, Phone.relative, Phone.guardian].contains($0.label) } + phones
                client.doorCode = doorCode
                client.access = access
            }
            if case .editClient(let id) = form.purpose, let index = clientIndex[id] {
                self.form = nil
                screen = .caseDetail
                return mutate("Uppgifterna om \(name) är sparade.") { caseload in
                    caseload.clients[index].name = name
                    caseload.clients[index].personnummer = number
                    caseload.clients[index].representative = representative
                    caseload.clients[index].livesWithChildren = children
                    caseload.clients[index].notes = notes
                    caseload.clients[index].protectedIdentity = protected
                    setContacts(&caseload.clients[index])
                }
            }
            var newID = ""
            let effects = mutate("\(name) är tillagd. Lägg till ett beslut med b.") { caseload in
                newID = caseload.makeID("c")
                var added = Client(id: newID, name: name, personnummer: number, representative: representative,
                                   notes: notes, livesWithChildren: children)
                setContacts(&added)
                added.protectedIdentity = protected
                caseload.clients.append(added)
            }
            self.form = nil
            openCase(newID)
            return effects
        case .newDecision(let clientID), .editDecision(let clientID, _):
            guard let index = clientIndex[clientID], let from = day(form, "from"), let service = text("service") else { return [] }
            let regi: Regi = text("regi") == "privat" ? .private : .municipal
            let providerPhone = (try? FieldInput.phone(value(form, "providerPhone"))) ?? nil
            let provider = text("provider").map { Provider(name: $0, regi: regi, caseSystemAccess: yes("access"),
                                                           contact: text("providerContact"), phone: providerPhone) }
            let consent: ConsentStatus? = text("consent").map { $0 == "ja" ? .given : $0 == "nej" ? .refused : .notAsked }
            let formValue: DecisionForm? = text("form").map { $0 == "rambeslut" ? .frame : .itemized }
            var decisionID: String?
            if case .editDecision(_, let id) = form.purpose { decisionID = id }
            let law: Law = text("law") == "LSS" ? .lss : .sol
            let to = day(form, "to"), started = day(form, "started"), granted = hours("granted"), decided = day(form, "decided")
            let notCarried = text("notCarried"), delayReason = text("delayReason"), consequences = text("consequences")
            self.form = nil
            screen = .caseDetail
            openClientID = clientID
            return mutate("Beslutet om \(service) är sparat.") { caseload in
                var decision = decisionID.flatMap { id in caseload.clients[index].decisions.first { $0.id == id } }
                    ?? Decision(id: caseload.makeID("d"), law: .sol, service: service, validFrom: from)
                decision.law = law
                decision.service = service
                decision.form = formValue
                decision.validFrom = from
                decision.validTo = to
                decision.startedOn = started
                decision.decidedOn = decided
                decision.notCarriedOut = notCarried
                decision.delayReason = delayReason
                decision.consequences = consequences
                decision.grantedHours = granted
                decision.provider = provider
                decision.consent = consent
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decision.id }) {
                    caseload.clients[index].decisions[d] = decision
                } else {
                    caseload.clients[index].decisions.append(decision)
                }
            }
        case .plan(let clientID, let decisionID):
            guard let index = clientIndex[clientID] else { return [] }
            let plan = CarePlan(received: day(form, "received"), established: day(form, "established"),
                                revised: day(form, "revised"), personTookPart: yes("tookPart"),
                                notTakenPartReason: text("reason"))
            self.form = nil
            screen = .caseDetail
            return mutate("Genomförandeplanen är sparad.") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].plan = plan == CarePlan() ? nil : plan
                }
            }
        case .performed(let clientID, let decisionID):
            guard let index = clientIndex[clientID], let month = (try? FieldInput.month(value(form, "month"), today: today)) ?? nil
            else { return [] }
            let performed = hours("performed")
            let monthText = String(format: "%04d-%02d", month.year, month.month)
            self.form = nil
            screen = .caseDetail
            return mutate("Utförd tid för \(monthText) är sparad.") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].performedHours = performed
                    caseload.clients[index].decisions[d].performedMonth = monthText
                }
            }
        case .booking(let clientID, let fromChecklist):
            return commitBooking(form, clientID: clientID, fromChecklist: fromChecklist)
        case .offer(let clientID, let decisionID):
            guard let index = clientIndex[clientID], let on = day(form, "on"), let what = text("what"), let accepted = yes("accepted") else {
                return []
            }
            self.form = nil
            screen = .caseDetail
            return mutate("Erbjudandet \(on) till \(personName(clientID)) är registrerat (\(accepted ? "accepterat" : "avböjt")).") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].offers.append(Offer(on: on, what: what, accepted: accepted))
                }
            }
        case .interruption(let clientID, let decisionID, let openFrom):
            guard let index = clientIndex[clientID], let from = day(form, "from") else { return [] }
            let resumed = day(form, "resumed"), reason = text("reason")
            self.form = nil
            screen = .caseDetail
            let note = resumed.map { "Avbrottet för \(personName(clientID)) från \(from) är återupptaget \($0)." }
                ?? "Avbrottet för \(personName(clientID)) från \(from) är registrerat."
            return mutate(note) { caseload in
                guard let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) else { return }
                var decision = caseload.clients[index].decisions[d]
                if let openFrom, let i = decision.interruptions.firstIndex(where: { $0.from == openFrom }) {
                    decision.interruptions[i].from = from
                    decision.interruptions[i].resumed = resumed
                    decision.interruptions[i].reason = reason
                } else {
                    decision.interruptions.append(Interruption(from: from, resumed: resumed, reason: reason))
                }
                caseload.clients[index].decisions[d] = decision
            }
        case .close(let clientID, let decisionID):
            guard let closed = day(form, "closed"), let client = client(clientID),
                  let decision = client.decisions.first(where: { $0.id == decisionID }) else { return [] }
            choice = Choice(purpose: .confirmClose(clientID: clientID, decisionID: decisionID, day: closed),
                            title: "Avsluta beslutet om \(decision.service) för \(client.name) den \(closed)? Det finns kvar i historiken men ger inga fler bevakningar.",
                            options: ["Nej", "Ja, avsluta beslutet"])
            return []
        }
    }

    mutating func closeDecision(clientID: String, decisionID: String, on day: Day) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        form = nil
        screen = .caseDetail
        return mutate("Beslutet är avslutat \(day). Ångra med u.") { caseload in
            if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                caseload.clients[index].decisions[d].closedOn = day
            }
        }
    }

    mutating func setArchived(clientID: String, _ archived: Bool) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        let name = caseload.clients[index].name
        return mutate(archived ? "\(name) är arkiverad. Ångra med u; A i Ärenden visar arkiverade."
                      : "\(name) är återställd från arkivet.") { caseload in
            caseload.clients[index].archived = archived
        }
    }
}

public enum DecisionAction: Equatable, Sendable {
    case edit, plan, performed, close, offer, interruption

    var title: String {
        switch self {
        case .edit: return "Ändra beslut"
        case .plan: return "Genomförandeplan"
        case .performed: return "Utförd tid"
        case .close: return "Avsluta beslut"
        case .offer: return "Erbjudande"
        case .interruption: return "Avbrott"
        }
    }
}
