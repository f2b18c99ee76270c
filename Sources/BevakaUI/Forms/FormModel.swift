import BevakaDomain

/// Every field a form has, by name: a form reads its values by these keys, never by strings.
public enum FieldKey: String, Sendable, Hashable, CaseIterable {
    // The person.
    case name, personnummer, representativeName, representativeRole, representativeContact, children, notes
    case street, postcode, town, phoneOwn, phoneRelative, phoneGuardian, doorCode, access, protectedIdentity
    // A person without a Swedish personnummer.
    case noSwedishNumber, birthDate, sex, reservnummer
    // A decision.
    case service, law, decisionForm, validFrom, validTo, started, grantedHours, provider, regi, caseSystemAccess
    case consent, providerContact, providerPhone, decided, notCarriedOut, delayReason, consequences, postponed
    case orderConfirmed, escalated
    // The care plan.
    case received, established, revised, tookPart, notTakenPartReason
    // Performed time, closing, offers, interruptions.
    case month, performedHours, closed, offeredOn, offered, accepted, interruptedFrom, resumed, interruptionReason
    // A booked visit.
    case date, time, minutes, place, invited
}

/// A field's value as its check read it: what a form saves is what was checked, never read again.
public enum FieldValue: Equatable, Sendable {
    case text(String)
    case personnummer(Personnummer)
    case day(Day)
    case hours(Double)
    case month(year: Int, month: Int)
    /// Minutes after midnight (a time of day), or a length in minutes.
    case minutes(Int)
}

/// The checked values of a form's fields; a field that is empty or wrong has none.
public struct FormValues: Sendable {
    var values: [FieldKey: FieldValue] = [:]

    public func text(_ key: FieldKey) -> String? { if case .text(let text)? = values[key] { text } else { nil } }
    public func day(_ key: FieldKey) -> Day? { if case .day(let day)? = values[key] { day } else { nil } }
    public func hours(_ key: FieldKey) -> Double? { if case .hours(let hours)? = values[key] { hours } else { nil } }
    public func minutes(_ key: FieldKey) -> Int? { if case .minutes(let minutes)? = values[key] { minutes } else { nil } }
    public func personnummer(_ key: FieldKey) -> Personnummer? {
        if case .personnummer(let number)? = values[key] { number } else { nil }
    }
    public func month(_ key: FieldKey) -> (year: Int, month: Int)? {
        if case .month(let year, let month)? = values[key] { (year, month) } else { nil }
    }
}

/// One field of a form: its text is edited with the same line editor as the checklist notes, and
/// checked with `FieldInput` when it is left.
public struct FormField: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case text(required: Bool)
        case personnummer
        case date(required: Bool)
        case hours
        case month
        case postcode
        case phone
        case time(required: Bool)
        case minutes
        /// Picked from a list with type-to-find; `allowOther` accepts a typed value not in the list.
        case choice(options: [String], required: Bool, allowOther: Bool)
    }

    public var key: FieldKey
    public var label: String
    public var kind: Kind
    public var editor: LineEditor
    public var error: String?
    let initial: String

    public init(_ key: FieldKey, _ label: String, _ kind: Kind, _ value: String = "") {
        self.key = key
        self.label = label
        self.kind = kind
        self.editor = LineEditor(value)
        self.initial = value
    }

    public var text: String { editor.text }

    var hint: String {
        switch kind {
        case .text(let required): return required ? "text, måste fyllas i" : "text, kan lämnas tom"
        case .personnummer:
            return "ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN; kontrollsiffran kontrolleras. Saknar personen svenskt personnummer: lämna tomt och svara ja nedan"
        case .date(let required): return DateInput.hint + (required ? "" : "; tomt = inget datum")
        case .hours: return "timmar per månad, decimalkomma går bra (12,5)"
        case .month: return "ÅÅÅÅ-MM"
        case .postcode: return "fem siffror, t.ex. 463 30"
        case .phone: return "t.ex. 070-123 45 67"
        case .time: return "TT:MM, t.ex. 10:00"
        case .minutes: return "minuter, t.ex. 60"
        
        case .choice(_, _, let other):
            return "Enter eller skriv för att välja ur listan" + (other ? "; eget värde går också" : "")
        }
    }
}

/// The type-to-find list of a choice field.
public struct Picker: Equatable, Sendable {
    public var filter = LineEditor()
    public var selected = 0
}

public struct FormState: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case newClient
        case editClient(clientID: String)
        case newDecision(clientID: String)
        case editDecision(clientID: String, decisionID: String)
        case plan(clientID: String, decisionID: String)
        case performed(clientID: String, decisionID: String)
        case close(clientID: String, decisionID: String)
        /// An offer of the support (date, what, accepted or declined).
        case offer(clientID: String, decisionID: String)
        /// An interruption of the support: a new one, or the open one (to record its resumption).
        case interruption(clientID: String, decisionID: String, from: Day?)
        /// Booking the visit; `fromChecklist`: go back there afterwards.
        case booking(clientID: String, fromChecklist: Bool)
    }

    public var purpose: Purpose
    public var title: String
    public var fields: [FormField]
    public var focus = 0
    public var picker: Picker?

    public init(purpose: Purpose, title: String, fields: [FormField]) {
        self.purpose = purpose
        self.title = title
        self.fields = fields
    }

    public var changed: Bool { fields.contains { $0.editor.text != $0.initial } }

    public func field(_ key: FieldKey) -> FormField? { fields.first { $0.key == key } }

    /// The form changes something already there (a person, a decision, a plan, a booking).
    var edits: Bool {
        switch purpose {
        case .editClient, .editDecision, .plan, .booking: return true
        case .newClient, .newDecision, .performed, .close, .offer, .interruption: return false
        }
    }

    var clientID: String? {
        switch purpose {
        case .newClient: return nil
        case .editClient(let id), .newDecision(let id), .editDecision(let id, _), .plan(let id, _),
             .performed(let id, _), .close(let id, _), .booking(let id, _), .offer(let id, _),
             .interruption(let id, _, _): return id
        }
    }

    /// The options a choice field's picker shows for what has been typed.
    func matches(_ index: Int) -> [String] {
        guard case .choice(let options, _, _) = fields[index].kind else { return [] }
        return FieldInput.find(picker?.filter.text ?? "", in: options)
    }

    /// Checks one field alone: its value (nil when it is empty), or the Swedish reason it is wrong.
    func value(_ index: Int, today: Day) throws(FieldInput.Problem) -> FieldValue? {
        let field = fields[index]
        switch field.kind {
        case .text(let required):
            return try FieldInput.text(field.text, required: required, what: field.label).map(FieldValue.text)
        case .personnummer:
            // Left empty for a person without a Swedish personnummer (the birth date and the sex
            // below identify them).
            if field.text.trimmingCharacters(in: .whitespaces).isEmpty, withoutSwedishNumber { return nil }
            return .personnummer(try FieldInput.personnummer(field.text, today: today))
        case .date(let required): return try FieldInput.date(field.text, today: today, required: required).map(FieldValue.day)
        case .hours: return try FieldInput.hours(field.text).map(FieldValue.hours)
        case .month: return try FieldInput.month(field.text, today: today).map { FieldValue.month(year: $0.year, month: $0.month) }
        case .postcode: return try FieldInput.postcode(field.text).map(FieldValue.text)
        case .phone: return try FieldInput.phone(field.text).map(FieldValue.text)
        case .time(let required):
            guard required || !field.text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return .minutes(try FieldInput.time(field.text))
        case .minutes: return .minutes(try FieldInput.minutes(field.text))
        case .choice(let options, let required, let other):
            if other { return try FieldInput.text(field.text, required: required, what: field.label).map(FieldValue.text) }
            return try FieldInput.choice(field.text, options: options, required: required, what: field.label.lowercased())
                .map(FieldValue.text)
        }
    }

    /// The person form's "Saknar svenskt personnummer" is answered ja.
    var withoutSwedishNumber: Bool {
        field(.noSwedishNumber).map { YesNo(rawValue: $0.text.trimmingCharacters(in: .whitespaces).lowercased()) == .ja } ?? false
    }

    /// Every field's checked value (the wrong and empty ones have none).
    func values(today: Day) -> FormValues {
        var form = self
        return form.check(today: today)
    }

    /// Checks every field once: each gets its reason or none, and the values checked are returned.
    mutating func check(today: Day) -> FormValues {
        var values = FormValues()
        for index in fields.indices {
            do {
                if let value = try value(index, today: today) { values.values[fields[index].key] = value }
                fields[index].error = nil
            } catch {
                fields[index].error = error.message
            }
        }
        return values
    }
}
