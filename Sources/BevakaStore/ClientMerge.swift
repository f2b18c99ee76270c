import BevakaDomain
import Foundation

/// Three-way merge of one person's record, for when two handläggare changed it at once.
///
/// `base` is the record both started from, `mine` the local change, `theirs` what the other one
/// saved. Both changes are kept wherever they touch different parts: different fields,
/// different decisions, reminders or follow-ups (matched by id), different checklist answers.
/// Where both changed the same value differently, theirs wins (it is already saved and someone
/// saw it) and the part of mine that could not be kept is named, so the user can make it again.
/// Nothing is ever overwritten silently.
public enum ClientMerge {
    public struct Result: Equatable, Sendable {
        public var client: Client
        /// Swedish names of the parts of the local change that were not kept ("beslut d12: beviljad tid").
        public var notApplied: [String]

        public init(client: Client, notApplied: [String]) {
            self.client = client
            self.notApplied = notApplied
        }
    }

    public static func merge(base: Client, mine: Client, theirs: Client) -> Result {
        if mine == base || mine == theirs { return Result(client: theirs, notApplied: []) }
        if theirs == base { return Result(client: mine, notApplied: []) }
        guard let b = JSONValue(base), let m = JSONValue(mine), let t = JSONValue(theirs) else {
            return Result(client: theirs, notApplied: ["hela ärendet"])
        }
        var conflicts: [String] = []
        let merged = merge(b, m, t, path: [], conflicts: &conflicts)
        guard let merged, let client = merged.decode(Client.self) else {
            return Result(client: theirs, notApplied: ["hela ärendet"])
        }
        return Result(client: client, notApplied: conflicts)
    }

    static func merge(_ base: JSONValue?, _ mine: JSONValue?, _ theirs: JSONValue?, path: [String],
                      conflicts: inout [String]) -> JSONValue? {
        if mine == base { return theirs }
        if theirs == base || mine == theirs { return mine }
        switch (base, mine, theirs) {
        case (.object(let b)?, .object(let m)?, .object(let t)?):
            return .object(mergeObjects(b, m, t, path: path, conflicts: &conflicts))
        case (nil, .object(let m)?, .object(let t)?):
            return .object(mergeObjects([:], m, t, path: path, conflicts: &conflicts))
        case (_, .array(let m)?, .array(let t)?):
            let b: [JSONValue]
            if case .array(let items)? = base { b = items } else { b = [] }
            if let merged = mergeByID(b, m, t, path: path, conflicts: &conflicts) { return .array(merged) }
        default:
            break
        }
        conflicts.append(describe(path))
        return theirs
    }

    static func mergeObjects(_ b: [String: JSONValue], _ m: [String: JSONValue], _ t: [String: JSONValue],
                             path: [String], conflicts: inout [String]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for key in Set(b.keys).union(m.keys).union(t.keys) {
            if let value = merge(b[key], m[key], t[key], path: path + [key], conflicts: &conflicts) {
                result[key] = value
            }
        }
        return result
    }

    /// Lists of records with an `id` (decisions, follow-ups, reminders) merge record by record:
    /// theirs' order, then records only mine added. nil for lists that are not of that kind.
    static func mergeByID(_ b: [JSONValue], _ m: [JSONValue], _ t: [JSONValue], path: [String],
                          conflicts: inout [String]) -> [JSONValue]? {
        func ids(_ list: [JSONValue]) -> [String]? {
            var result: [String] = []
            for item in list {
                guard case .object(let fields) = item, case .string(let id)? = fields["id"] else { return nil }
                result.append(id)
            }
            return Set(result).count == result.count ? result : nil
        }
        guard let bIDs = ids(b), let mIDs = ids(m), let tIDs = ids(t) else { return nil }
        let byID = { (list: [JSONValue], keys: [String]) in Dictionary(uniqueKeysWithValues: zip(keys, list)) }
        let bMap = byID(b, bIDs), mMap = byID(m, mIDs), tMap = byID(t, tIDs)
        var order = tIDs
        for id in mIDs where tMap[id] == nil && bMap[id] == nil { order.append(id) }
        var result: [JSONValue] = []
        for id in order {
            if let value = merge(bMap[id], mMap[id], tMap[id], path: path + [id], conflicts: &conflicts) {
                result.append(value)
            }
        }
        return result
    }

    /// "beslut d12: granted" in words a handläggare recognises.
    static func describe(_ path: [String]) -> String {
        guard !path.isEmpty else { return "hela ärendet" }
        return path.map(fieldName).joined(separator: " ")
    }

    /// A store key in Swedish ("doorCode" → "portkod"); an unknown key as it is.
    public static func fieldName(_ key: String) -> String {
        let names = ["decisions": "beslut", "reminders": "bevakning", "followUps": "uppföljning",
                     "draft": "pågående uppföljning", "notes": "anteckning", "name": "namn",
                     "representative": "företrädare", "children": "barn i hushållet", "archived": "arkivering",
                     "visit": "hembesöksläge", "answers": "svar", "granted": "beviljad tid",
                     "performed": "utförd tid", "to": "slutdatum", "from": "startdatum", "started": "verkställt",
                     "provider": "utförare", "consent": "samtycke", "plan": "genomförandeplan", "closed": "avslutat",
                     "due": "datum", "status": "status", "priority": "prioritet", "text": "text", "journal": "journal",
                     "note": "anteckning", "mark": "markering",
                     "address": "adress", "phones": "telefon", "doorCode": "portkod", "access": "tillträde",
                     "booking": "bokat besök", "decided": "beslutsdatum", "offers": "erbjudanden",
                     "notCarriedOut": "del som inte verkställts", "interruptions": "avbrott",
                     "delayReason": "skäl till dröjsmålet", "consequences": "konsekvenser",
                     "postponed": "uppskjutet på egen begäran (LOV)",
                     "ivoReported": "IVO-rapportering", "ivoClosingReported": "IVO-avslut", "ivoID": "IVO-id",
                     "protected": "skyddade personuppgifter", "pnr": "personnummer", "handovers": "handläggarbyten",
                     "service": "insats", "law": "lag", "form": "beslutsform", "ny": "ny", "borttagen": "borttagen",
                     "performedMonth": "utförd månad", "kind": "slag", "decision": "beslut",
                     "date": "datum", "participants": "deltagare", "outcome": "resultat", "trigger": "anledning",
                     "ruleDue": "regelns datum", "done": "klar"]
        return names[key] ?? key
    }
}

/// A JSON value that can be compared, for the merge.
enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init?<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let decoded = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return nil
        }
        self = decoded
    }

    func decode<T: Decodable>(_ type: T.Type) -> T? {
        guard let data = try? JSONEncoder().encode(self) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
