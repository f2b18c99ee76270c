/// The quarterly report to IVO and the revisorer of decisions not carried out within three months
/// (R11; 34 kap. 1 § SoL (2025:400), 28 f § LSS) and interruptions not resumed within three months
/// (R12): new reports, continued reports (reported before and still not carried out) and closing
/// reports (carried out, resumed or closed since; 34 kap. 2 § SoL, 28 g § LSS).
///
/// IVO's e-tjänst picks the person by personnummer (or samordningsnummer), so the report gives it
/// in full — the handläggare or huvudrapportör types it in; the file is theirs alone (0600). Only a
/// person without one is given IVO's `ÅÅÅÅMMDD-T###` form ("Hur rapporterar jag in ett beslut som
/// rör en person utan svenskt personnummer?"). No name.
public struct IVOReport: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case notStarted = "ej verkställt beslut"
        case interrupted = "avbrott"
    }

    public enum Status: String, Sendable {
        case new = "ny"
        case continued = "fortsatt"
        case closing = "avslutas"
    }

    public struct Entry: Sendable, Equatable {
        public var clientID: String
        public var decisionID: String
        /// For an interruption: its start (which interruption of the decision).
        public var interruptionFrom: Day?
        public var kind: Kind
        public var status: Status
        /// nil until made (`assignIdentifiers`); used only for a person without a personnummer.
        public var ivoID: String?
        /// What the reporter types into IVO's e-tjänst to pick the person.
        public var personnummer: Personnummer
        /// Protected identity: IVO asks for the e-tjänst (never e-mail) and the words
        /// "Personen har skyddade personuppgifter" in the information box.
        public var protectedIdentity: Bool
        public var law: Law
        public var service: String
        /// The decision date (R11) or the interruption's start (R12).
        public var since: Day
        public var decisionDateKnown: Bool
        /// Days from `since` to the quarter's end (or to the day it was carried out, resumed or closed).
        public var daysWaited: Int
        public var offers: [Offer]
        public var notCarriedOut: String?
        public var reason: String?
        public var consequences: String?
        /// The person asked to postpone the start within LOV (SoL), from this day.
        public var postponedOn: Day?
        /// Carried out, resumed or closed, with the day.
        public var endedOn: Day?
        public var endedHow: String?
        /// In the unit's report (the manager's, on the shared store): whose case it is.
        public var handlaggare: String?

        /// A report without the reason for the delay is incomplete (IVO asks for it); a start the
        /// person postponed within LOV is a reason.
        public var isComplete: Bool {
            !(reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty || postponedOn != nil || status == .closing
        }

        /// "Uppskjutet på den enskildes begäran inom valfrihetssystem (LOV) från …": its own reason.
        public var postponementText: String? {
            guard let postponedOn, kind == .notStarted else { return nil }
            return "Uppskjutet på den enskildes begäran inom valfrihetssystem (LOV) från \(postponedOn); "
                + "rapporteras ändå, men ingen särskild avgift (34 kap. 6 § SoL (2025:400))"
        }
    }

    public var quarter: Quarter
    public var entries: [Entry]
    /// Identifiers replaced because they were not in IVO's form: (old, new).
    public var replacedIdentifiers: [(old: String, new: String)] = []
    /// People who had a T-form identifier but have a personnummer: it is no longer used (said once).
    public var retiredIdentifiers = 0
    /// The quarter has not ended: what is known so far, not a report to send.
    public var preliminary = false
    /// The unit's report: every handläggare's decisions, each once (set by `forUnit`).
    public var unitWide = false

    /// The unit's report from the manager's reading of every case: each entry names its
    /// handläggare, and the entries are grouped by them (name order) within new, continued and
    /// closing. A case covered by a colleague has one owner, so it is reported once.
    public mutating func forUnit(owners: [String: String]) {
        unitWide = true
        for index in entries.indices { entries[index].handlaggare = owners[entries[index].clientID] ?? "okänd handläggare" }
        let order: [Status: Int] = [.new: 0, .continued: 1, .closing: 2]
        entries = entries.enumerated().sorted { a, b in
            if a.element.status != b.element.status { return order[a.element.status, default: 0] < order[b.element.status, default: 0] }
            let (x, y) = (a.element.handlaggare ?? "", b.element.handlaggare ?? "")
            return x != y ? x.localizedStandardCompare(y) == .orderedAscending : a.offset < b.offset
        }.map(\.element)
    }

    public static func == (a: IVOReport, b: IVOReport) -> Bool {
        a.quarter == b.quarter && a.entries == b.entries && a.replacedIdentifiers.map(\.old) == b.replacedIdentifiers.map(\.old)
            && a.replacedIdentifiers.map(\.new) == b.replacedIdentifiers.map(\.new)
    }

    public var new: [Entry] { entries.filter { $0.status == .new } }
    public var continued: [Entry] { entries.filter { $0.status == .continued } }
    public var closing: [Entry] { entries.filter { $0.status == .closing } }

    /// The report for `quarter`, from what the store says was reported before.
    public static func make(caseload: Caseload, routines: RoutineSet, quarter: Quarter) -> IVOReport {
        let end = quarter.last
        let label = quarter.description
        var entries: [Entry] = []
        for client in caseload.clients {
            for decision in client.decisions {
                let profile = routines.profile(for: decision)
                let earlier = decision.ivoReported.filter { (Quarter(parsing: $0) ?? quarter) < quarter }
                func entry(_ kind: Kind, _ status: Status, since: Day, until: Day, endedOn: Day?, endedHow: String?,
                           interruption: Interruption?) -> Entry {
                    // The report goes to IVO and promises no personnummer: any typed into free text is masked.
                    func free(_ text: String?) -> String? { text.map { TerminalText.maskPersonalNumbers($0) } }
                    return Entry(clientID: client.id, decisionID: decision.id, interruptionFrom: interruption?.from, kind: kind,
                          status: status, ivoID: client.ivoID, personnummer: client.personnummer,
                          protectedIdentity: client.protectedIdentity, law: decision.law, service: free(decision.service) ?? "",
                          since: since, decisionDateKnown: kind == .interrupted || decision.decidedOn != nil,
                          daysWaited: max(0, since.days(until: until)),
                          offers: decision.offers.map { Offer(on: $0.on, what: free($0.what) ?? "", accepted: $0.accepted) },
                          notCarriedOut: free(decision.notCarriedOut),
                          reason: free(interruption.map { $0.reason ?? decision.delayReason } ?? decision.delayReason),
                          consequences: free(decision.consequences),
                          postponedOn: decision.law == .sol ? decision.postponedOn : nil, endedOn: endedOn, endedHow: endedHow)
                }
                // R11, as things stood at the quarter's end.
                if let months = profile.notStartedMonths {
                    let limit = decision.decisionDate.adding(months: months)
                    let closed = decision.closedOn.map { $0 <= end } ?? false
                    let started = decision.startedOn.map { $0 <= end } ?? false
                    let partial = !(decision.notCarriedOut ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                    let outstanding = !closed && (!started || partial)
                    // Ended before its three months had passed: no report obligation arose.
                    let endedEarly = decision.validTo.map { $0 < limit } ?? false
                    if limit <= end && outstanding && !endedEarly {
                        entries.append(entry(.notStarted, earlier.isEmpty ? .new : .continued, since: decision.decisionDate,
                                             until: end, endedOn: nil, endedHow: nil, interruption: nil))
                    } else if !earlier.isEmpty && !outstanding
                                && (decision.ivoClosingReported == nil || decision.ivoClosingReported == label) {
                        let day = closed ? decision.closedOn : decision.startedOn
                        entries.append(entry(.notStarted, .closing, since: decision.decisionDate, until: day ?? end,
                                             endedOn: day, endedHow: closed ? "avslutat" : "verkställt", interruption: nil))
                    }
                }
                // R12, each interruption.
                if let months = profile.interruptionMonths {
                    for interruption in decision.interruptions {
                        let limit = interruption.from.adding(months: months)
                        let reported = (interruption.ivoReported ?? []).filter { (Quarter(parsing: $0) ?? quarter) < quarter }
                        let resumed = interruption.resumed.map { $0 <= end } ?? false
                        let closed = decision.closedOn.map { $0 <= end } ?? false
                        if limit <= end && !resumed && !closed {
                            entries.append(entry(.interrupted, reported.isEmpty ? .new : .continued, since: interruption.from,
                                                 until: end, endedOn: nil, endedHow: nil, interruption: interruption))
                        } else if !reported.isEmpty && (resumed || closed)
                                    && (interruption.ivoClosingReported == nil || interruption.ivoClosingReported == label) {
                            let day = resumed ? interruption.resumed : decision.closedOn
                            entries.append(entry(.interrupted, .closing, since: interruption.from, until: day ?? end,
                                                 endedOn: day, endedHow: resumed ? "återupptaget" : "avslutat",
                                                 interruption: interruption))
                        }
                    }
                }
            }
        }
        let order: [Status: Int] = [.new: 0, .continued: 1, .closing: 2]
        entries.sort { a, b in
            if a.status != b.status { return order[a.status, default: 0] < order[b.status, default: 0] }
            return (a.since, a.clientID, a.decisionID) < (b.since, b.clientID, b.decisionID)
        }
        return IVOReport(quarter: quarter, entries: entries)
    }

    /// How the reporter picks the person in IVO's e-tjänst: the personnummer (or samordningsnummer)
    /// in full, or IVO's T-form for a person without one.
    public static func identity(_ entry: Entry) -> String {
        entry.personnummer.hasSwedishNumber ? entry.personnummer.formatted : (entry.ivoID ?? "–")
    }

    /// Gives every person in the report an IVO identifier, kept in the caseload (made once, from
    /// the birth date and the sex digit, never colliding with another person's). Returns whether
    /// any was made (the store should then be saved).
    @discardableResult
    public static func assignIdentifiers(_ report: inout IVOReport, caseload: inout Caseload) -> Bool {
        // A person with a personnummer is reported by it: a T-form identifier kept from before is
        // no longer used, and removed (the report says so, once).
        var retired = false
        for index in caseload.clients.indices where caseload.clients[index].personnummer.hasSwedishNumber
            && caseload.clients[index].ivoID != nil {
            caseload.clients[index].ivoID = nil
            report.retiredIdentifiers += 1
            retired = true
        }
        for position in report.entries.indices where report.entries[position].personnummer.hasSwedishNumber {
            report.entries[position].ivoID = nil
        }
        return assignTForm(&report, caseload: &caseload) || retired
    }

    /// IVO's T-form for each person in the report without a Swedish personnummer.
    static func assignTForm(_ report: inout IVOReport, caseload: inout Caseload) -> Bool {
        // Identifiers already in IVO's form are kept (the same for the whole reporting); one in
        // an older form, or another person's, is replaced once and the report says so.
        var used = Set(caseload.clients.compactMap { client in
            client.ivoID.flatMap { IVOIdentifier.isValid($0, for: client.personnummer) ? $0 : nil }
        })
        var made = false
        let index = Dictionary(caseload.clients.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [String: String] = [:]  // identifier → client id, for duplicates
        for position in report.entries.indices where !report.entries[position].personnummer.hasSwedishNumber {
            guard let at = index[report.entries[position].clientID] else { continue }
            let client = caseload.clients[at]
            let stored = client.ivoID
            let keep = stored.map { IVOIdentifier.isValid($0, for: client.personnummer) && (seen[$0] ?? client.id) == client.id } ?? false
            if !keep {
                if let stored, IVOIdentifier.isValid(stored, for: client.personnummer) { used.remove(stored) }
                var attempt = 0
                while let candidate = IVOIdentifier.make(for: client.personnummer, attempt: attempt), attempt <= 2000 {
                    if !used.contains(candidate) {
                        caseload.clients[at].ivoID = candidate
                        used.insert(candidate)
                        made = true
                        if let stored { report.replacedIdentifiers.append((old: stored, new: candidate)) }
                        break
                    }
                    attempt += 1
                }
                if let stored { used.insert(stored) }
            }
            if let id = caseload.clients[at].ivoID { seen[id] = client.id }
            report.entries[position].ivoID = caseload.clients[at].ivoID
        }
        return made
    }

    /// `--markera-skickad`: records that this quarter's report was sent, so the next quarter knows
    /// what is continued and what was closed.
    public static func markSent(_ report: IVOReport, in caseload: inout Caseload) {
        let label = report.quarter.description
        let index = Dictionary(caseload.clients.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in report.entries {
            guard let at = index[entry.clientID],
                  let d = caseload.clients[at].decisions.firstIndex(where: { $0.id == entry.decisionID }) else { continue }
            var decision = caseload.clients[at].decisions[d]
            switch (entry.kind, entry.status) {
            case (.notStarted, .closing):
                decision.ivoClosingReported = label
            case (.notStarted, _):
                if !decision.ivoReported.contains(label) { decision.ivoReported.append(label) }
            case (.interrupted, let status):
                guard let i = decision.interruptions.firstIndex(where: { $0.from == entry.interruptionFrom }) else { continue }
                if status == .closing {
                    decision.interruptions[i].ivoClosingReported = label
                } else if !(decision.interruptions[i].ivoReported ?? []).contains(label) {
                    decision.interruptions[i].ivoReported = (decision.interruptions[i].ivoReported ?? []) + [label]
                }
            }
            caseload.clients[at].decisions[d] = decision
        }
    }

    // MARK: Output (the personnummer, as IVO's e-tjänst asks; no name)

    static func offersText(_ offers: [Offer]) -> String {
        offers.map { "\($0.on) \(TerminalText.sanitize($0.what)) (\($0.accepted ? "accepterat" : "avböjt"))" }.joined(separator: "; ")
    }

    public func text() -> String {
        var lines = (preliminary ? ["PRELIMINÄR: kvartalet är inte slut; det här är vad som är känt hittills, ingen rapport att skicka.", ""] : [])
        lines += ["Rapport till IVO och revisorerna: ej verkställda beslut och avbrott, kvartal \(quarter.number) \(quarter.year) "
                        + "(\(quarter.first)–\(quarter.last)). 34 kap. 1–2 §§ SoL (2025:400), 28 f–g §§ LSS.",
                  "Lämnas i IVO:s e-tjänst (huvudrapportören väljer förvaltning och personnummer); samma uppgifter till revisorerna. "
                        + "Personnummer i klartext: filen är bara din, skicka den aldrig med e-post.",
                     "Nya: \(new.count). Fortsatta: \(continued.count). Avslutade: \(closing.count)."
                        + (entries.contains { !$0.isComplete } ? " Ofullständiga (skäl saknas): \(entries.filter { !$0.isComplete }.count)." : "")]
        if retiredIdentifiers > 0 {
            lines.append("IVO-id i T-form används inte längre för \(retiredIdentifiers == 1 ? "1 person" : "\(retiredIdentifiers) personer") "
                         + "med personnummer: IVO:s e-tjänst tar personnumret. T-formen gäller bara den som saknar svenskt personnummer.")
        }
        for replaced in replacedIdentifiers {
            lines.append("Nytt IVO-id \(replaced.new) (tidigare \(TerminalText.maskPersonalNumbers(TerminalText.sanitize(replaced.old)))): det gamla var inte i IVO:s form.")
        }
        if unitWide {
            var counts: [String: (all: Int, incomplete: Int)] = [:]
            for entry in entries {
                let name = entry.handlaggare ?? "okänd handläggare"
                counts[name, default: (0, 0)].all += 1
                if !entry.isComplete { counts[name, default: (0, 0)].incomplete += 1 }
            }
            lines.append("Enhetens rapport (huvudrapportören lämnar den för nämnden); varje beslut en gång. Per handläggare: "
                         + counts.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }.map { name in
                             let count = counts[name] ?? (0, 0)
                             return "\(TerminalText.sanitize(name)) \(count.all)" + (count.incomplete > 0 ? " (\(count.incomplete) ofullständiga)" : "")
                         }.joined(separator: ", ") + (counts.isEmpty ? "ingen" : "") + ".")
        }
        for (title, part) in [("Nya rapporter", new), ("Fortsatta rapporter", continued),
                              ("Avslutande rapporter: verkställda, återupptagna eller avslutade (34 kap. 2 § SoL, 28 g § LSS)", closing)] {
            lines.append("")
            lines.append("\(title) (\(part.count))")
            var currentHandlaggare: String?
            for entry in part {
                if unitWide, entry.handlaggare != currentHandlaggare {
                    currentHandlaggare = entry.handlaggare
                    lines.append(" Handläggare: \(TerminalText.sanitize(entry.handlaggare ?? "okänd handläggare"))")
                }
                var head = "  \(IVOReport.identity(entry))  \(entry.law == .lss ? "LSS" : "SoL")  \(TerminalText.sanitize(entry.service))  "
                head += entry.kind == .notStarted ? "beslut \(entry.since)" + (entry.decisionDateKnown ? "" : " (giltigt från; beslutsdatum saknas)")
                    : "avbrott från \(entry.since)"
                head += "  \(entry.daysWaited) dagar"
                if entry.kind == .interrupted { head += "  [avbrott]" }
                lines.append(head)
                if let part = entry.notCarriedOut, !part.isEmpty { lines.append("    Delvis verkställt; ej verkställt: \(TerminalText.sanitize(part))") }
                if !entry.offers.isEmpty { lines.append("    Erbjudanden: \(IVOReport.offersText(entry.offers))") }
                if let postponed = entry.postponementText, entry.status != .closing { lines.append("    Skäl: \(postponed)") }
                if entry.status != .closing, entry.reason != nil || entry.postponedOn == nil {
                    lines.append("    Skäl: " + (entry.reason.map(TerminalText.sanitize) ?? "SAKNAS – rapporten är ofullständig"))
                    if let consequences = entry.consequences { lines.append("    Konsekvenser: \(TerminalText.sanitize(consequences))") }
                }
                if let ended = entry.endedOn { lines.append("    \(entry.endedHow ?? "avslutat") \(ended)") }
                if unitWide, !entry.isComplete { lines.append("    OFULLSTÄNDIG: skäl till dröjsmålet saknas; handläggaren fyller i det (B på ärendet).") }
                if entry.protectedIdentity {
                    lines.append("    Skyddade personuppgifter: skriv \"Personen har skyddade personuppgifter\" i e-tjänstens "
                                 + "informationsruta. Rapportera bara i e-tjänsten, aldrig med e-post.")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let csvHeader = ["kvartal", "status", "typ", "personnummer", "skyddade_personuppgifter", "lag", "insats",
                                   "beslutsdatum_eller_avbrott", "beslutsdatum_kant", "dagar", "delvis_ej_verkstallt",
                                   "erbjudanden", "skal", "uppskjutet_lov", "konsekvenser", "verkstallt_eller_avslutat", "hur", "komplett"]

    public func csvRows() -> [[String]] {
        [IVOReport.csvHeader + (unitWide ? ["handlaggare"] : [])] + entries.map { entry in
            [quarter.description, entry.status.rawValue, entry.kind.rawValue, IVOReport.identity(entry),
             entry.protectedIdentity ? "ja" : "nej", entry.law == .lss ? "LSS" : "SoL",
             entry.service, entry.since.description, entry.decisionDateKnown ? "ja" : "nej", "\(entry.daysWaited)",
             entry.notCarriedOut ?? "", IVOReport.offersText(entry.offers), entry.reason ?? "",
             entry.postponedOn?.description ?? "", entry.consequences ?? "",
             entry.endedOn?.description ?? "", entry.endedHow ?? "", entry.isComplete ? "ja" : "nej"]
                + (unitWide ? [entry.handlaggare ?? ""] : [])
        }
    }

    public func jsonObject() -> [String: Any] {
        func object(_ entry: Entry) -> [String: Any] {
            var value: [String: Any] = [
                "status": entry.status.rawValue, "typ": entry.kind.rawValue, "personnummer": IVOReport.identity(entry),
                "skyddadePersonuppgifter": entry.protectedIdentity,
                "lag": entry.law == .lss ? "LSS" : "SoL", "insats": entry.service, "sedan": entry.since.description,
                "beslutsdatumKant": entry.decisionDateKnown, "dagar": entry.daysWaited, "komplett": entry.isComplete,
                "erbjudanden": entry.offers.map { ["datum": $0.on.description, "vad": $0.what, "accepterat": $0.accepted] as [String: Any] },
            ]
            if let part = entry.notCarriedOut { value["delvisEjVerkstallt"] = part }
            if let reason = entry.reason { value["skal"] = reason }
            if let postponed = entry.postponedOn { value["uppskjutetLOV"] = postponed.description }
            if let consequences = entry.consequences { value["konsekvenser"] = consequences }
            if let ended = entry.endedOn { value["slut"] = ended.description; value["hur"] = entry.endedHow ?? "" }
            if let handlaggare = entry.handlaggare { value["handlaggare"] = handlaggare }
            return value
        }
        return ["kvartal": quarter.description, "fran": quarter.first.description, "till": quarter.last.description,
                "preliminar": preliminary, "mottagare": ["IVO", "revisorerna"], "enheten": unitWide,
                "nya": new.map(object), "fortsatta": continued.map(object), "avslutade": closing.map(object),
                "nyaIvoId": replacedIdentifiers.map {
                    ["nytt": $0.new, "tidigare": TerminalText.maskPersonalNumbers($0.old)]
                }]
    }
}
