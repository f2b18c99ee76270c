/// The routines the rules and checklist items come from, named as a handläggare knows them
/// (the project's `shared/seeds/`; docs/rules.md gives each rule's sources). The item data keeps the
/// seed's number for traceability; the screen names the routine.
public enum RoutineSources {
    static let names: [String: String] = [
        "000": "SÄBO-rutinen 2022",
        "001": "underlagsrutinen för hemtjänst 2024",
        "002": "individuppföljning i äldreomsorgen (Anna och Erik)",
        "003": "LSS-rutinen 2021",
        "004": "rutinen för genomförandeplan i hemtjänst 2017",
    ]

    /// The routines written for each profile; another profile's routine cited on an item is
    /// named as the model it is (an SoL hemtjänst follow-up asking what LSS-rutinen says the
    /// journal must show), not as if it governed the case (issue 35, item 21).
    static let own: [String: Set<String>] = [
        "sabo": ["000", "002"],
        "hemtjanst": ["001", "002", "004"],
        "lss": ["003"],
    ]

    /// "000: granska …; 001: samtycke …" → "SÄBO-rutinen 2022: granska …; underlagsrutinen …: samtycke …".
    /// Several routines for one sentence ("000, 003:" or "000/001:") are named together. With the
    /// item's `profiles`, a routine not written for any of them is named "som förebild".
    public static func named(_ source: String, profiles: [String]? = nil) -> String {
        let owned = profiles.map { Set($0.flatMap { own[$0] ?? [] }) }
        return source.split(separator: ";", omittingEmptySubsequences: false).map { part -> String in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else { return trimmed }
            let numbers = trimmed[..<colon].split(whereSeparator: { $0 == "," || $0 == "/" })
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !numbers.isEmpty, numbers.allSatisfy({ names[$0] != nil }) else { return trimmed }
            let routines = numbers.map { number -> String in
                let name = names[number] ?? number
                guard let owned, !owned.isEmpty, !owned.contains(number) else { return name }
                return name + " (som förebild)"
            }
            let joined = routines.count > 1
                ? routines.dropLast().joined(separator: ", ") + " och " + (routines.last ?? "") : routines.joined()
            return joined + trimmed[colon...]
        }.joined(separator: "; ")
    }

    /// Whether a decision's routine is the one its profile was written for, or the profile is
    /// only the closest general routine (dagverksamhet, trygghetslarm … follow hemtjänst's).
    public static func isOwnRoutine(service: String, profile: String) -> Bool {
        guard profile == "hemtjanst" else { return true }
        return ["hemtjänst", "personlig omvårdnad", "serviceinsatser"].contains(ServiceCatalog.normalise(service))
    }

    /// The source of a rule for a decision under `profile` (nil: person-level items).
    public static func source(of kind: DueKind, profile: String?) -> String {
        switch (kind, profile) {
        case (.annualFollowUp, "sabo"?): return "SÄBO-rutinen 2022: uppföljning minst en gång per år"
        case (.annualFollowUp, "lss"?): return "LSS-rutinen 2021: uppföljning minst en gång per år"
        case (.carePlanMissing, "sabo"?): return "SÄBO-rutinen 2022: genomförandeplanen upprättas inom 14 dagar"
        case (.carePlanMissing, "lss"?): return "LSS-rutinen 2021: genomförandeplanen påbörjas inom 2 veckor"
        case (.carePlanMissing, "hemtjanst"?):
            return "rutinen för genomförandeplan i hemtjänst 2017: planen återkopplas inom 4 veckor"
        case (.carePlanStale, "lss"?): return "LSS-rutinen 2021: en plan äldre än 6 månader ska få en åtgärd"
        case (.carePlanStale, _): return "LSS-rutinens regel om planer äldre än 6 månader, inställd för den här rutinen"
        case (.decisionEnded, "lss"?): return "LSS-rutinen 2021: har beslutet löpt ut ska den enskilde ansöka på nytt"
        case (.decisionEnded, _):
            return "allmän rutin (som LSS-rutinen 2021): har beslutet löpt ut ska den enskilde ansöka på nytt"
        case (.consentMissing, "sabo"?): return "SÄBO-rutinen 2022: samtycke krävs för att läsa privat utförares plan"
        case (.consentMissing, "hemtjanst"?): return "underlagsrutinen för hemtjänst 2024: samtycke för privata utförare"
        case (.consentMissing, _): return "allmän rutin (som SÄBO- och hemtjänstrutinerna): samtycke för privata utförare"
        case (.prepareFollowUp, "lss"?): return "LSS-rutinen 2021: bevakning en månad före; informera utföraren"
        case (.prepareFollowUp, "hemtjanst"?): return "underlagsrutinen för hemtjänst 2024: begär underlag före uppföljningen"
        default: return kind.source
        }
    }
}
