import ArgumentParser
import BevakaDomain
import BevakaStore
import Foundation

/// `bevaka gallra [--dry-run]`: removes the people the list no longer needs (`Gallring`).
struct GallraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallra",
        abstract: "Ta bort personer vars stöd upphört: arkiverade, alla beslut avslutade, 12 månader efter det sista (gallring).",
        discussion: """
            Personerna tas bort ur ärendelistan och ur varje säkerhetskopia (i den delade ärendelistan: raden, \
            och åtkomstloggen får "gallrad" med ärendets id; tiden är enhetens, satt i databasen). Tiden ställs \
            med "gallringMonths" i profiles.json (null: ingen gallring). Programmet frågar vid start innan det \
            gallrar. Gallring görs aldrig på ett datum efter datorns (--today eller BEVAKA_TODAY senare än det \
            blir en provkörning). Exporter du redan gjort är dina.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Visa vilka som skulle tas bort utan att ta bort något.")
    var dryRun = false

    func validate() throws {
        if global.demo { throw ArgumentRule(message: "Med --demo finns inget att gallra; demolistan sparas aldrig.") }
    }

    func run() throws {
        let context = try Context(global)
        guard let months = context.routines.gallringMonths else {
            print("Gallring är avstängd (\"gallringMonths\": null i profiles.json); ingenting tas bort.")
            return
        }
        let store = try context.store()
        defer { store.shutDown() }
        let caseload: Caseload
        do {
            // Also a dry run takes the lock: a gallring another program left unfinished is
            // finished first (FileStore.load), so the list shown is the list as it is.
            try store.prepareForWriting()
            caseload = try store.load() ?? Caseload()
        } catch {
            throw UserFacingError(message: error.message)
        }
        var dryRun = self.dryRun
        switch Gallring.permission(today: context.today, clockToday: Context.stockholmToday(),
                                   lastSaved: store.lastSavedAt, now: Date()) {
        case .allowed: break
        case .dryRun(let reason):
            print(reason)
            dryRun = true
        case .refused(let reason):
            throw UserFacingError(message: reason)
        }
        let candidates = Gallring.candidates(caseload, months: months, today: context.today)
        guard !candidates.isEmpty else {
            print("Ingen att gallra: ingen arkiverad person vars alla beslut upphörde för mer än \(months) månader sedan.")
            return
        }
        print(dryRun ? "Skulle tas bort (\(candidates.count)):" : "Tas bort (\(candidates.count)):")
        for candidate in candidates {
            print("  \(GallraCommand.line(candidate))")
        }
        guard !dryRun else {
            print("Provkörning: ingenting togs bort.")
            return
        }
        let removed: Int
        do {
            (_, removed) = try store.removeForGood(Set(candidates.map(\.client.id)), from: caseload)
        } catch {
            throw UserFacingError(message: error.message)
        }
        print(GallraCommand.summary(removed: removed, of: candidates.count, outside: store.copiesOutsideBevaka))
    }

    /// "Anna Lind, född 19400101, sista beslut upphörde 2025-10-31": the user sees whom before
    /// anything is removed (a protected identity by the word only).
    static func line(_ candidate: Gallring.Candidate) -> String {
        let client = candidate.client
        let who = client.protectedIdentity ? "Skyddad identitet" : TerminalText.sanitize(client.name)
        let born = client.protectedIdentity ? "" : ", född " + String(client.personnummer.masked.prefix(8))
        return "\(who)\(born), sista beslut upphörde \(candidate.lastEnd)"
    }

    static func summary(removed: Int, of asked: Int, outside: String?) -> String {
        var text = removed == 1 ? "1 person är borttagen" : "\(removed) personer är borttagna"
        text += outside == nil ? " ur ärendelistan och dess säkerhetskopior." : " ur den delade ärendelistan."
        if let outside { text += " " + outside }
        if removed < asked {
            text += " \(asked - removed) togs inte bort (ändrade av någon annan, eller inte dina)."
        }
        return text + " Exporter och utskrifter du redan gjort är dina att ta bort."
    }
}
