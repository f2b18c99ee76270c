import BevakaDomain
import Foundation

/// The user's checklist changes: `$XDG_CONFIG_HOME/bevaka/checklists.json`. Per routine profile
/// it can reword built-in items and add new ones:
///
///     { "hemtjanst": {
///         "reword": { "hem.hur": "Hur vill vi genomföra uppföljningen?" },
///         "add": [ { "id": "egen.fall", "phase": "besök", "text": "Fråga om fallrisk",
///                    "type": "tick", "required": false, "after": "hem.behov" } ] } }
///
/// Every key and value is checked, so a typo is reported with where it is instead of ignored.
public enum ChecklistFile {
    public static let fileName = "checklists.json"

    public typealias LoadError = SettingsFileError

    static let phases: [String: ChecklistPhase] = [
        "prepare": .prepare, "förberedelse": .prepare,
        "visit": .visit, "besök": .visit,
        "after": .after, "efter": .after,
    ]
    static let types: [String: ChecklistItemType] = [
        "tick": .tick, "bock": .tick, "question": .question, "fråga": .question, "date": .date, "datum": .date,
    ]
    static let itemKeys = ["id", "phase", "text", "type", "required", "after", "when"]

    /// The built-in checklists with the user's file applied; the built-in ones when there is no file.
    public static func load(environment: [String: String]) throws(LoadError) -> ChecklistSet {
        let url = StoreLocation.configFolder(environment).appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else { return .standard }
        return try apply(data, path: url.path)
    }

    public static func apply(_ data: Data, path: String, to base: ChecklistSet = .standard) throws(LoadError) -> ChecklistSet {
        func fail(_ problem: String) -> LoadError { LoadError(subject: "Checklistorna", path: path, problem: problem) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("filen är inte ett giltigt JSON-objekt.")
        }
        var set = base
        var usedIDs = base.allIDs
        let known = set.profiles.keys.sorted()
        for profile in root.keys.sorted() {
            guard var templates = set.profiles[profile] else {
                throw fail("okänd rutin \"\(profile)\" (kända: \(known.joined(separator: ", "))).")
            }
            guard let changes = root[profile] as? [String: Any] else { throw fail("\"\(profile)\" ska vara ett objekt.") }
            for key in changes.keys.sorted() {
                switch key {
                case "reword":
                    guard let rewords = changes[key] as? [String: Any] else {
                        throw fail("\"\(profile).reword\" ska vara ett objekt med punkt-id och ny text.")
                    }
                    for (id, raw) in rewords {
                        guard let index = templates.firstIndex(where: { $0.id == id }) else {
                            throw fail("\"\(profile).reword\": rutinen har ingen punkt \"\(id)\".")
                        }
                        guard let text = clean(raw) else {
                            throw fail("\"\(profile).reword.\(id)\" ska vara en text som inte är tom.")
                        }
                        templates[index].text = text
                    }
                case "add":
                    guard let additions = changes[key] as? [Any] else {
                        throw fail("\"\(profile).add\" ska vara en lista med punkter.")
                    }
                    for (number, raw) in additions.enumerated() {
                        let place = "\(profile).add[\(number + 1)]"
                        let template = try item(raw, place: place, usedIDs: usedIDs, fail: fail)
                        usedIDs.insert(template.id)
                        var position = templates.count
                        if let after = (raw as? [String: Any])?["after"] {
                            guard let afterID = after as? String,
                                  let index = templates.firstIndex(where: { $0.id == afterID }) else {
                                throw fail("\(place).after: rutinen har ingen punkt \"\(after)\".")
                            }
                            guard templates[index].phase == template.phase else {
                                throw fail("\(place).after: \"\(afterID)\" hör till en annan fas.")
                            }
                            position = index + 1
                        }
                        templates.insert(template, at: position)
                    }
                default:
                    throw fail("okänd nyckel \"\(profile).\(key)\" (tillåtna: reword, add).")
                }
            }
            set.profiles[profile] = templates
        }
        return set
    }

    private static func clean(_ raw: Any?) -> String? {
        guard let text = raw as? String else { return nil }
        let trimmed = TerminalText.sanitize(text).trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func item(_ raw: Any, place: String, usedIDs: Set<String>,
                             fail: (String) -> LoadError) throws(LoadError) -> ChecklistTemplate {
        guard let fields = raw as? [String: Any] else { throw fail("\(place) ska vara ett objekt.") }
        for key in fields.keys.sorted() where !itemKeys.contains(key) {
            throw fail("okänt fält \"\(place).\(key)\" (kända fält: \(itemKeys.joined(separator: ", "))).")
        }
        guard let id = fields["id"] as? String,
              id.range(of: #"^[A-Za-z0-9._-]{1,40}$"#, options: .regularExpression) != nil else {
            throw fail("\(place).id ska vara ett kort id med bokstäver a–z, siffror, punkt eller bindestreck.")
        }
        guard !usedIDs.contains(id) else { throw fail("\(place).id \"\(id)\" finns redan; välj ett eget id.") }
        guard let text = clean(fields["text"]) else { throw fail("\(place).text ska vara en text som inte är tom.") }
        guard let phaseName = fields["phase"] as? String, let phase = phases[phaseName.lowercased()] else {
            throw fail("\(place).phase ska vara förberedelse, besök eller efter.")
        }
        var type = ChecklistItemType.tick
        if let raw = fields["type"] {
            guard let name = raw as? String, let value = types[name.lowercased()] else {
                throw fail("\(place).type ska vara tick, question eller date.")
            }
            type = value
        }
        var required = false
        if let raw = fields["required"] {
            guard let value = raw as? Bool else { throw fail("\(place).required ska vara true eller false.") }
            required = value
        }
        var condition = ChecklistCondition.always
        if let raw = fields["when"] {
            guard let name = raw as? String, let value = ChecklistCondition(rawValue: name) else {
                let names = ["always", "privateProvider", "providerWithoutCaseSystem", "personalAssistance", "grantedTime",
                             "frameDecision", "planStale", "planMissing", "child", "decisionEnded"]
                throw fail("\(place).when ska vara ett av: \(names.joined(separator: ", ")).")
            }
            condition = value
        }
        return ChecklistTemplate(id, phase, text, type: type, when: condition, required: required,
                                 source: "egen punkt (\(fileName))")
    }
}
