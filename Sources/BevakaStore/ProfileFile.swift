import BevakaDomain
import Foundation

/// The user's routine settings: `$XDG_CONFIG_HOME/bevaka/profiles.json`. It only overrides the
/// built-in profiles, field by field, and may map extra service names to a profile:
///
///     { "profiles": { "lss": { "annualMonths": 6 }, "hemtjanst": { "consentRule": "always" } },
///       "services": { "ledsagning": "lss" }, "gallringMonths": 12 }
///
/// Every key is checked, so a typo is reported instead of silently ignored.
public enum ProfileFile {
    public static let fileName = "profiles.json"

    public typealias LoadError = SettingsFileError

    static var integerFields: [String: WritableKeyPath<RoutineProfile, Int>] {
        [
        "annualMonths": \.annualMonths,
        "carePlanDeadlineDays": \.carePlanDeadlineDays,
        "prepareLeadMonths": \.prepareLeadMonths,
        "endLeadMaxDays": \.endLeadMaxDays,
        "endLeadMinDays": \.endLeadMinDays,
        ]
    }

    /// The built-in routines with the user's file applied; the built-in ones when there is no file.
    public static func load(environment: [String: String]) throws(LoadError) -> RoutineSet {
        let path = StoreLocation.configFolderPath(environment) + "/" + fileName
        // Most people have no file: asked of the file system, without building a URL or an error.
        if access(path, F_OK) != 0 && errno == ENOENT { return .standard }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { return .standard }
        return try apply(data, path: path)
    }

    public static func apply(_ data: Data, path: String) throws(LoadError) -> RoutineSet {
        func fail(_ problem: String) -> LoadError { LoadError(subject: "Rutininställningarna", path: path, problem: problem) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("filen är inte ett giltigt JSON-objekt.")
        }
        var profiles = Dictionary(uniqueKeysWithValues: RoutineProfile.builtIn.map { ($0.id, $0) })
        var aliases: [String: String] = [:]
        var gallringMonths: Int? = Gallring.defaultMonths
        for (key, value) in root {
            switch key {
            case "profiles":
                guard let entries = value as? [String: Any] else { throw fail("\"profiles\" ska vara ett objekt.") }
                for (id, fields) in entries {
                    guard var profile = profiles[id] else {
                        throw fail("okänd rutin \"\(id)\" (kända: \(profiles.keys.sorted().joined(separator: ", "))).")
                    }
                    guard let fields = fields as? [String: Any] else { throw fail("\"\(id)\" ska vara ett objekt.") }
                    for (field, raw) in fields {
                        try set(field, raw, on: &profile, where: "\(id).\(field)", fail: fail)
                    }
                    profiles[id] = profile
                }
            case "services":
                guard let entries = value as? [String: Any] else { throw fail("\"services\" ska vara ett objekt.") }
                for (service, target) in entries {
                    guard let id = target as? String, profiles[id] != nil else {
                        throw fail("insatsen \"\(service)\" ska peka på en känd rutin (sabo, hemtjanst, lss).")
                    }
                    aliases[ServiceCatalog.normalise(service)] = id
                }
            case "gallringMonths":
                if value is NSNull {
                    gallringMonths = nil
                } else {
                    guard let months = value as? Int, months >= 1, months <= 120 else {
                        throw fail("\"gallringMonths\" ska vara ett antal månader mellan 1 och 120, eller null (ingen gallring).")
                    }
                    gallringMonths = months
                }
            default:
                throw fail("okänd nyckel \"\(key)\" (tillåtna: profiles, services, gallringMonths).")
            }
        }
        return RoutineSet(profiles: Array(profiles.values), catalog: ServiceCatalog(aliases: aliases),
                          gallringMonths: gallringMonths)
    }

    private static func set(_ field: String, _ raw: Any, on profile: inout RoutineProfile, where place: String,
                            fail: (String) -> LoadError) throws(LoadError) {
        if let keyPath = integerFields[field] {
            guard let number = raw as? Int, number >= 0, number <= 1000 else {
                throw fail("\(place) ska vara ett heltal mellan 0 och 1000.")
            }
            profile[keyPath: keyPath] = number
            return
        }
        switch field {
        case "name":
            guard let text = raw as? String, !text.isEmpty else { throw fail("\(place) ska vara en text.") }
            profile.name = text
        case "carePlanStaleMonths":
            if raw is NSNull { profile.carePlanStaleMonths = nil; return }
            guard let number = raw as? Int, number > 0 else { throw fail("\(place) ska vara ett positivt heltal eller null.") }
            profile.carePlanStaleMonths = number
        case "timeTolerancePercent":
            if raw is NSNull { profile.timeTolerancePercent = nil; return }
            guard let number = raw as? Double, number >= 0, number < 100 else {
                throw fail("\(place) ska vara ett tal mellan 0 och 100 eller null.")
            }
            profile.timeTolerancePercent = number
        case "endLeadFraction":
            guard let number = raw as? Double, number >= 0, number <= 1 else {
                throw fail("\(place) ska vara ett tal mellan 0 och 1.")
            }
            profile.endLeadFraction = number
        case "notStartedMonths", "interruptionMonths":
            var value: Int?
            if !(raw is NSNull) {
                guard let number = raw as? Int, number > 0, number <= 24 else {
                    throw fail("\(place) ska vara ett antal månader mellan 1 och 24, eller null (av).")
                }
                value = number
            }
            if field == "notStartedMonths" { profile.notStartedMonths = value } else { profile.interruptionMonths = value }
        case "ivoReportingPeriods":
            guard let list = raw as? [String], list.count == 4 else {
                throw fail("\(place) ska vara fyra perioder, en per kvartal, t.ex. [\"04-01–04-30\", \"07-01–08-31\", \"10-01–10-31\", \"01-01–01-31\"].")
            }
            var periods: [ReportingPeriod] = []
            for (index, text) in list.enumerated() {
                guard let period = ReportingPeriod(parsing: text) else {
                    throw fail("\(place): kvartal \(index + 1) (\"\(TerminalText.sanitize(text))\") ska skrivas MM-DD–MM-DD.")
                }
                periods.append(period)
            }
            profile.ivoReportingPeriods = periods
        case "actOnWorkingDays":
            guard let flag = raw as? Bool else { throw fail("\(place) ska vara true eller false.") }
            profile.actOnWorkingDays = flag
        case "verkstallighetssteg":
            if raw is NSNull { profile.verkstallighetssteg = nil; return }
            let shape = "ett objekt med bestallning (arbetsdagar, 1–20), start (dagar, 1–90) och eskalering (månader, 1–11), eller null (av)"
            guard let object = raw as? [String: Any] else { throw fail("\(place) ska vara \(shape).") }
            var steps = profile.verkstallighetssteg ?? .standard
            for (key, value) in object {
                let limits: ClosedRange<Int>
                switch key {
                case "bestallning": limits = 1...20
                case "start": limits = 1...90
                case "eskalering": limits = 1...11
                default: throw fail("\(place): okänd nyckel \"\(TerminalText.sanitize(key))\" (kända: bestallning, start, eskalering).")
                }
                guard let number = value as? Int, limits.contains(number) else {
                    throw fail("\(place).\(key) ska vara ett heltal \(limits.lowerBound)–\(limits.upperBound).")
                }
                switch key {
                case "bestallning": steps.orderWorkingDays = number
                case "start": steps.startDays = number
                default: steps.escalationMonths = number
                }
            }
            profile.verkstallighetssteg = steps
        case "consentRule":
            guard let text = raw as? String, let rule = ConsentRule(rawValue: text) else {
                throw fail("\(place) ska vara \"privateProviderOnly\", \"always\" eller \"never\".")
            }
            profile.consentRule = rule
        default:
            let known = (Array(integerFields.keys) + ["name", "carePlanStaleMonths", "timeTolerancePercent",
                                                       "endLeadFraction", "consentRule", "notStartedMonths",
                                                       "interruptionMonths", "actOnWorkingDays", "ivoReportingPeriods", "verkstallighetssteg"]).sorted()
            throw fail("okänt fält \"\(place)\" (kända fält: \(known.joined(separator: ", "))).")
        }
    }
}
