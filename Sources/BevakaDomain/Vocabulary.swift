/// The closed vocabularies of the model. Raw values are the store's stable spelling;
/// `label` is what the screen says.

/// The act a decision is made under. Paragraph references stay in data, never in logic.
public enum Law: String, Codable, Sendable, CaseIterable {
    case sol = "SoL"
    case lss = "LSS"

    public var label: String { rawValue }
}

/// Rambeslut (a monthly time frame the person distributes) or insatsbeslut (listed tasks).
public enum DecisionForm: String, Codable, Sendable, CaseIterable {
    case frame
    case itemized

    public var label: String {
        switch self {
        case .frame: return "rambeslut"
        case .itemized: return "insatsbeslut"
        }
    }
}

/// Who runs the provider: the municipality itself or a private company.
public enum Regi: String, Codable, Sendable, CaseIterable {
    case municipal
    case `private`

    public var label: String {
        switch self {
        case .municipal: return "kommunal"
        case .private: return "privat"
        }
    }
}

/// The person's consent to share the provider's plan across a secrecy boundary (R10).
public enum ConsentStatus: String, Codable, Sendable, CaseIterable {
    case given
    case refused
    case notAsked

    public var label: String {
        switch self {
        case .given: return "ja"
        case .refused: return "nej"
        case .notAsked: return "ej tillfrågad"
        }
    }
}

/// How a follow-up was done.
public enum FollowUpForm: String, Codable, Sendable, CaseIterable {
    case homeVisit
    case phone
    case meeting
    case digital

    public var label: String {
        switch self {
        case .homeVisit: return "hembesök"
        case .phone: return "telefon"
        case .meeting: return "möte"
        case .digital: return "digitalt"
        }
    }
}

/// What started a follow-up (seed 001, "Olika typer av uppföljning").
public enum FollowUpTrigger: String, Codable, Sendable, CaseIterable {
    case ownPlan
    case decisionEnding
    case personReported
    case providerReported

    public var label: String {
        switch self {
        case .ownPlan: return "enligt egen planering"
        case .decisionEnding: return "tidsbegränsat beslut löper ut"
        case .personReported: return "den enskilde eller anhörig påtalat förändrade behov"
        case .providerReported: return "utföraren påtalat förändrade behov"
        }
    }
}

/// What a follow-up found.
public enum FollowUpOutcome: String, Codable, Sendable, CaseIterable {
    case asDecided
    case notAsDecided
    case needsChanged
    case decisionEnded

    public var label: String {
        switch self {
        case .asDecided: return "insatsen utförs enligt beslut"
        case .notAsDecided: return "insatsen utförs inte enligt beslut"
        case .needsChanged: return "behoven har förändrats – ny utredning"
        case .decisionEnded: return "beslutet har löpt ut – ny ansökan"
        }
    }
}

/// A reminder's priority, as in the case systems.
public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    case high
    case normal
    case low

    public var label: String {
        switch self {
        case .high: return "hög"
        case .normal: return "normal"
        case .low: return "låg"
        }
    }

    /// High first: the order `<` gives, as a number.
    var rank: Int {
        switch self {
        case .high: return 0
        case .normal: return 1
        case .low: return 2
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// A reminder's status: the four a Lifecare user knows.
public enum ReminderStatus: String, Codable, Sendable, CaseIterable {
    case notStarted
    case inProgress
    case waiting
    case done

    public var label: String {
        switch self {
        case .notStarted: return "ej påbörjad"
        case .inProgress: return "pågår"
        case .waiting: return "väntar"
        case .done: return "klar"
        }
    }
}
