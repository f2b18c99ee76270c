/// What a due item is about: exactly the vocabulary of the rule engine (docs/rules.md).
public enum DueKind: String, Codable, Sendable, CaseIterable {
    case annualFollowUp
    case decisionEnding
    case carePlanMissing
    case carePlanStale
    case prepareFollowUp
    case timeDeviation
    case decisionEnded
    case consentMissing
    case notStarted
    case interrupted
    case ivoReport
    case manual
    // The verkställighet ladder before R11 (issue 33): the order confirmed, the start, the escalation.
    case orderConfirmation
    case startCheck
    case escalation

    /// The kind's place among the kinds' names in order: the lists' last sort key as a number
    /// (the agenda's and the app's), without comparing names or hashing the kind.
    public var nameRank: Int { DueKind.nameRanks[position] }

    private static let nameRanks: [Int] = {
        let names = allCases.map(\.rawValue).sorted()
        return allCases.map { names.firstIndex(of: $0.rawValue) ?? 0 }
    }()

    /// The kind's place in `allCases` (a table's index, without hashing the kind).
    var position: Int {
        switch self {
        case .annualFollowUp: return 0
        case .decisionEnding: return 1
        case .carePlanMissing: return 2
        case .carePlanStale: return 3
        case .prepareFollowUp: return 4
        case .timeDeviation: return 5
        case .decisionEnded: return 6
        case .consentMissing: return 7
        case .notStarted: return 8
        case .interrupted: return 9
        case .ivoReport: return 10
        case .manual: return 11
        case .orderConfirmation: return 12
        case .startCheck: return 13
        case .escalation: return 14
        }
    }

    /// Short Swedish label for lists.
    public var label: String {
        switch self {
        case .annualFollowUp: return "Årlig uppföljning"
        case .decisionEnding: return "Beslut löper ut"
        case .carePlanMissing: return "Genomförandeplan saknas"
        case .carePlanStale: return "Genomförandeplan äldre än 6 mån"
        case .prepareFollowUp: return "Förbered uppföljning"
        case .timeDeviation: return "Tidsavvikelse"
        case .decisionEnded: return "Beslutet har löpt ut"
        case .consentMissing: return "Samtycke saknas"
        case .notStarted: return "Ej verkställt beslut"
        case .interrupted: return "Avbrott i verkställigheten"
        case .ivoReport: return "Rapportera till IVO"
        case .manual: return "Egen bevakning"
        case .orderConfirmation: return "Beställning bekräftad?"
        case .startCheck: return "Har insatsen startat?"
        case .escalation: return "Eskalera: ej verkställt"
        }
    }

    /// The rule of docs/rules.md that produces it.
    public var rule: String {
        switch self {
        case .annualFollowUp: return "R1, R2, R8"
        case .decisionEnding: return "R3"
        case .carePlanMissing: return "R4"
        case .carePlanStale: return "R5"
        case .prepareFollowUp: return "R6"
        case .timeDeviation: return "R7"
        case .decisionEnded: return "R9"
        case .consentMissing: return "R10"
        case .notStarted: return "R11"
        case .interrupted: return "R12"
        case .ivoReport: return "R11, R12"
        case .manual: return "–"
        case .orderConfirmation: return "R11 steg 1"
        case .startCheck: return "R11 steg 2"
        case .escalation: return "R11 steg 3"
        }
    }

    /// The routines (seeds) the rule comes from, in plain Swedish.
    public var source: String {
        switch self {
        case .annualFollowUp:
            return "Uppföljning minst en gång per år (rutin SÄBO 2022, LSS 2021, individuppföljning äldreomsorg)"
        case .decisionEnding:
            return "Tidsbegränsat beslut följs upp innan det löper ut (individuppföljning äldreomsorg: Anna, Erik)"
        case .carePlanMissing:
            return "Genomförandeplan inom 14 dagar (SÄBO), påbörjad inom 2 veckor (LSS), återkopplad inom 4 veckor (hemtjänst)"
        case .carePlanStale:
            return "Plan äldre än 6 månader: beskriv åtgärd (rutin LSS 2021)"
        case .prepareFollowUp:
            return "Informera utföraren och begär underlag en månad före (rutin LSS 2021, underlag hemtjänst 2024)"
        case .timeDeviation:
            return "Utförd tid avviker mer än ±5 % från beviljad tid (underlag hemtjänst 2024)"
        case .decisionEnded:
            return "Beslutet har löpt ut: den enskilde behöver ansöka på nytt (rutin LSS 2021)"
        case .consentMissing:
            return "Samtycke krävs för att ta del av privat utförares genomförandeplan (SÄBO 2022, hemtjänst 2024)"
        case .notStarted:
            return "Beslut som inte verkställts inom tre månader från beslutet rapporteras till IVO och revisorerna varje kvartal (34 kap. 1 § SoL (2025:400), 28 f § LSS; IVO: Rapportering)"
        case .interrupted:
            return "Avbrott som inte återupptagits inom tre månader rapporteras till IVO och revisorerna (34 kap. 1 § SoL (2025:400), 28 f § LSS; IVO: Rapportering)"
        case .ivoReport:
            return "Ej verkställda beslut och avbrott rapporteras till IVO under rapportperioden efter varje kvartal (IVO: Rapportering, Individrapport)"
        case .manual:
            return "Bevakning som handläggaren lagt in själv"
        case .orderConfirmation, .startCheck, .escalation:
            return "Bevakas verkställighetssteg före IVO:s tre månader (34 kap. 1 § SoL (2025:400)); standard, inställbart per rutin (verkstallighetssteg)"
        }
    }

    /// Conditions are due today for as long as they hold; they are not deadlines.
    public var isCondition: Bool {
        self == .timeDeviation || self == .consentMissing
    }
}
