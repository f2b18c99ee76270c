import BevakaDomain

extension AppState {
    /// Rows for the case's body under its fixed header.
    var caseBodyRows: Int { max(1, contentHeight - caseHeaderLines.count) }

    /// Columns kept free at the right of the case's first row for the scroll position
    /// ("rad 21–40 av 120"), so it never covers the name or the personnummer.
    static let caseIndicatorColumns = 20

    /// Who the case is about: the name, the personnummer in full (the only screen that shows it)
    /// and the age. It stays at the top while the rest scrolls, and wraps (a long name moves the
    /// personnummer to a line of its own) instead of running under the scroll position.
    public var caseHeaderLines: [(text: String, role: Role)] {
        guard let id = openClientID, let client = client(id) else { return [] }
        let width = max(20, self.width - 4 - AppState.caseIndicatorColumns)
        let age = client.personnummer.age(on: today).map { ", \($0) år" } ?? ""
        let name = TerminalText.sanitize(client.name)
        let whole = "\(name)  \(client.personnummer.formatted)\(age)"
        if TerminalText.width(whole) <= width { return [(whole, .header)] }
        // The personnummer is never split: the name wraps, the number gets its own line.
        return wrap(name, width: width).map { ($0, Role.header) } + [("\(client.personnummer.formatted)\(age)", .header)]
    }

    /// The open case below its header, as lines of text wrapped to the width.
    public var caseDetailLines: [(text: String, role: Role)] {
        guard let id = openClientID, let client = client(id) else { return [("Ärendet finns inte längre.", .muted)] }
        let width = max(20, self.width - 4)
        var lines: [(String, Role)] = []
        func add(_ text: String, _ role: Role = .normal, indent: Int = 0) {
            for line in wrap(TerminalText.sanitize(text), width: width - indent) {
                lines.append((String(repeating: " ", count: indent) + line, role))
            }
        }
        for (text, role) in caseUnitLines { add(text, role) }
        if client.archived {
            add("Arkiverad: ger inga bevakningar. A återställer.", .warning)
            add(gallringWhen(client), .warning)
        }
        if client.protectedIdentity {
            // The loggkontroll is the shared store's; a file of one's own has no access log.
            add("Skyddade personuppgifter: adress, telefon och portkod visas bara här och i hembesöksläget"
                + (unit != nil ? "; varje öppning syns i loggkontrollen." : "."), .warning)
        }
        if let representative = client.representative {
            add("Företrädare: \(representative.name) (\(representative.role))"
                + (representative.contact.map { ", \($0)" } ?? ""))
        }
        if let notes = client.notes, !notes.isEmpty { add("Anteckning: \(notes)", .muted) }
        for line in client.wayToTheDoor { add(line) }
        for line in bookingLines { add(line, .highlight) }
        if let draft = client.draft {
            let entries = ChecklistLibrary.entries(for: client, draft: draft, routines: routines, checklists: checklists)
            let done = entries.filter { draft.answer($0.id).mark != .open }.count
            add("Pågående uppföljning sedan \(draft.date) (\(draft.form.label)): \(done) av \(entries.count) punkter klara. F fortsätter.",
                .warning)
        }

        lines.append(("", .normal))
        add("Beslut", .highlight)
        for decision in client.decisions {
            let profile = routines.profile(for: decision)
            var head = "• \(decision.service) (\(decision.law.label)"
            if let form = decision.form { head += ", \(form.label)" }
            head += ") \(decision.validFrom) – \(decision.validTo?.description ?? "tillsvidare")"
            if let started = decision.startedOn { head += ", verkställt \(started)" } else if decision.closedOn == nil { head += ", ej verkställt" }
            if decision.closedOn != nil { head += " [avslutat]" } else if decision.hasEnded(on: today) { head += " [har löpt ut]" }
            add(head, decision.hasEnded(on: today) || decision.closedOn != nil ? .muted : .normal)
            // A decision whose insats has no routine of its own follows the closest one: said so.
            var facts: [String] = [RoutineSources.isOwnRoutine(service: decision.service, profile: profile.id)
                                   ? "Rutin: \(profile.name)" : "Rutin: allmän rutin (som \(profile.name.lowercased()))"]
            if let provider = decision.provider {
                facts.append("Utförare: \(provider.name) (\(provider.regi.label))")
                let contact = [provider.contact, provider.phone.map { "tel \($0)" }].compactMap { $0 }.joined(separator: ", ")
                if !contact.isEmpty { facts.append("Kontakt hos utföraren: \(contact)") }
            }
            facts.append("Samtycke: \(decision.consent?.label ?? "ej registrerat")")
            if let plan = decision.plan, let dates = plan.labelledDates {
                var text = "Genomförandeplan: \(dates)"
                if plan.personTookPart == false {
                    text += ", den enskilde deltog inte" + (plan.notTakenPartReason.map { " (\($0))" } ?? "")
                }
                facts.append(text)
            } else {
                facts.append("Genomförandeplan: saknas")
            }
            if let granted = decision.grantedHours {
                var text = "Tid: beviljad \(RuleEngine.formatHours(granted)) tim/mån"
                if let performed = decision.performedHours {
                    text += ", utförd \(RuleEngine.formatHours(performed))"
                    if let month = decision.performedMonth { text += " i \(month)" }
                    if granted > 0 { text += " (\(RuleEngine.formatPercent((performed - granted) / granted * 100)))" }
                }
                facts.append(text)
            }
            add(facts.joined(separator: " · "), .normal, indent: 2)
            // Verkställighet: the decision date, offers, the part not carried out, interruptions, and
            // what the IVO report still needs.
            var carried: [String] = [decision.decidedOn.map { "Beslutat \($0)" }
                ?? "Beslutsdatum saknas; giltigt från (\(decision.validFrom)) används för tremånadersgränsen"]
            if let part = decision.notCarriedOut, !part.isEmpty { carried.append("Delvis verkställt; ej verkställt: \(part)") }
            for offer in decision.offers {
                carried.append("Erbjudande \(offer.on): \(offer.what) (\(offer.accepted ? "accepterat" : "avböjt"))")
            }
            for interruption in decision.interruptions {
                carried.append("Avbrott från \(interruption.from)" + (interruption.resumed.map { ", återupptaget \($0)" } ?? ", pågår")
                               + (interruption.reason.map { " (\($0))" } ?? ""))
            }
            if decision.startedOn == nil, let confirmed = decision.orderConfirmedOn { carried.append("Beställning bekräftad \(confirmed)") }
            if decision.startedOn == nil, let escalated = decision.escalatedOn { carried.append("Eskalerat till enhetschefen \(escalated)") }
            if let reason = decision.delayReason { carried.append("Skäl till dröjsmålet: \(reason)") }
            if let postponed = decision.postponedOn {
                carried.append("Uppskjutet på den enskildes begäran (LOV) från \(postponed): rapporteras, ingen särskild avgift")
            }
            if let consequences = decision.consequences { carried.append("Konsekvenser: \(consequences)") }
            if !decision.ivoReported.isEmpty { carried.append("Rapporterat till IVO: \(decision.ivoReported.joined(separator: ", "))") }
            let awaiting = RuleEngine.notStartedDue(decision, in: client, profile: profile) != nil
                || decision.interruptions.contains { $0.resumed == nil }
            if awaiting && (decision.delayReason ?? "").isEmpty && decision.postponedOn == nil && decision.closedOn == nil {
                carried.append("Skäl till dröjsmålet saknas: B fyller i det (IVO-rapporten är ofullständig utan det)")
            }
            if decision.decidedOn != nil || decision.startedOn == nil || carried.count > 1 {
                add(carried.joined(separator: " · "), awaiting ? .warning : .muted, indent: 2)
            }
        }
        if let identifier = client.ivoID { add("IVO-id i rapporterna: \(identifier)", .muted) }

        lines.append(("", .normal))
        add("Uppföljningar", .highlight)
        if client.followUps.isEmpty { add("Ingen uppföljning registrerad.", .muted, indent: 2) }
        for followUp in client.followUps.sorted(by: { $0.date > $1.date }) {
            var text = "\(followUp.date) \(followUp.form.label), \(followUp.trigger.label)"
            if let outcome = followUp.outcome { text += ": \(outcome.label)" }
            if !followUp.participants.isEmpty { text += ". Deltog: \(followUp.participants.joined(separator: ", "))" }
            if let notes = followUp.notes { text += ". \(notes)" }
            if followUp.journal != nil { text += " (journal: J)" }
            add(text, .normal, indent: 2)
        }

        let clientItems = itemsWithReasons(for: client)
        lines.append(("", .normal))
        add("Att göra och varför", .highlight)
        let open = clientItems.filter { !$0.isDone }
        if open.isEmpty { add("Inget att göra just nu.", .muted, indent: 2) }
        for item in open {
            let role: Role = item.due < today ? .overdue : item.due <= today.adding(days: 7) ? .dueSoon : .normal
            var head = "\(item.due) \(Reports.relative(item.due, today: today)): \(item.kind.label)"
            if item.priority != .normal { head += " [\(item.priority.label) prioritet]" }
            if item.status != .notStarted { head += " [\(item.status.label)]" }
            add(head, role, indent: 2)
            if !item.reason.isEmpty && item.kind != .manual { add(item.reason, .normal, indent: 4) }
            if item.kind == .manual { add(item.reason, .normal, indent: 4) }
            if item.kind != .manual {
                let profile = item.decisionID.flatMap { id in client.decisions.first { $0.id == id } }.map { routines.profile(for: $0).id }
                add("Regel \(item.kind.rule): \(RoutineSources.source(of: item.kind, profile: profile))", .muted, indent: 4)
            }
        }
        let done = clientItems.filter(\.isDone)
        if !done.isEmpty {
            lines.append(("", .normal))
            add("Klara bevakningar", .highlight)
            for item in done {
                add("\(item.due) \(item.kind.label)", .done, indent: 2)
            }
        }
        return lines
    }
}

/// Word wrap to `width` display columns; a word longer than the width is cut.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [text] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        let candidate = current.isEmpty ? String(word) : current + " " + word
        if TerminalText.width(candidate) <= width {
            current = candidate
        } else {
            if !current.isEmpty { lines.append(current) }
            current = TerminalText.width(String(word)) > width ? TerminalText.truncate(String(word), to: width) : String(word)
        }
    }
    lines.append(current)
    return lines
}

func drawCase(_ state: AppState, into buffer: inout CellBuffer) {
    let header = state.caseHeaderLines
    for (offset, line) in header.enumerated() {
        buffer.put(line.text, x: 2, y: 1 + offset, role: line.role)
    }
    let lines = state.caseDetailLines
    let rows = state.caseBodyRows
    let top = min(state.scroll[.caseDetail] ?? 0, max(0, lines.count - rows))
    // The selection on this screen is a scroll position: ↓ moves the view.
    for (offset, line) in lines.dropFirst(top).prefix(rows).enumerated() {
        buffer.put(line.text, x: 2, y: 1 + header.count + offset, role: line.role)
    }
    if lines.count > rows {
        let text = "rad \(top + 1)–\(min(lines.count, top + rows)) av \(lines.count)"
        buffer.put(text, x: state.width - TerminalText.width(text) - 1, y: 1, role: .muted)
    }
}

extension Client {
    /// The way to the door, as lines for the case screen.
    var wayToTheDoor: [String] {
        var lines: [String] = []
        if let address, !address.isEmpty { lines.append("Adress: \(address.oneLine)") }
        if !phones.isEmpty { lines.append("Telefon: " + phones.map { "\($0.label) \($0.number)" }.joined(separator: ", ")) }
        let door = [doorCode.map { "portkod \($0)" }, access.map { "så kommer du in: \($0)" }].compactMap { $0 }
        if !door.isEmpty { lines.append(door.joined(separator: " · ").prefix(1).uppercased() + door.joined(separator: " · ").dropFirst()) }
        return lines
    }

    /// One line for the checklist's header at a hembesök: address, door code, own phone.
    var doorSummary: String {
        [address.flatMap { $0.isEmpty ? nil : $0.oneLine }, doorCode.map { "portkod \($0)" },
         (phone(Phone.own) ?? phones.first?.number).map { "tel \($0)" }, access]
            .compactMap { $0 }.joined(separator: " · ")
    }
}

/// Ärende: one person's whole case — a full record (the access log records it).
enum CaseScreen: ScreenUnit {
    static let title = "Ärende"
    static let context = KeyContext.caseDetail

    static func listCount(_ state: AppState) -> Int { state.caseDetailLines.count }

    static func listRows(_ state: AppState) -> Int { state.caseBodyRows }

    static func currentClientID(_ state: AppState) -> String? { state.openClientID }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawCase(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? { state.openClient.map { TerminalText.sanitize($0.name) } }

    static func viewed(_ state: AppState) -> String? {
        state.openClientID.map { id in state.openPurposes[id].map { "ärende: \($0)" } ?? "ärende" }
    }
}
