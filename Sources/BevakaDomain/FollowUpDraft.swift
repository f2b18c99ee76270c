/// How an item stands during a follow-up.
public enum ChecklistMark: String, Codable, Sendable {
    case open, done, notApplicable
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
}

/// A follow-up in progress: what started it, how it is done, and the answers so far.
public struct FollowUpDraft: Codable, Sendable, Equatable {
    public var date: Day
    public var form: FollowUpForm
    public var trigger: FollowUpTrigger
    public var participants: [String]
    /// Keyed by `ChecklistEntry.id`.
    public var answers: [String: ChecklistAnswer]

    public init(date: Day, form: FollowUpForm, trigger: FollowUpTrigger, participants: [String] = [],
                answers: [String: ChecklistAnswer] = [:]) {
        self.date = date
        self.form = form
        self.trigger = trigger
        self.participants = participants
        self.answers = answers
    }

    public func answer(_ id: String) -> ChecklistAnswer { answers[id] ?? ChecklistAnswer() }

    /// Required items not yet done or marked not applicable.
    public func unanswered(_ entries: [ChecklistEntry]) -> [ChecklistEntry] {
        entries.filter { $0.template.required && answer($0.id).mark == .open }
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
                let note = draft.answer(entry.id).note?.trimmingCharacters(in: .whitespaces) ?? ""
                return note.isEmpty ? nil : (entry.service.map { "\($0): " } ?? "") + note
            }
            return texts.isEmpty ? nil : texts.joined(separator: " ")
        }
        let running = client.decisions.filter { $0.closedOn == nil }
        var lines: [String] = []
        lines.append("Uppföljning \(draft.date) genom \(draft.form.label). Anledning: \(draft.trigger.label).")
        lines.append("Insatser som följts upp: " + running.map { decision in
            "\(decision.service) (\(decision.law.label), beslut \(decision.validFrom)–\(decision.validTo?.description ?? "tillsvidare"))"
        }.joined(separator: "; ") + ".")
        if !draft.participants.isEmpty {
            lines.append("Deltagare: \(draft.participants.joined(separator: ", ")).")
        }
        // The person's own view: the view question and the other answers of the visit.
        let visitAnswers = entries.filter { $0.template.phase == .visit && $0.template.type == .question }
            .compactMap { entry -> String? in
                guard let note = draft.answer(entry.id).note, !note.isEmpty else { return nil }
                return "\(entry.template.text) \(note)"
            }
        lines.append("Den enskildes uppfattning: "
            + (visitAnswers.isEmpty ? "[skriv hur den enskilde uppfattar insatsen i förhållande till behov och önskemål]"
                : visitAnswers.joined(separator: " ")))
        lines.append("Standardiserade bedömningsmetoder: "
            + (answerText("metod") ?? "inga standardiserade bedömningsmetoder har använts."))
        lines.append("Bedömning: "
            + (answerText("bedomning") ?? "[skriv bedömningen av om insatsen genomförts enligt beslut och av den enskildes situation]"))
        lines.append("Klagomål: " + (answerText("klagomal") ?? "den enskilde har inte framfört några klagomål."))
        let planLines = running.map { decision -> String in
            let answered = entries.first { $0.template.id == "lss.plandatum" }.flatMap { draft.answer($0.id).date }
            if let date = answered ?? decision.plan?.established ?? decision.plan?.currentDate {
                var text = "\(decision.service): upprättad \(date)"
                if date.adding(months: 6) < draft.date {
                    let action = draft.answer("lss.planalder@\(decision.id)").note.flatMap { $0.isEmpty ? nil : $0 }
                    text += " (äldre än 6 månader" + (action.map { "; åtgärd: \($0)" } ?? "") + ")"
                }
                return text
            }
            return "\(decision.service): saknas vid uppföljningen"
        }
        lines.append("Genomförandeplan: " + planLines.joined(separator: "; ") + ".")
        let notes = entries.compactMap { entry -> String? in
            guard entry.template.type == .tick, let note = draft.answer(entry.id).note, !note.isEmpty else { return nil }
            return "\(entry.template.text): \(note)"
        }
        if !notes.isEmpty { lines.append("Övrigt: " + notes.joined(separator: " ")) }
        return lines.map(TerminalText.sanitize).joined(separator: "\n") + "\n"
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
