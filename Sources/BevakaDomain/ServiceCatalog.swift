import Foundation

/// A named insats with the law it is usually granted under and the routine profile it follows.
public struct ServiceKind: Sendable, Equatable {
    public var name: String
    public var law: Law
    public var profile: String

    public init(name: String, law: Law, profile: String) {
        self.name = name
        self.law = law
        self.profile = profile
    }
}

/// The insatser Bevaka knows by name (docs/rules.md), kept as data: municipalities name their
/// services their own way, so any other text is accepted and mapped by its law
/// (`ServiceCatalog.fallbackProfile`).
public struct ServiceCatalog: Sendable {
    public let kinds: [ServiceKind]
    /// Extra spellings (normalised) → profile, e.g. from the user's profile file.
    public let aliases: [String: String]
    /// Normalised name → the kinds of that name: built once, because every rule evaluation asks.
    private let index: [String: [ServiceKind]]
    /// Every name the lookups know that is already in normal form: a stored service spelled
    /// exactly so needs no normalising (most are; Swedish names always take normalise's slow path).
    private let normalNames: Set<String>
    /// Each of `normalNames`, by the hash of its UTF-8 bytes, with the profile it follows under
    /// SoL and under LSS: a decision's service is looked up here by its bytes alone (a Swedish
    /// name hashed as a `String` is normalised on the way, some thousand instructions a decision).
    /// Anything not here, spelled byte for byte, takes `profileID(normalised:law:)`.
    private var exact: [UInt64: [(name: [UInt8], sol: String, lss: String)]] = [:]

    public init(kinds: [ServiceKind] = ServiceCatalog.builtIn, aliases: [String: String] = [:]) {
        self.kinds = kinds
        self.aliases = aliases
        self.index = Dictionary(grouping: kinds) { ServiceCatalog.normalise($0.name) }
        let names = Array(index.keys) + Array(aliases.keys) + Array(ServiceCatalog.builtInAliases.keys)
        self.normalNames = Set(names.filter { ServiceCatalog.normalise($0) == $0 })
        // Made once the lookups it asks are (the table itself is empty until then).
        var exact: [UInt64: [(name: [UInt8], sol: String, lss: String)]] = [:]
        for name in normalNames {
            exact[ServiceCatalog.byteHash(name), default: []].append(
                (Array(name.utf8), profileID(normalised: name, law: .sol), profileID(normalised: name, law: .lss)))
        }
        self.exact = exact
    }

    /// FNV-1a of the UTF-8 bytes.
    static func byteHash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8(byteHash)
    }

    static func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    public static let builtIn: [ServiceKind] = [
        // SoL, elderly care
        ServiceKind(name: "hemtjänst", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "personlig omvårdnad", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "serviceinsatser", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "trygghetslarm", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "matdistribution", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "dagverksamhet", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "kontaktperson", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "korttidsvistelse", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "boendestöd", law: .sol, profile: "hemtjanst"),
        ServiceKind(name: "vård- och omsorgsboende", law: .sol, profile: "sabo"),
        // LSS 9 §
        ServiceKind(name: "rådgivning och annat personligt stöd", law: .lss, profile: "lss"),
        ServiceKind(name: "personlig assistans", law: .lss, profile: "lss"),
        ServiceKind(name: "ledsagarservice", law: .lss, profile: "lss"),
        ServiceKind(name: "kontaktperson", law: .lss, profile: "lss"),
        ServiceKind(name: "avlösarservice i hemmet", law: .lss, profile: "lss"),
        ServiceKind(name: "korttidsvistelse", law: .lss, profile: "lss"),
        ServiceKind(name: "korttidstillsyn för skolungdom över 12 år", law: .lss, profile: "lss"),
        ServiceKind(name: "boende för barn och ungdomar", law: .lss, profile: "lss"),
        ServiceKind(name: "bostad med särskild service för vuxna", law: .lss, profile: "lss"),
        ServiceKind(name: "daglig verksamhet", law: .lss, profile: "lss"),
    ]

    /// Common other spellings of the SÄBO insats.
    static let builtInAliases: [String: String] = [
        "sabo": "sabo", "särskilt boende": "sabo", "särskilt boende för äldre": "sabo",
        "vård och omsorgsboende": "sabo", "vobo": "sabo",
    ]

    /// Every name the built-in catalog knows, in normal form: the shared store's planning data
    /// keeps a service only when it is one of these (anything else is a municipality's own text).
    public static var plainNames: [String] {
        Array(Set(builtIn.map { normalise($0.name) } + builtInAliases.keys.map(normalise))).sorted()
    }

    /// Documented default for unknown insatser: LSS decisions follow the LSS routine,
    /// everything else the hemtjänst routine (the most common SoL insats).
    public static func fallbackProfile(for law: Law) -> String {
        law == .lss ? "lss" : "hemtjanst"
    }

    /// The profile a decision follows: by its service name (any spelling), else by its law.
    public func profileID(service: String, law: Law) -> String {
        // The bytes in place (a stored name is a native string: no copy), compared with memcmp.
        var bytes = service
        let known = bytes.withUTF8 { name -> String? in
            guard let entries = exact[ServiceCatalog.byteHash(name)] else { return nil }
            for entry in entries where entry.name.count == name.count {
                let same = entry.name.withUnsafeBufferPointer { stored in
                    guard let a = stored.baseAddress, let b = name.baseAddress else { return name.isEmpty }
                    return memcmp(a, b, name.count) == 0
                }
                if same { return law == .lss ? entry.lss : entry.sol }
            }
            return nil
        }
        if let known { return known }
        return profileID(normalised: normalNames.contains(service) ? service : ServiceCatalog.normalise(service), law: law)
    }

    func profileID(normalised key: String, law: Law) -> String {
        if let alias = aliases[key] ?? ServiceCatalog.builtInAliases[key] { return alias }
        let named = index[key] ?? []
        if let kind = named.first(where: { $0.law == law }) ?? named.first {
            // The law decides for names used under both acts (kontaktperson, korttidsvistelse).
            return kind.law == law ? kind.profile : ServiceCatalog.fallbackProfile(for: law)
        }
        return ServiceCatalog.fallbackProfile(for: law)
    }

    /// A service as lists show it: a known kind by its catalogue name (lower case, as in running
    /// Swedish text: "hemtjänst"), so "Hemtjänst" typed by one handläggare and the unit's
    /// planning word for it read alike (issue 35, item 18); anything else as written.
    public func listName(_ service: String) -> String {
        let key = normalNames.contains(service) ? service : ServiceCatalog.normalise(service)
        return index[key]?.first?.name ?? service
    }

    /// The law a known service name is usually granted under (for imports without a law column).
    public func law(forService service: String) -> Law? {
        let key = ServiceCatalog.normalise(service)
        if ServiceCatalog.builtInAliases[key] == "sabo" { return .sol }
        let laws = Set((index[key] ?? []).map(\.law))
        return laws.count == 1 ? laws.first : nil
    }

    /// Lower case, single spaces, trimmed.
    public static func normalise(_ text: String) -> String {
        // Most stored names are already normal; check before building a new string.
        // Lower-case Latin-1 letters (à–ÿ: å, ä, ö, é among them, U+00E0–U+00FF, written C3 A0–BF)
        // are already lower case; any other non-ASCII takes the slow path.
        var plain = true
        var previousSpace = true
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == 0xC3 {
                guard let next = bytes.next(), next >= 0xA0 else {
                    plain = false
                    break
                }
                previousSpace = false
                continue
            }
            let space = byte == 0x20
            if (byte >= 0x41 && byte <= 0x5A) || byte == 0x09 || byte >= 0x80 || (space && previousSpace) {
                plain = false
                break
            }
            previousSpace = space
        }
        if plain && !previousSpace { return text }
        return referenceNormalise(text)
    }

    /// What `normalise` gives, always by lower-casing and splitting (the reference its fast path
    /// is tested against).
    static func referenceNormalise(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
