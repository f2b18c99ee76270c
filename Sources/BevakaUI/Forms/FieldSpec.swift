import BevakaDomain

/// A fixed set of words a form field is picked from, as an enum: saving reads the case, never
/// compares the text (`values.choice(.law, as: LawChoice.self)?.law`).
public protocol FieldChoice: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension FormField.Kind {
    /// A field picked from `Choice`'s words, nothing else.
    static func pick<Choice: FieldChoice>(_ type: Choice.Type, required: Bool = false) -> Self {
        .choice(options: Choice.allCases.map(\.rawValue), required: required, allowOther: false)
    }
}

extension FormValues {
    /// A picked field's value as its enum (nil when empty).
    public func choice<Choice: FieldChoice>(_ key: FieldKey, as type: Choice.Type) -> Choice? {
        text(key).flatMap(Choice.init(rawValue:))
    }

    /// A ja/nej field: true for ja, false for nej, nil when empty.
    public func yes(_ key: FieldKey) -> Bool? { choice(key, as: YesNo.self).map { $0 == .ja } }
}

public enum YesNo: String, FieldChoice {
    case ja, nej
    init(_ yes: Bool) { self = yes ? .ja : .nej }
}

public enum SexChoice: String, FieldChoice {
    case kvinna, man
    init(_ sex: Personnummer.Sex) { self = sex == .man ? .man : .kvinna }
    var sex: Personnummer.Sex { self == .man ? .man : .woman }
}

public enum LawChoice: String, FieldChoice {
    case sol = "SoL", lss = "LSS"
    init(_ law: Law) { self = law == .lss ? .lss : .sol }
    var law: Law { self == .lss ? .lss : .sol }
}

public enum DecisionFormChoice: String, FieldChoice {
    case rambeslut, insatsbeslut
    init(_ form: DecisionForm) { self = form == .frame ? .rambeslut : .insatsbeslut }
    var form: DecisionForm { self == .rambeslut ? .frame : .itemized }
}

public enum RegiChoice: String, FieldChoice {
    case kommunal, privat
    init(_ regi: Regi) { self = regi == .private ? .privat : .kommunal }
    var regi: Regi { self == .privat ? .private : .municipal }
}

public enum ConsentChoice: String, FieldChoice {
    case ja, nej, ejTillfragad = "ej tillfrågad"
    init(_ consent: ConsentStatus) {
        switch consent {
        case .given: self = .ja
        case .refused: self = .nej
        case .notAsked: self = .ejTillfragad
        }
    }
    var consent: ConsentStatus {
        switch self {
        case .ja: .given
        case .nej: .refused
        case .ejTillfragad: .notAsked
        }
    }
}

/// One field of a form that edits something kept (a person, a decision, a plan), declared once:
/// its key, label and kind, how its text is made from what is kept (`load`), and how its checked
/// value is written back (`save`). The form opens from `load`, a colleague's change is compared
/// through `load` (FormReconcile), and saving runs every `save` — so a field added here is shown,
/// reconciled and saved, and nowhere else needs to know it.
struct FieldSpec<Target>: Sendable {
    let key: FieldKey
    let label: String
    let kind: FormField.Kind
    /// The text of a new one (nothing kept yet): "idag" for a date that is mostly today.
    let new: String
    let load: @Sendable (Target) -> String
    /// nil: the field is saved with another one of the same thing (noted where it is declared).
    let save: (@Sendable (inout Target, FormValues) -> Void)?

    init(_ key: FieldKey, _ label: String, _ kind: FormField.Kind, new: String = "", load: @escaping @Sendable (Target) -> String,
         save: (@Sendable (inout Target, FormValues) -> Void)?) {
        self.key = key
        self.label = label
        self.kind = kind
        self.new = new
        self.load = load
        self.save = save
    }

    func field(_ target: Target?) -> FormField {
        FormField(key, label, kind, target.map(load) ?? new)
    }
}

extension Array {
    /// The form's fields, filled from `target` (empty for a new one).
    func fields<Target>(_ target: Target?) -> [FormField] where Element == FieldSpec<Target> {
        map { $0.field(target) }
    }

    /// Writes every field's checked value into `target`.
    func save<Target>(_ values: FormValues, into target: inout Target) where Element == FieldSpec<Target> {
        for spec in self { spec.save?(&target, values) }
    }
}

extension AppState {
    static let roles = ["god man", "förvaltare", "vårdnadshavare", "anhörig", "ombud"]

    /// The person. The identity (personnummer, or for a person without one: birth date, sex and
    /// reservnummer) is one value, made from its five fields and saved by `commitForm`.
    static let personFields: [FieldSpec<Client>] = [
        FieldSpec(.name, "Namn", .text(required: true), load: { $0.name },
                  save: { client, values in if let name = values.text(.name) { client.name = name } }),
        FieldSpec(.personnummer, "Personnummer", .personnummer,
                  load: { $0.personnummer.isWithoutSwedishNumber ? "" : $0.personnummer.formatted }, save: nil),
        // Asylum seekers, a reservnummer or no number at all (IVO's report then uses its T-form).
        FieldSpec(.noSwedishNumber, "Saknar svenskt personnummer", .pick(YesNo.self),
                  load: { $0.personnummer.isWithoutSwedishNumber ? YesNo.ja.rawValue : "" }, save: nil),
        FieldSpec(.birthDate, "Födelsedatum", .date(required: false),
                  load: { $0.personnummer.isWithoutSwedishNumber ? $0.personnummer.birthDate?.description ?? "" : "" }, save: nil),
        FieldSpec(.sex, "Kön", .pick(SexChoice.self), load: { $0.personnummer.sex.map { SexChoice($0).rawValue } ?? "" }, save: nil),
        FieldSpec(.reservnummer, "Reservnummer", .text(required: false), load: { $0.personnummer.reservnummer ?? "" }, save: nil),
        // The representative is one value of three fields, saved with the name.
        FieldSpec(.representativeName, "Företrädare", .text(required: false), load: { $0.representative?.name ?? "" },
                  save: { client, values in
                      client.representative = values.text(.representativeName).map {
                          Representative(name: $0, role: values.text(.representativeRole) ?? "företrädare",
                                         contact: values.text(.representativeContact))
                      }
                  }),
        FieldSpec(.representativeRole, "Företrädarens roll", .choice(options: roles, required: false, allowOther: true),
                  load: { $0.representative?.role ?? "" }, save: nil),
        FieldSpec(.representativeContact, "Kontakt", .text(required: false), load: { $0.representative?.contact ?? "" }, save: nil),
        FieldSpec(.children, "Barn i hushållet", .pick(YesNo.self),
                  load: { $0.livesWithChildren.map { YesNo($0).rawValue } ?? "" },
                  save: { client, values in client.livesWithChildren = values.yes(.children) }),
        FieldSpec(.notes, "Anteckning", .text(required: false), load: { $0.notes ?? "" },
                  save: { client, values in client.notes = values.text(.notes) }),
        // The way to the door: on the case and in hembesöksläge only. The address is one value
        // of three fields, saved with the street.
        FieldSpec(.street, "Gatuadress", .text(required: false), load: { $0.address?.street ?? "" },
                  save: { client, values in
                      let address = Address(street: values.text(.street), postcode: values.text(.postcode), town: values.text(.town))
                      client.address = address.isEmpty ? nil : address
                  }),
        FieldSpec(.postcode, "Postnummer", .postcode, load: { $0.address?.postcode ?? "" }, save: nil),
        FieldSpec(.town, "Ort", .text(required: false), load: { $0.address?.town ?? "" }, save: nil),
        phone(.phoneOwn, "Telefon (eget)", Phone.own),
        phone(.phoneRelative, "Telefon (anhörig)", Phone.relative),
        phone(.phoneGuardian, "Telefon (god man)", Phone.guardian),
        FieldSpec(.doorCode, "Portkod", .text(required: false), load: { $0.doorCode ?? "" },
                  save: { client, values in client.doorCode = values.text(.doorCode) }),
        FieldSpec(.access, "Så kommer du in", .text(required: false), load: { $0.access ?? "" },
                  save: { client, values in client.access = values.text(.access) }),
        // Protected identity: the fields above then stay on the case screen and in hembesöksläge.
        FieldSpec(.protectedIdentity, "Skyddad identitet", .pick(YesNo.self),
                  load: { $0.protectedIdentity ? YesNo.ja.rawValue : "" },
                  save: { client, values in client.protectedIdentity = values.yes(.protectedIdentity) == true }),
    ]

    /// One of the form's three numbers; numbers with other labels (from a file) are kept.
    static func phone(_ key: FieldKey, _ label: String, _ phoneLabel: String) -> FieldSpec<Client> {
        FieldSpec(key, label, .phone, load: { $0.phone(phoneLabel) ?? "" }, save: { client, values in
            let others = client.phones.filter { $0.label != phoneLabel }
            client.phones = others + (values.text(key).map { [Phone(label: phoneLabel, number: $0)] } ?? [])
        })
    }

    /// A decision: `services` and `providers` are what the pick lists offer.
    static func decisionFields(services: [String] = [], providers: [String] = []) -> [FieldSpec<Decision>] {
        func date(_ key: FieldKey, _ label: String, _ path: WritableKeyPath<Decision, Day?> & Sendable) -> FieldSpec<Decision> {
            FieldSpec(key, label, .date(required: false), load: { $0[keyPath: path]?.description ?? "" },
                      save: { decision, values in decision[keyPath: path] = values.day(key) })
        }
        func text(_ key: FieldKey, _ label: String, _ path: WritableKeyPath<Decision, String?> & Sendable) -> FieldSpec<Decision> {
            FieldSpec(key, label, .text(required: false), load: { $0[keyPath: path] ?? "" },
                      save: { decision, values in decision[keyPath: path] = values.text(key) })
        }
        return [
            // The insats decides the law: it is asked first and the law is proposed from it.
            FieldSpec(.service, "Insats", .choice(options: services, required: true, allowOther: true), load: { $0.service },
                      save: { decision, values in if let service = values.text(.service) { decision.service = service } }),
            FieldSpec(.law, "Lag", .pick(LawChoice.self, required: true), load: { LawChoice($0.law).rawValue },
                      save: { decision, values in decision.law = values.choice(.law, as: LawChoice.self)?.law ?? .sol }),
            FieldSpec(.decisionForm, "Beslutsform", .pick(DecisionFormChoice.self),
                      load: { $0.form.map { DecisionFormChoice($0).rawValue } ?? "" },
                      save: { decision, values in decision.form = values.choice(.decisionForm, as: DecisionFormChoice.self)?.form }),
            FieldSpec(.validFrom, "Gäller från", .date(required: true), load: { $0.validFrom.description },
                      save: { decision, values in if let from = values.day(.validFrom) { decision.validFrom = from } }),
            date(.validTo, "Gäller till", \.validTo),
            date(.started, "Verkställt", \.startedOn),
            FieldSpec(.grantedHours, "Beviljad tid (h/mån)", .hours, load: { $0.grantedHours.map(FieldInput.formatHours) ?? "" },
                      save: { decision, values in decision.grantedHours = values.hours(.grantedHours) }),
            // The provider is one value of five fields, saved with its name.
            FieldSpec(.provider, "Utförare", .choice(options: providers, required: false, allowOther: true),
                      load: { $0.provider?.name ?? "" },
                      save: { decision, values in
                          decision.provider = values.text(.provider).map {
                              Provider(name: $0, regi: values.choice(.regi, as: RegiChoice.self)?.regi ?? .municipal,
                                       caseSystemAccess: values.yes(.caseSystemAccess),
                                       contact: values.text(.providerContact), phone: values.text(.providerPhone))
                          }
                      }),
            FieldSpec(.regi, "Regi", .pick(RegiChoice.self), load: { $0.provider.map { RegiChoice($0.regi).rawValue } ?? "" },
                      save: nil),
            FieldSpec(.caseSystemAccess, "Utföraren har tillgång till vårt verksamhetssystem", .pick(YesNo.self),
                      load: { $0.provider?.caseSystemAccess.map { YesNo($0).rawValue } ?? "" }, save: nil),
            FieldSpec(.consent, "Samtycke", .pick(ConsentChoice.self), load: { $0.consent.map { ConsentChoice($0).rawValue } ?? "" },
                      save: { decision, values in decision.consent = values.choice(.consent, as: ConsentChoice.self)?.consent }),
            FieldSpec(.providerContact, "Utförarens kontakt", .text(required: false), load: { $0.provider?.contact ?? "" }, save: nil),
            FieldSpec(.providerPhone, "Utförarens telefon", .phone, load: { $0.provider?.phone ?? "" }, save: nil),
            // Verkställighet (R11 and the IVO report).
            date(.decided, "Beslutsdatum", \.decidedOn),
            text(.notCarriedOut, "Del som inte verkställts", \.notCarriedOut),
            text(.delayReason, "Skäl till dröjsmålet", \.delayReason),
            text(.consequences, "Konsekvenser för den enskilde", \.consequences),
            // 34 kap. 6 § SoL (2025:400): still reported, but no särskild avgift.
            date(.postponed, "Uppskjutet på egen begäran (LOV) från", \.postponedOn),
            // The verkställighet ladder's answers (the start is Verkställt above).
            date(.orderConfirmed, "Beställning bekräftad", \.orderConfirmedOn),
            date(.escalated, "Eskalerat till chefen", \.escalatedOn),
        ]
    }

    /// The genomförandeplan of a decision.
    static let planFields: [FieldSpec<CarePlan>] = [
        FieldSpec(.received, "Mottagen", .date(required: false), load: { $0.received?.description ?? "" },
                  save: { plan, values in plan.received = values.day(.received) }),
        FieldSpec(.established, "Upprättad", .date(required: false), load: { $0.established?.description ?? "" },
                  save: { plan, values in plan.established = values.day(.established) }),
        FieldSpec(.revised, "Reviderad", .date(required: false), load: { $0.revised?.description ?? "" },
                  save: { plan, values in plan.revised = values.day(.revised) }),
        FieldSpec(.tookPart, "Den enskilde deltog", .pick(YesNo.self), load: { $0.personTookPart.map { YesNo($0).rawValue } ?? "" },
                  save: { plan, values in plan.personTookPart = values.yes(.tookPart) }),
        FieldSpec(.notTakenPartReason, "Om inte: varför", .text(required: false), load: { $0.notTakenPartReason ?? "" },
                  save: { plan, values in plan.notTakenPartReason = values.text(.notTakenPartReason) }),
    ]

    /// An offer of the support to the person (IVO wants the offers and refusals).
    static let offerFields: [FieldSpec<Offer>] = [
        FieldSpec(.offeredOn, "Erbjudet den", .date(required: true), new: "idag", load: { $0.on.description },
                  save: { offer, values in if let on = values.day(.offeredOn) { offer.on = on } }),
        FieldSpec(.offered, "Vad erbjöds", .text(required: true), load: { $0.what },
                  save: { offer, values in offer.what = values.text(.offered) ?? offer.what }),
        FieldSpec(.accepted, "Accepterat", .pick(YesNo.self, required: true), load: { YesNo($0.accepted).rawValue },
                  save: { offer, values in offer.accepted = values.yes(.accepted) ?? offer.accepted }),
    ]

    /// An interruption of the support: a new one, or the open one (to write when it was resumed).
    static let interruptionFields: [FieldSpec<Interruption>] = [
        FieldSpec(.interruptedFrom, "Avbrutet från", .date(required: true), new: "idag", load: { $0.from.description },
                  save: { interruption, values in if let from = values.day(.interruptedFrom) { interruption.from = from } }),
        // The open one is written to say when it was resumed: the field starts empty.
        FieldSpec(.resumed, "Återupptaget", .date(required: false), load: { _ in "" },
                  save: { interruption, values in interruption.resumed = values.day(.resumed) }),
        FieldSpec(.interruptionReason, "Skäl", .text(required: false), load: { $0.reason ?? "" },
                  save: { interruption, values in interruption.reason = values.text(.interruptionReason) }),
    ]

    /// The visit booked with `client` (seed 000): the place is the person's address unless another
    /// is written, and the running decisions' providers are always invited (seed 003).
    static func bookingFields(for client: Client, providers: [String]) -> [FieldSpec<Booking>] {
        let address = client.address?.oneLine
        let invitedFirst = ["den enskilde"] + providers
        return [
            FieldSpec(.date, "Datum", .date(required: true), load: { $0.date.description },
                      save: { booking, values in if let date = values.day(.date) { booking.date = date } }),
            FieldSpec(.time, "Tid", .time(required: true), load: { $0.startText },
                      save: { booking, values in if let start = values.minutes(.time) { booking.start = start } }),
            FieldSpec(.minutes, "Längd (min)", .minutes, new: "60", load: { String($0.minutes) },
                      save: { booking, values in if let minutes = values.minutes(.minutes) { booking.minutes = minutes } }),
            FieldSpec(.place, "Plats", .text(required: false), new: address ?? "", load: { $0.place ?? address ?? "" },
                      save: { booking, values in
                          let place = values.text(.place) ?? ""
                          booking.place = place.isEmpty || place == address ? nil : place
                      }),
            FieldSpec(.invited, "Inbjudna", .text(required: false), new: invitedFirst.joined(separator: ", "),
                      load: { $0.invited.joined(separator: ", ") },
                      save: { booking, values in
                          var invited = (values.text(.invited) ?? "").split(separator: ",")
                              .map { TerminalText.sanitize(String($0)).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                          // The provider always takes part.
                          for provider in providers where !invited.contains(where: { $0.lowercased() == provider.lowercased() }) {
                              invited.append(provider)
                          }
                          booking.invited = invited
                      }),
        ]
    }

    /// A month's performed time of a decision; the form opens on last month, empty.
    static func performedFields(lastMonth: String) -> [FieldSpec<Decision>] {
        [
            FieldSpec(.month, "Månad", .month, new: lastMonth, load: { $0.performedMonth ?? lastMonth },
                      save: { decision, values in
                          if let month = values.month(.month) {
                              decision.performedMonth = String(format: "%04d-%02d", month.year, month.month)
                          }
                      }),
            FieldSpec(.performedHours, "Utförd tid (h)", .hours, load: { $0.performedHours.map(FieldInput.formatHours) ?? "" },
                      save: { decision, values in decision.performedHours = values.hours(.performedHours) }),
        ]
    }

    /// Closing a decision (asked once more before it is saved).
    static let closeFields: [FieldSpec<Decision>] = [
        FieldSpec(.closed, "Avslutat den", .date(required: true), new: "idag", load: { $0.closedOn?.description ?? "idag" },
                  save: { decision, values in decision.closedOn = values.day(.closed) }),
    ]
}
