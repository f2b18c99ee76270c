import ArgumentParser
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

/// `bevaka db user`, `db cover`, `db reassign`, `db audit`: the unit's administration
/// (docs/postgresql.md). The database decides who may do what; these commands say it in Swedish.
struct DbUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Enhetens användare.", subcommands: [DbUserAddCommand.self, DbUserRemoveCommand.self, DbUserListCommand.self])
}

enum StaffKind: String, ExpressibleByArgument, CaseIterable {
    case handlaggare, chef
}

/// A role name the commands accept (PostgreSQL's unquoted form), or the Swedish reason.
func checkedRole(_ role: String) throws(ArgumentRule) -> String {
    guard PostgresStore.validRole(role) else {
        throw ArgumentRule(message: "Rollen \"\(TerminalText.sanitize(role))\" går inte att använda: skriv små bokstäver a–z, siffror och _ (högst 63 tecken), t.ex. anna_l.")
    }
    return role
}

extension Context {
    /// A personnummer typed on the command line, checked (the message never repeats it).
    func personnummer(_ text: String) throws -> Personnummer {
        do {
            return try Personnummer.parse(text, today: today)
        } catch {
            throw UserFacingError(message: error.message)
        }
    }
}

/// Runs a store call and turns its error into the user's message.
func storeCall<T>(_ work: () throws(StoreError) -> T) throws -> T {
    do {
        return try work()
    } catch {
        throw UserFacingError(message: error.message)
    }
}

struct DbUserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Lägg till en handläggare eller enhetschef (körs av databasens ägare).",
        discussion: "Skapar inloggningsrollen om den saknas (utan lösenord: servern bestämmer hur man loggar in, t.ex. peer eller lösenord som IT sätter) och ger den gruppen bevaka_handlaggare eller bevaka_chef.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Databasrollen, t.ex. anna_l (små bokstäver, siffror och _).", valueName: "ROLE"))
    var user: String

    @Option(name: .customLong("role"), help: ArgumentHelp("handlaggare eller chef.", valueName: "handlaggare|chef"),
            completion: .list(StaffKind.allValueStrings))
    var role: String

    var kind: StaffKind { StaffKind(rawValue: role) ?? .handlaggare }

    @Option(help: ArgumentHelp("Namnet som visas för kollegorna, t.ex. \"Anna Lind\" (annars rollen).", valueName: "NAMN"))
    var name: String?

    func validate() throws {
        let _: StaffKind = try ArgumentRule.choice(role, option: "--role")
        _ = try checkedRole(user)
        _ = try shownName()
    }

    func shownName() throws(ArgumentRule) -> String {
        let shown = TerminalText.sanitize(name ?? user).trimmingCharacters(in: .whitespaces)
        guard !shown.isEmpty, shown.count <= 200 else {
            throw ArgumentRule(message: "Namnet ska ha 1–200 tecken.")
        }
        return shown
    }

    func run() throws {
        let shown = try shownName()
        let store = try Context(global).database()
        let created = try storeCall { () throws(StoreError) in
            try store.addUser(user, kind: kind == .chef ? .chef : .handlaggare, name: shown)
        }
        let group = kind == .chef ? "enhetschef (bevaka_chef)" : "handläggare (bevaka_handlaggare)"
        print(created ? "Rollen \(user) skapades och är nu \(group) med namnet \(shown)."
                      : "Rollen \(user) fanns och är nu \(group) med namnet \(shown).")
    }
}

struct DbUserRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Ta bort en handläggare eller enhetschef ur enheten (körs av databasens ägare).",
        discussion: """
            Tar varje rättighet i den här enheten: avslutar alla vikariat till och från personen, tar bort rätten att \
            ansluta till databasen och markerar personen som borttagen (namnet finns kvar i loggen). Ärendena måste \
            först flyttas till någon annan (bevaka db reassign). Grupper i andra enheters databaser ger inga rättigheter här.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Databasrollen, t.ex. anna_l.", valueName: "ROLE"))
    var user: String

    func run() throws {
        _ = try checkedRole(user)
        let store = try Context(global).database()
        let ended = try storeCall { () throws(StoreError) in try store.removeUser(user) }
        print("\(user) är borttagen ur enheten: kan inte längre ansluta, inga vikariat" + (ended > 0 ? " (\(ended) avslutade)" : "")
              + "; namnet står kvar i loggen.")
    }
}

struct DbUserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Visa enhetens handläggare och chefer.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try Context(global).database()
        let staff = try storeCall { () throws(StoreError) in try store.staff() }
        if staff.isEmpty { print("Inga användare än; lägg till med bevaka db user add ROLE --role handlaggare --name \"Förnamn Efternamn\".") }
        for person in staff {
            let kind = person.kind == "chef" ? "chef       " : person.kind == "ended" ? "borttagen  " : "handläggare"
            print("\(person.role.padding(toLength: 20, withPad: " ", startingAt: 0)) \(kind) \(TerminalText.sanitize(person.name))")
        }
    }
}

struct DbCoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cover", abstract: "Vikariat: en kollega ser och arbetar med en handläggares ärenden till och med ett datum.",
        discussion: """
            bevaka db cover --to bo_k --until 2026-12-24       (din egen ärendelista)
            bevaka db cover --for anna_l --to bo_k --until …   (enhetschefen, för någon annan)
            bevaka db cover --end [--for anna_l] [--to bo_k]   (avsluta i förtid)
            Vikariatet gäller till och med slutdatumet; dagen efter ser kollegan inte längre ärendena. Inget jobb behöver köras.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Kollegan som täcker (databasroll).", valueName: "ROLE"))
    var to: String?

    @Option(name: .customLong("for"), help: ArgumentHelp("Handläggaren vars ärenden täcks (annars du själv).", valueName: "ROLE"))
    var covered: String?

    @Option(help: ArgumentHelp("Sista dagen vikariatet gäller.", valueName: "YYYY-MM-DD"))
    var until: String?

    @Flag(help: "Avsluta vikariatet i förtid.")
    var end = false

    func run() throws {
        let context = try Context(global)
        for role in [self.covered, to].compactMap({ $0 }) { _ = try checkedRole(role) }
        let store = try context.database()
        let me = try storeCall { () throws(StoreError) in try store.whoAmI() }
        let covered = self.covered ?? me.me
        if end {
            let ended = try storeCall { () throws(StoreError) in try store.endCover(covered: covered, covering: to) }
            if ended == 0 {
                print("Inget pågående vikariat för \(me.shortName(covered))\(to.map { " med \(me.shortName($0))" } ?? "") att avsluta.")
            } else {
                print("Vikariatet för \(me.shortName(covered)) är avslutat; kollegan ser inte längre ärendena.")
            }
            return
        }
        guard let to else {
            throw UserFacingError(message: "Ange vem som täcker: --to ROLE (och --until ÅÅÅÅ-MM-DD), eller --end för att avsluta.")
        }
        guard let text = until else {
            throw UserFacingError(message: "Ange sista dagen: --until ÅÅÅÅ-MM-DD.")
        }
        guard let day = Day(iso: text) else {
            throw UserFacingError(message: "Datumet \"\(TerminalText.sanitize(text))\" är ogiltigt; skriv det som ÅÅÅÅ-MM-DD, t.ex. 2026-12-24.")
        }
        try storeCall { () throws(StoreError) in try store.grantCover(covered: covered, covering: to, until: day) }
        print("\(me.shortName(to)) täcker för \(me.shortName(covered)) till och med \(day). Avsluta i förtid med bevaka db cover --end\(self.covered.map { " --for \($0)" } ?? "").")
    }
}

struct DbReassignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reassign", abstract: "Handläggarbyte: ärendet flyttar med sin historik till en annan handläggare (enhetschefen).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Personens personnummer.", valueName: "PERSONNUMMER"))
    var personnummer: String

    @Option(help: ArgumentHelp("Den nya handläggaren (databasroll).", valueName: "ROLE"))
    var to: String

    func run() throws {
        let context = try Context(global)
        let number = try context.personnummer(personnummer)
        let to = try checkedRole(self.to)
        let store = try context.database()
        let moved = try storeCall { () throws(StoreError) in try store.reassign(number, to: to) }
        let me = try storeCall { () throws(StoreError) in try store.whoAmI() }
        print("Ärende \(moved.id) (\(number.masked)) är flyttat från \(me.shortName(moved.from)) till \(me.shortName(to)); bytet står i ärendet och i åtkomstloggen.")
    }
}

enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv
}

struct DbAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Loggkontroll: vem öppnade, ändrade eller exporterade vilket ärende, och när (enhetschefen).",
        discussion: "Ärenden anges med id, aldrig med personnummer. Att en handläggare läste in sin ärendelista (vid start) visas med --all.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("client"), help: ArgumentHelp("Bara den här personens ärende.", valueName: "PERSONNUMMER"))
    var person: String?

    @Option(help: ArgumentHelp("Bara den här användaren (databasroll).", valueName: "ROLE"))
    var user: String?

    @Option(help: ArgumentHelp("Från och med detta datum.", valueName: "YYYY-MM-DD"))
    var since: String?

    @Option(help: ArgumentHelp("text eller csv.", valueName: "text|csv"), completion: .list(AuditFormat.allValueStrings))
    var format = "text"

    @Flag(help: "Ta också med inläsningar av hela ärendelistor.")
    var all = false

    func validate() throws {
        let _: AuditFormat = try ArgumentRule.choice(format, option: "--format")
        _ = try self.user.map(checkedRole)
        _ = try sinceDay()
    }

    func sinceDay() throws(ArgumentRule) -> Day? {
        guard let since else { return nil }
        guard let day = Day(iso: since) else {
            throw ArgumentRule(message: "Datumet \"\(TerminalText.sanitize(since))\" (--since) är ogiltigt; skriv det som ÅÅÅÅ-MM-DD.")
        }
        return day
    }

    func run() throws {
        let context = try Context(global)
        let number = try person.map(context.personnummer)
        let user = self.user
        let day = try sinceDay()
        let store = try context.database()
        let rows = try storeCall { () throws(StoreError) in
            try store.audit(client: number, user: user, since: day, includeLists: all)
        }
        // For the reviewer: who by name, which person by name and birth date (read through the
        // planning data, itself a logged read), times in Stockholm's time, as the app shows them.
        let staff = Dictionary(try storeCall { () throws(StoreError) in try store.staff() }.map { ($0.role, $0.name) },
                               uniquingKeysWith: { first, _ in first })
        let people = rows.contains { $0.clientID != nil } ? try storeCall { () throws(StoreError) in try store.namesForReview() } : [:]
        func who(_ role: String) -> String {
            staff[role].map { "\(TerminalText.sanitize($0)) (\(role))" } ?? TerminalText.sanitize(role)
        }
        func personText(_ id: String?) -> String {
            guard let id else { return "" }
            guard let known = people[id] else { return "\(id) (finns inte längre)" }
            return "\(known.name), \(known.born)"
        }
        switch AuditFormat(rawValue: format) ?? .text {
        case .csv:
            print("tid;vem;roll;ärende;person;händelse;detalj")
            for row in rows {
                let fields = [DbAuditCommand.localTime(row.at), staff[row.who] ?? "", row.who, row.clientID ?? "", personText(row.clientID),
                              DbAuditCommand.action(row.action), DbAuditCommand.detail(row.detail)]
                print(fields.map { CSVField.escape($0, separator: ";") }.joined(separator: ";"))
            }
        case .text:
            if rows.isEmpty { print("Inga händelser i åtkomstloggen med de villkoren.") } else { print("Tid                  Vem  Händelse  Person  Detalj") }
            for row in rows {
                var line = "\(DbAuditCommand.localTime(row.at))  \(who(row.who))  \(DbAuditCommand.action(row.action))"
                if row.clientID != nil { line += "  \(personText(row.clientID))" }
                let detail = DbAuditCommand.detail(row.detail)
                if !detail.isEmpty { line += "  \(TerminalText.sanitize(detail))" }
                print(line)
            }
        }
    }

    /// A moment as the app's clock shows it: Europe/Stockholm, to the second.
    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.timeZone = TimeZone(identifier: "Europe/Stockholm") ?? .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// The database's detail in words: changed fields by their Swedish names.
    static func detail(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        guard let colon = text.range(of: ": "), text.hasPrefix("version ") else { return text }
        let fields = text[colon.upperBound...].split(separator: ",").map { field -> String in
            let parts = field.trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init)
            return parts.map { ClientMerge.fieldName($0) }.joined(separator: ": ")
        }
        // "version 2 (sparande)" → "version 2, sparande": no parentheses inside parentheses (issue 35, item 21).
        let head = text[..<colon.lowerBound].replacingOccurrences(of: " (", with: ", ").replacingOccurrences(of: ")", with: "")
        return "ändrade " + fields.joined(separator: ", ") + " (" + head + ")"
    }

    static func action(_ code: String) -> String {
        switch code {
        case "listed": return "läste"
        case "opened": return "öppnade"
        case "exported": return "exporterade"
        case "added": return "lade till"
        case "changed": return "ändrade"
        case "reassigned": return "flyttade"
        case "cover_granted": return "vikariat"
        case "cover_ended": return "vikariat slut"
        case "looked_up": return "slog upp"
        case "gallrad": return "gallrade"
        case "log_purged": return "rensade loggen"
        case "reviewed": return "loggkontroll"
        case "staff_removed": return "tog bort personal"
        case "rate_limited": return "för många läsningar"
        default: return code
        }
    }

}

/// A CSV field for a spreadsheet, quoted when needed; a leading =, +, - or @ is defused.
enum CSVField {
    static func escape(_ text: String, separator: Character = ";") -> String {
        var value = TerminalText.sanitize(text)
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
