import BevakaDomain

/// Checking a form across its fields and saving it: from the values its checks read.
extension AppState {
    // MARK: Checking across fields

    /// The rules between fields (an end before its start), on the fields' checked values; a
    /// field already wrong keeps its own reason.
    mutating func crossCheck(_ form: inout FormState, _ values: FormValues) {
        func fail(_ key: FieldKey, _ message: String) {
            if let index = form.fields.firstIndex(where: { $0.key == key }), form.fields[index].error == nil {
                form.fields[index].error = message
            }
        }
        let day = values.day
        switch form.purpose {
        case .newClient, .editClient:
            guard form.withoutSwedishNumber else {
                for key in [FieldKey.birthDate, .sex, .reservnummer] where values.values[key] != nil {
                    fail(key, "Fylls bara i för en person som saknar svenskt personnummer (svara ja där).")
                }
                return
            }
            if values.personnummer(.personnummer) != nil {
                fail(.personnummer, "Töm personnumret, eller svara nej på Saknar svenskt personnummer.")
            }
            if let born = day(.birthDate), born > today { fail(.birthDate, "Födelsedatumet \(born) ligger i framtiden.") }
            if day(.birthDate) == nil { fail(.birthDate, "Skriv födelsedatumet (personen saknar svenskt personnummer).") }
            if values.text(.sex) == nil { fail(.sex, "Välj kön: IVO-rapporten och statistiken behöver det när personnummer saknas.") }
            if let reserve = values.text(.reservnummer) {
                if Personnummer.occurs(in: reserve) {
                    fail(.reservnummer, "Det är ett personnummer: skriv det under Personnummer och svara nej på Saknar svenskt personnummer.")
                } else if Personnummer.normalisedReservnummer(reserve) == nil {
                    fail(.reservnummer, "Reservnumret ska ha bokstäver eller siffror, högst \(Personnummer.reservnummerLimit).")
                }
            }
            if let number = identityWithoutSwedishNumber(form, values),
               let existing = caseload.clients.first(where: { $0.personnummer == number && $0.id != form.clientID }) {
                fail(.birthDate, "\(existing.name) har redan samma födelsedatum, kön och \(number.reservnummer == nil ? "namn" : "reservnummer").")
            }
        case .newDecision, .editDecision:
            if let from = day(.validFrom), let to = day(.validTo), to < from {
                fail(.validTo, "Gäller till (\(to)) ligger före gäller från (\(from)).")
            }
            if let from = day(.validFrom), let started = day(.started), started < from {
                fail(.started, "Verkställt (\(started)) ligger före beslutets början (\(from)).")
            }
            if let decided = day(.decided) {
                if decided > today { fail(.decided, "Beslutsdatumet \(decided) ligger i framtiden.") }
                if let from = day(.validFrom), decided > from {
                    fail(.decided, "Beslutsdatumet \(decided) ligger efter gäller från (\(from)); ett beslut fattas innan det gäller.")
                } else if let from = day(.validFrom), decided < from.adding(months: -24) {
                    fail(.decided, "Beslutsdatumet \(decided) ligger mer än två år före gäller från (\(from)).")
                }
            }
            for key in [FieldKey.orderConfirmed, .escalated] {
                if let answered = day(key), answered > today { fail(key, "Datumet \(answered) ligger i framtiden.") }
                if let answered = day(key), let decided = day(.decided) ?? day(.validFrom), answered < decided {
                    fail(key, "Datumet \(answered) ligger före beslutet (\(decided)).")
                }
            }
            if values.text(.provider) == nil && values.text(.regi) != nil {
                fail(.provider, "Skriv utförarens namn, eller töm regi.")
            }
            if values.choice(.law, as: LawChoice.self) == .lss, let service = values.text(.service),
               routines.catalog.law(forService: service) == .sol {
                fail(.service, "\(service) är en insats enligt SoL, inte LSS.")
            }
        case .plan:
            for key in [FieldKey.received, .established, .revised] {
                if let date = day(key), date > today { fail(key, "Datumet ligger i framtiden.") }
            }
            if let established = day(.established), let revised = day(.revised), revised < established {
                fail(.revised, "Reviderad (\(revised)) ligger före upprättad (\(established)).")
            }
        case .performed:
            if values.hours(.performedHours) == nil { fail(.performedHours, "Skriv den utförda tiden.") }
            if values.month(.month) == nil { fail(.month, "Skriv vilken månad tiden gäller.") }
        case .close(let clientID, let decisionID):
            if let closed = day(.closed),
               let decision = client(clientID)?.decisions.first(where: { $0.id == decisionID }), closed < decision.validFrom {
                fail(.closed, "Beslutet började först \(decision.validFrom).")
            }
        case .booking:
            if let date = day(.date), date < today { fail(.date, "Ett besök bokas idag eller senare, inte \(date).") }
            // A time that does not exist that day is no time to meet at.
            if let date = day(.date), let start = values.minutes(.time) {
                let shown = form.field(.time)?.text.trimmingCharacters(in: .whitespaces) ?? ""
                switch StockholmTime.check(date, minutes: start) {
                case .missing: fail(.time, "\(shown) finns inte den dagen (sommartid börjar, klockan går från 02:00 till 03:00).")
                case .twice, .ok: break  // which of the two is asked when it is saved
                }
            }
        case .offer:
            if let on = day(.offeredOn), on > today { fail(.offeredOn, "Ett erbjudande registreras när det har lämnats, inte \(on).") }
        case .interruption:
            if let from = day(.interruptedFrom), from > today { fail(.interruptedFrom, "Avbrottet \(from) ligger i framtiden.") }
            if let from = day(.interruptedFrom), let resumed = day(.resumed), resumed < from {
                fail(.resumed, "Återupptaget (\(resumed)) ligger före avbrottet (\(from)).")
            }
            if let resumed = day(.resumed), resumed > today { fail(.resumed, "Datumet ligger i framtiden.") }
        }
    }

    /// The identity of a person without a Swedish personnummer, from the form: the birth date, the
    /// sex and the reservnummer (or the name). A person edited keeps the identity they had when
    /// only the name changed, so a correction of a spelling is not a new person.
    func identityWithoutSwedishNumber(_ form: FormState, _ values: FormValues) -> Personnummer? {
        guard form.withoutSwedishNumber, values.personnummer(.personnummer) == nil, let born = values.day(.birthDate),
              let sex = values.choice(.sex, as: SexChoice.self)?.sex, let name = values.text(.name) else { return nil }
        let reserve = values.text(.reservnummer)
        if reserve != nil, reserve.flatMap(Personnummer.normalisedReservnummer) == nil { return nil }
        let made = Personnummer.withoutSwedishNumber(born: born, sex: sex, reservnummer: reserve, name: name)
        if let id = form.clientID, let before = client(id)?.personnummer, before.isWithoutSwedishNumber,
           before.birthDate == born, before.sex == sex, before.reservnummer == made.reservnummer {
            return before
        }
        return made
    }

    // MARK: Saving

    /// Saves a checked form from its fields' checked values (`FormState.check`).
    mutating func commitForm(_ form: FormState, _ values: FormValues) -> [Effect] {
        let text = values.text, day = values.day, yes = values.yes
        switch form.purpose {
        case .newClient, .editClient:
            guard let number = values.personnummer(.personnummer) ?? identityWithoutSwedishNumber(form, values),
                  let name = text(.name) else { return [] }
            if case .editClient(let id) = form.purpose, let index = clientIndex[id] {
                self.form = nil
                screen = .caseDetail
                return mutate("Uppgifterna om \(name) är sparade.") { caseload in
                    caseload.clients[index].personnummer = number
                    AppState.personFields.save(values, into: &caseload.clients[index])
                }
            }
            var newID = ""
            let effects = mutate("\(name) är tillagd. Lägg till ett beslut med b.") { caseload in
                newID = caseload.makeID("c")
                var added = Client(id: newID, name: name, personnummer: number)
                AppState.personFields.save(values, into: &added)
                caseload.clients.append(added)
            }
            self.form = nil
            openCase(newID)
            return effects
        case .newDecision(let clientID), .editDecision(let clientID, _):
            guard let index = clientIndex[clientID], let from = day(.validFrom), let service = text(.service) else { return [] }
            var decisionID: String?
            if case .editDecision(_, let id) = form.purpose { decisionID = id }
            self.form = nil
            screen = .caseDetail
            openClientID = clientID
            return mutate("Beslutet om \(service) är sparat.") { caseload in
                var decision = decisionID.flatMap { id in caseload.clients[index].decisions.first { $0.id == id } }
                    ?? Decision(id: caseload.makeID("d"), law: .sol, service: service, validFrom: from)
                AppState.decisionFields().save(values, into: &decision)
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decision.id }) {
                    caseload.clients[index].decisions[d] = decision
                } else {
                    caseload.clients[index].decisions.append(decision)
                }
            }
        case .plan(let clientID, let decisionID):
            guard let index = clientIndex[clientID] else { return [] }
            var plan = CarePlan()
            AppState.planFields.save(values, into: &plan)
            self.form = nil
            screen = .caseDetail
            return mutate("Genomförandeplanen är sparad.") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].plan = plan == CarePlan() ? nil : plan
                }
            }
        case .performed(let clientID, let decisionID):
            guard let index = clientIndex[clientID], let month = values.month(.month) else { return [] }
            self.form = nil
            screen = .caseDetail
            return mutate("Utförd tid för \(String(format: "%04d-%02d", month.year, month.month)) är sparad.") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    AppState.performedFields(lastMonth: "").save(values, into: &caseload.clients[index].decisions[d])
                }
            }
        case .booking(let clientID, let fromChecklist):
            return commitBooking(values, clientID: clientID, fromChecklist: fromChecklist)
        case .offer(let clientID, let decisionID):
            guard let index = clientIndex[clientID], day(.offeredOn) != nil, text(.offered) != nil, yes(.accepted) != nil else {
                return []
            }
            var offer = Offer(on: today, what: "", accepted: false)
            AppState.offerFields.save(values, into: &offer)
            self.form = nil
            screen = .caseDetail
            return mutate("Erbjudandet \(offer.on) till \(personName(clientID)) är registrerat (\(offer.accepted ? "accepterat" : "avböjt")).") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].offers.append(offer)
                }
            }
        case .interruption(let clientID, let decisionID, let openFrom):
            guard let index = clientIndex[clientID], let from = day(.interruptedFrom) else { return [] }
            let resumed = day(.resumed)
            self.form = nil
            screen = .caseDetail
            let note = resumed.map { "Avbrottet för \(personName(clientID)) från \(from) är återupptaget \($0)." }
                ?? "Avbrottet för \(personName(clientID)) från \(from) är registrerat."
            return mutate(note) { caseload in
                guard let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) else { return }
                var decision = caseload.clients[index].decisions[d]
                if let openFrom, let i = decision.interruptions.firstIndex(where: { $0.from == openFrom }) {
                    AppState.interruptionFields.save(values, into: &decision.interruptions[i])
                } else {
                    var new = Interruption(from: from)
                    AppState.interruptionFields.save(values, into: &new)
                    decision.interruptions.append(new)
                }
                caseload.clients[index].decisions[d] = decision
            }
        case .close(let clientID, let decisionID):
            guard let client = client(clientID), var decision = client.decisions.first(where: { $0.id == decisionID }) else {
                return []
            }
            AppState.closeFields.save(values, into: &decision)
            guard let closed = decision.closedOn else { return [] }
            push(.choice(Choice("Avsluta beslutet om \(decision.service) för \(client.name) den \(closed)? Det finns kvar i historiken men ger inga fler bevakningar.", [
                .init("Nej", .say("Beslutet är inte avslutat.")),
                .init("Ja, avsluta beslutet", .closeDecision(clientID: clientID, decisionID: decisionID, day: closed)),
            ])))
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

    /// When the person would be gallrad by the rule in force: the unit's (shared store) or this
    /// computer's profiles.json.
    func gallringWhen(_ client: Client) -> String {
        if let unit { return Gallring.when(client, months: unit.gallringMonths, unit: true, today: today) }
        return Gallring.when(client, months: routines.gallringMonths, unit: false, today: today)
    }

    mutating func setArchived(clientID: String, _ archived: Bool) -> [Effect] {
        guard let index = clientIndex[clientID] else { return [] }
        let name = caseload.clients[index].name
        var after = caseload.clients[index]
        after.archived = true
        return mutate(archived ? "\(name) är arkiverad. \(gallringWhen(after)) Ångra med u; A i Ärenden visar arkiverade."
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
