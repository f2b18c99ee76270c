import BevakaDomain
import Foundation

// The store's types read by `StoreReader`, one object at a time: each object's keys are an
// enum its switch covers exactly; anything the reader is not certain of gives up (`Bail`), and
// the reference (`JSONDecoder`) reads the document instead.

extension StoreReader {
    /// A person's keys are `Client.CodingKeys`: the one list of a person's fields that the
    /// reference codec, this reader and the tests share.
    static let clientKeys = Keys<Client.CodingKeys>()

    mutating func client() throws(Bail) -> Client {
        var id: String?, name: String?, pnr: Personnummer?
        var client = Client(id: "", name: "", personnummer: Personnummer(unchecked: ""))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.clientKeys, &state) {
            switch field {
            case .id: id = try string()
            case .name: name = try string()
            case .personnummer:
                let digits = try plainString()
                let read = Personnummer(unchecked: String(decoding: digits, as: UTF8.self))
                guard (digits.count == 12 && digits.allSatisfy({ $0 >= 48 && $0 <= 57 })) || read.isWithoutSwedishNumber else { throw Bail() }
                pnr = read
            case .representative: client.representative = try representative()
            case .notes: client.notes = try string()
            case .livesWithChildren: client.livesWithChildren = try bool()
            case .archived: client.archived = try bool()
            case .decisions: client.decisions = try list { (r: inout StoreReader) throws(Bail) in try r.decision() }
            case .followUps: client.followUps = try list { (r: inout StoreReader) throws(Bail) in try r.followUp() }
            case .reminders: client.reminders = try list { (r: inout StoreReader) throws(Bail) in try r.reminder() }
            case .draft: client.draft = try draft()
            case .homeVisit: client.homeVisit = try bool()
            case .handovers: client.handovers = try list { (r: inout StoreReader) throws(Bail) in try r.handover() }
            case .address: client.address = try address()
            case .phones: client.phones = try list { (r: inout StoreReader) throws(Bail) in try r.phone() }
            case .doorCode: client.doorCode = try string()
            case .access: client.access = try string()
            case .booking: client.booking = try booking()
            case .ivoID: client.ivoID = try string()
            case .protectedIdentity: client.protectedIdentity = try bool()
            case .contactWithheld: client.contactWithheld = try bool()
            }
        }
        guard let id, let name, let pnr else { throw Bail() }
        client.id = id
        client.name = name
        client.personnummer = pnr
        return client
    }

    enum DecisionKey: String, CaseIterable, Sendable {
        case id, law, service, form, granted, performed, from, to, started, provider, consent, plan, closed
        case performedMonth, decided, offers, notCarriedOut, interruptions, delayReason, consequences, ivoReported
        case ivoClosingReported, postponed, orderConfirmed, escalated
    }

    static let decisionKeys = Keys<DecisionKey>()

    mutating func decision() throws(Bail) -> Decision {
        var id: String?, law: Law?, service: String?, from: Day?
        var decision = Decision(id: "", law: .sol, service: "", validFrom: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.decisionKeys, &state) {
            switch field {
            case .id: id = try string()
            case .law: law = try enumeration(Self.laws)
            case .service: service = try string()
            case .form: decision.form = try enumeration(Self.decisionForms)
            case .granted: decision.grantedHours = try hours()
            case .performed: decision.performedHours = try hours()
            case .from: from = try day()
            case .to: decision.validTo = try day()
            case .started: decision.startedOn = try day()
            case .provider: decision.provider = try provider()
            case .consent: decision.consent = try enumeration(Self.consents)
            case .plan: decision.plan = try carePlan()
            case .closed: decision.closedOn = try day()
            case .performedMonth: decision.performedMonth = try string()
            case .decided: decision.decidedOn = try day()
            case .offers: decision.offers = try list { (r: inout StoreReader) throws(Bail) in try r.offer() }
            case .notCarriedOut: decision.notCarriedOut = try string()
            case .interruptions: decision.interruptions = try list { (r: inout StoreReader) throws(Bail) in try r.interruption() }
            case .delayReason: decision.delayReason = try string()
            case .consequences: decision.consequences = try string()
            case .ivoReported: decision.ivoReported = try strings()
            case .ivoClosingReported: decision.ivoClosingReported = try string()
            case .postponed: decision.postponedOn = try day()
            case .orderConfirmed: decision.orderConfirmedOn = try day()
            case .escalated: decision.escalatedOn = try day()
            }
        }
        guard let id, let law, let service, let from else { throw Bail() }
        decision.id = id
        decision.law = law
        decision.service = service
        decision.validFrom = from
        return decision
    }

    /// Hours as `Decision.init(from:)` accepts them.
    private mutating func hours() throws(Bail) -> Double {
        let value = try double()
        guard Hours.problem(value) == nil else { throw Bail() }
        return value
    }

    enum FollowUpKey: String, CaseIterable, Sendable {
        case id, date, form, trigger, participants, outcome, notes, decisions, journal
    }

    static let followUpKeys = Keys<FollowUpKey>()

    mutating func followUp() throws(Bail) -> FollowUp {
        var id: String?, date: Day?, form: FollowUpForm?, trigger: FollowUpTrigger?
        var participants: [String] = [], outcome: FollowUpOutcome?, notes: String?, decisions: [String]?, journal: String?
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.followUpKeys, &state) {
            switch field {
            case .id: id = try string()
            case .date: date = try day()
            case .form: form = try enumeration(Self.followUpForms)
            case .trigger: trigger = try enumeration(Self.followUpTriggers)
            case .participants: participants = try strings()
            case .outcome: outcome = try enumeration(Self.followUpOutcomes)
            case .notes: notes = try string()
            case .decisions: decisions = try strings()
            case .journal: journal = try string()
            }
        }
        guard let id, let date, let form, let trigger else { throw Bail() }
        return FollowUp(id: id, date: date, form: form, trigger: trigger, participants: participants,
                        outcome: outcome, notes: notes, decisionIDs: decisions, journal: journal)
    }

    enum ReminderKey: String, CaseIterable, Sendable {
        case id, decision, kind, due, ruleDue, text, priority, status, done
    }

    static let reminderKeys = Keys<ReminderKey>()

    mutating func reminder() throws(Bail) -> Reminder {
        var id: String?, kind: DueKind?, due: Day?
        var reminder = Reminder(id: "", kind: .manual, due: Day(dayNumber: 0))
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.reminderKeys, &state) {
            switch field {
            case .id: id = try string()
            case .decision: reminder.decisionID = try string()
            case .kind: kind = try enumeration(Self.dueKinds)
            case .due: due = try day()
            case .ruleDue: reminder.ruleDue = try day()
            case .text: reminder.text = try string()
            case .priority: reminder.priority = try enumeration(Self.priorities)
            case .status: reminder.status = try enumeration(Self.reminderStatuses)
            case .done: reminder.doneOn = try day()
            }
        }
        guard let id, let kind, let due else { throw Bail() }
        reminder.id = id
        reminder.kind = kind
        reminder.due = due
        return reminder
    }

    enum DraftKey: String, CaseIterable, Sendable {
        case date, form, trigger, participants, answers, decisions, phase, cursor, journal, reminder, outcome
        case unsaved
    }

    static let draftKeys = Keys<DraftKey>()

    mutating func draft() throws(Bail) -> FollowUpDraft {
        var date: Day?, form: FollowUpForm?, trigger: FollowUpTrigger?
        var draft = FollowUpDraft(date: Day(dayNumber: 0), form: .homeVisit, trigger: .ownPlan)
        var state = ObjectState()
        try open(&state)
        while let field = try nextField(Self.draftKeys, &state) {
            switch field {
            case .date: date = try day()
            case .form: form = try enumeration(Self.followUpForms)
            case .trigger: trigger = try enumeration(Self.followUpTriggers)
            case .participants: draft.participants = try strings()
            case .answers: draft.answers = try answers()
            case .decisions: draft.decisionIDs = try strings()
            case .phase: draft.phase = try enumeration(ChecklistPhase.self)
            case .cursor: draft.cursor = try string()
            case .journal: draft.journal = try string()
            case .reminder: draft.reminderID = try string()
            case .outcome: draft.outcome = try enumeration(Self.followUpOutcomes)
            case .unsaved: throw Bail()  // rare (a terminal closed mid-answer): the reference reads it
            }
        }
        guard let date, let form, let trigger else { throw Bail() }
        draft.date = date
        draft.form = form
        draft.trigger = trigger
        return draft
    }
}
