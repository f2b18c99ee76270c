/// How an item stands during a follow-up.
public enum ChecklistMark: String, Codable, Sendable {
    case open, done, notApplicable

    public var label: String {
        switch self {
        case .open: return "öppen"
        case .done: return "klar"
        case .notApplicable: return "ej aktuell"
        }
    }
}

public struct ChecklistAnswer: Codable, Sendable, Equatable {
    public var mark: ChecklistMark
    public var note: String?
    public var date: Day?

    public init(mark: ChecklistMark = .open, note: String? = nil, date: Day? = nil) {
        self.mark = mark
        self.note = note
        self.date = date
    }

    public var isEmpty: Bool { mark == .open && (note ?? "").isEmpty && date == nil }
}

/// The text of an answer being written, not yet saved by the user.
public struct UnsavedAnswer: Codable, Sendable, Equatable {
    /// The checklist item (`ChecklistEntry.id`).
    public var entry: String
    public var text: String

    public init(entry: String, text: String) {
        self.entry = entry
        self.text = text
    }
}

/// A follow-up in progress: what started it, how it is done, the answers so far, and where the
/// handläggare was in the list. Stored in the case after every keystroke, so a closed terminal or
/// a crash resumes exactly here.
public struct FollowUpDraft: Codable, Sendable, Equatable {
    public var date: Day
    public var form: FollowUpForm
    public var trigger: FollowUpTrigger
    public var participants: [String]
    /// Keyed by `ChecklistEntry.id`.
    public var answers: [String: ChecklistAnswer]
    /// The decisions followed up (R8: all the person's current ones, fixed when it starts).
    public var decisionIDs: [String]
    /// The phase and item the cursor was on.
    public var phase: ChecklistPhase
    public var cursor: String?
    /// The journal text once the handläggare has edited it; nil while it is drafted from the answers.
    public var journal: String?
    /// The manual reminder the follow-up was started from, marked done when it is finished.
    public var reminderID: String?
    /// Set when the follow-up is finished, so the journal can say it.
    public var outcome: FollowUpOutcome?
    /// Text being written into an answer and not yet saved with Ctrl-S (kept a moment after
    /// typing stops, and when the terminal closes), restored into the editor at the next start.
    public var unsaved: UnsavedAnswer?

    public init(date: Day, form: FollowUpForm, trigger: FollowUpTrigger, participants: [String] = [],
                answers: [String: ChecklistAnswer] = [:], decisionIDs: [String] = [],
                phase: ChecklistPhase = .prepare, cursor: String? = nil, journal: String? = nil,
                reminderID: String? = nil, outcome: FollowUpOutcome? = nil) {
        self.date = date
        self.form = form
        self.trigger = trigger
        self.participants = participants
        self.answers = answers
        self.decisionIDs = decisionIDs
        self.phase = phase
        self.cursor = cursor
        self.journal = journal
        self.reminderID = reminderID
        self.outcome = outcome
    }

    /// Starts a follow-up of every decision of the person that is not closed (R8); ended ones
    /// are included so the checklist can tell the person to apply again (R9).
    public static func start(for client: Client, date: Day, form: FollowUpForm, trigger: FollowUpTrigger,
                             reminderID: String? = nil) -> FollowUpDraft {
        var draft = FollowUpDraft(date: date, form: form, trigger: trigger,
                                  decisionIDs: client.decisions.filter { $0.closedOn == nil }.map(\.id), reminderID: reminderID)
        // A visit already booked answers the checklist's "boka" item.
        if let booking = client.booking, booking.date >= date { draft.recordBooking(booking) }
        return draft
    }

    /// The `bokamote` item is answered by a booking.
    public mutating func recordBooking(_ booking: Booking) {
        answers[FollowUpDraft.bookingItem] = ChecklistAnswer(mark: .done, note: "Bokat \(booking.date) kl. \(booking.startText)")
    }

    public static let bookingItem = "bokamote"

    public func answer(_ id: String) -> ChecklistAnswer { answers[id] ?? ChecklistAnswer() }

    /// Required items not yet done or marked not applicable.
    public func unanswered(_ entries: [ChecklistEntry]) -> [ChecklistEntry] {
        entries.filter { $0.template.required && answer($0.id).mark == .open }
    }

    /// What finishing the follow-up (`S`) does itself: it records the follow-up with its journal
    /// note and sets the next bevakning. Never "open" when `S` asks (issue 35, item 15).
    public static let doneByFinishing: Set<String> = ["handelse", "nastabevakning"]

    /// The required items still open that finishing would not carry out itself.
    public func openBeforeFinishing(_ entries: [ChecklistEntry]) -> [ChecklistEntry] {
        unanswered(entries).filter { !FollowUpDraft.doneByFinishing.contains($0.template.id) }
    }

    enum CodingKeys: String, CodingKey {
        case date, form, trigger, participants, answers
        case decisionIDs = "decisions"
        case phase, cursor, journal
        case reminderID = "reminder"
        case outcome, unsaved
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        date = try c.decode(Day.self, forKey: .date)
        form = try c.decode(FollowUpForm.self, forKey: .form)
        trigger = try c.decode(FollowUpTrigger.self, forKey: .trigger)
        participants = try c.decodeIfPresent([String].self, forKey: .participants) ?? []
        answers = try c.decodeIfPresent([String: ChecklistAnswer].self, forKey: .answers) ?? [:]
        decisionIDs = try c.decodeIfPresent([String].self, forKey: .decisionIDs) ?? []
        phase = try c.decodeIfPresent(ChecklistPhase.self, forKey: .phase) ?? .prepare
        cursor = try c.decodeIfPresent(String.self, forKey: .cursor)
        journal = try c.decodeIfPresent(String.self, forKey: .journal)
        reminderID = try c.decodeIfPresent(String.self, forKey: .reminderID)
        outcome = try c.decodeIfPresent(FollowUpOutcome.self, forKey: .outcome)
        unsaved = try c.decodeIfPresent(UnsavedAnswer.self, forKey: .unsaved)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encode(form, forKey: .form)
        try c.encode(trigger, forKey: .trigger)
        if !participants.isEmpty { try c.encode(participants, forKey: .participants) }
        if !answers.isEmpty { try c.encode(answers, forKey: .answers) }
        try c.encode(decisionIDs, forKey: .decisionIDs)
        try c.encode(phase, forKey: .phase)
        try c.encodeIfPresent(cursor, forKey: .cursor)
        try c.encodeIfPresent(journal, forKey: .journal)
        try c.encodeIfPresent(reminderID, forKey: .reminderID)
        try c.encodeIfPresent(outcome, forKey: .outcome)
        try c.encodeIfPresent(unsaved, forKey: .unsaved)
    }
}

/// The journalanteckning drafted from a follow-up. Seed 003 says it must show: when and how the
/// support was followed up, the person's view, any standardised assessment method, the
/// committee's assessment of delivery and of the person's situation, complaints and actions,
/// and when the genomförandeplan was established.
public enum JournalDraft {
    public static func text(client: Client, draft: FollowUpDraft, entries: [ChecklistEntry], today: Day) -> String {
        func answerText(_ id: String) -> String? {
            let matching = entries.filter { $0.template.id == id }
            let texts = matching.compactMap { entry -> String? in
                let note = draft.answer(entry.id).note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                let flat = oneLine(note)
                return flat.isEmpty ? nil : (entry.service.map { "\($0): " } ?? "") + flat
            }
            return texts.isEmpty ? nil : texts.joined(separator: " ")
        }
        let running = client.decisions.filter { decision in
            draft.decisionIDs.isEmpty ? decision.closedOn == nil : draft.decisionIDs.contains(decision.id)
        }
        var lines: [String] = []
        lines.append("Uppföljning \(draft.date) genom \(draft.form.label). Anledning: \(draft.trigger.label).")
        lines.append("Insatser som följts upp: " + running.map { decision in
            "\(decision.service) (\(decision.law.label), beslut \(decision.validFrom)–\(decision.validTo?.description ?? "tillsvidare"))"
        }.joined(separator: "; ") + ".")
        if !draft.participants.isEmpty {
            lines.append("Deltagare: \(draft.participants.joined(separator: ", ")).")
        }
        // The person's own view: each question of the visit on a line of its own and its answer
        // under it, indented, with the answer's own lines kept.
        let ownParts: Set<String> = ["medverkan", "ibic"]  // each has a part of its own below
        let visitAnswers = entries.filter { $0.template.phase == .visit && $0.template.type == .question
                                            && !ownParts.contains($0.template.id) }
            .compactMap { entry -> [String]? in
                guard let note = draft.answer(entry.id).note?.trimmingCharacters(in: .whitespacesAndNewlines),
                      !note.isEmpty else { return nil }
                let answer = note.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { "  " + $0.trimmingCharacters(in: .whitespaces) }
                return [entry.template.text] + answer
            }
        // Every part below states only what an answer, a field or the history supports; a part
        // nothing supports stays a visible placeholder (it goes into the legal record).
        // What the law asks the note to hold (14 kap. 3 §, 10 kap. 3 § SoL (2025:400)): facts and
        // events of importance, how the person took part, their own view, and goals against
        // results in IBIC's words.
        lines.append("Fakta och händelser av betydelse: " + (answerText("handelser")
            ?? placeholder("faktiska omständigheter och händelser av betydelse sedan förra uppföljningen, eller att inga finns")))
        lines.append("Den enskildes medverkan: " + (answerText("medverkan") ?? answerText("sabo.medverkan")
            ?? placeholder("hur den enskilde medverkade i uppföljningen, eller varför inte")))
        if visitAnswers.isEmpty {
            lines.append("Den enskildes uppfattning: "
                + placeholder("hur den enskilde uppfattar insatsen i förhållande till behov och önskemål"))
        } else {
            lines.append("Den enskildes uppfattning:")
            lines += visitAnswers.flatMap { $0 }
        }
        lines.append("Behov, mål och resultat: " + (answerText("ibic")
            ?? placeholder("vilka behov och mål som gäller och vilket resultat insatsen gett")))
        lines.append("Standardiserade bedömningsmetoder: "
            + (answerText("metod") ?? placeholder("vilka standardiserade bedömningsmetoder som användes, eller att inga användes")))
        // The assessment is the `bedomning` answer, else the outcome chosen when finishing; the
        // outcome is not repeated in other words.
        if let answered = answerText("bedomning") {
            lines.append("Bedömning: " + answered)
            if let outcome = draft.outcome { lines.append("Resultat: \(outcome.label).") }
        } else if let outcome = draft.outcome {
            lines.append("Bedömning: \(outcome.label.prefix(1).uppercased())\(outcome.label.dropFirst()).")
        } else {
            lines.append("Bedömning: " + placeholder("bedömningen av om insatsen genomförts enligt beslut och av den enskildes situation"))
        }
        if draft.outcome == .decisionEnded {
            let told = entries.contains { $0.template.id == "lss.lopt" && draft.answer($0.id).mark == .done }
            lines.append("Information om att ansöka på nytt: "
                + (told ? "den enskilde har informerats." : placeholder("om den enskilde fått information om att ansöka på nytt")))
        }
        lines.append("Klagomål: " + (answerText("klagomal")
            ?? placeholder("om den enskilde framfört klagomål på handläggningen eller insatsen, och vilka åtgärder som vidtagits")))
        let answeredPlanDate = entries.first { $0.template.type == .date && $0.template.id.hasSuffix("plandatum") }
            .flatMap { draft.answer($0.id).date }
        let planMissingNoted = entries.contains { $0.template.id == "lss.plansaknas" && draft.answer($0.id).mark == .done }
        let planLines = running.map { decision -> String in
            var dates = decision.plan?.labelledDates
            if let answeredPlanDate { dates = "upprättad \(answeredPlanDate)" }
            if let dates {
                var text = "\(decision.service): \(dates)"
                // Only where the routine asks about the plan's age (R5, LSS): its checklist item is there.
                if let stale = entries.first(where: { $0.id == "lss.planalder@\(decision.id)" }) {
                    let action = draft.answer(stale.id).note.flatMap { $0.isEmpty ? nil : $0 }
                    text += " (äldre än 6 månader; åtgärd: " + (action ?? placeholder("åtgärd")) + ")"
                }
                return text
            }
            return "\(decision.service): " + (planMissingNoted ? "saknas vid uppföljningen"
                : placeholder("när genomförandeplanen upprättades, eller att den saknas"))
        }
        lines.append("Genomförandeplan: " + planLines.joined(separator: "; ") + ".")
        let notes = entries.compactMap { entry -> String? in
            guard entry.template.type == .tick, let note = draft.answer(entry.id).note, !note.isEmpty else { return nil }
            // A visit booked for after today is the next meeting, not part of this follow-up.
            if entry.template.id == FollowUpDraft.bookingItem, let booking = client.booking, booking.date > today { return nil }
            return "\(entry.template.text): \(oneLine(note))"
        }
        if !notes.isEmpty { lines.append("Övrigt: " + notes.joined(separator: " ")) }
        return lines.map(TerminalText.sanitize).joined(separator: "\n") + "\n"
    }

    /// A multi-line answer for a part of the record that is one line: its lines joined, with "; "
    /// where a line does not already end a sentence.
    static func oneLine(_ note: String) -> String {
        let lines = note.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var result = ""
        for line in lines {
            if let last = result.last { result += ".!?:;,".contains(last) ? " " : "; " }
            result += line
        }
        return result
    }

    /// A visible gap the handläggare must fill before the text goes into the record.
    public static func placeholder(_ what: String) -> String {
        "[skriv: \(what)]"
    }

    /// The journal as it stands: the handläggare's edited text, or the draft from the answers.
    public static func current(client: Client, draft: FollowUpDraft, entries: [ChecklistEntry], today: Day) -> String {
        draft.journal ?? text(client: client, draft: draft, entries: entries, today: today)
    }
}

/// The message to the provider asking for underlag before a follow-up (seed 001's template),
/// one per provider.
public enum UnderlagRequest {
    public struct Message: Sendable, Equatable {
        public var provider: String
        public var text: String
    }

    public static func messages(client: Client, followUpBy date: Day, today: Day, sender: String?) -> [Message] {
        let running = client.runningDecisions(on: today)
        var byProvider: [String: [Decision]] = [:]
        var order: [String] = []
        for decision in running {
            let name = decision.provider?.name ?? "utföraren"
            if byProvider[name] == nil { order.append(name) }
            byProvider[name, default: []].append(decision)
        }
        let firstName = client.name.split(separator: " ").first.map(String.init) ?? client.name
        let genitive = firstName.hasSuffix("s") || firstName.hasSuffix("x") || firstName.hasSuffix("z")
            ? firstName : firstName + "s"
        return order.map { provider in
            let decisions = byProvider[provider] ?? []
            let services = decisions.map(\.service).joined(separator: " och ")
            var wanted = [
                "uppdaterad genomförandeplan, om planen inte uppdaterats, meddela mig varför",
                "sammanställda daganteckningar i genomförandejournalen",
                "om det finns information kring \(genitive) situation som utföraren vill förmedla, ta kontakt med mig",
            ]
            // Only where time is granted and less was performed (seed 001: adapt to the case).
            if decisions.contains(where: { decision in
                guard let granted = decision.grantedHours else { return false }
                return (decision.performedHours ?? granted) < granted
            }) {
                wanted.append("en beskrivning kring varför inte all tid utförts")
            }
            let text = """
            Hej!

            Jag ska senast \(date) följa upp pågående beslut om \(services) för \(client.name), \(client.personnummer.formatted). Innan dess skulle jag behöva underlag från er.

            Underlaget jag efterfrågar är
            \(wanted.map { "- " + $0 }.joined(separator: "\n"))

            Med vänliga hälsningar,
            \(sender ?? "[ditt namn]")

            """
            return Message(provider: provider, text: TerminalText.sanitizeKeepingLines(text))
        }
    }
}

extension TerminalText {
    /// Like `sanitize`, but keeps line breaks (for multi-line drafts).
    public static func sanitizeKeepingLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0)) }.joined(separator: "\n")
    }
}

import Foundation
