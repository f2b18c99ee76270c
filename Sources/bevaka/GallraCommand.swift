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
            och åtkomstloggen får "gallrad" med ärendets id). Tiden ställs med "gallringMonths" i profiles.json \
            (null: ingen gallring). Bevaka gallrar också själv när programmet startar. Exporter du redan gjort är dina.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Visa vilka som skulle tas bort utan att ta bort något.")
    var dryRun = false

    func run() throws {
        guard !global.demo else { throw UserFacingError(message: "Med --demo finns inget att gallra; demolistan sparas aldrig.") }
        let context = try Context(global)
        guard let months = context.routines.gallringMonths else {
            print("Gallring är avstängd (\"gallringMonths\": null i profiles.json); ingenting tas bort.")
            return
        }
        let store = try context.store()
        let caseload: Caseload
        do {
            if !dryRun { try store.prepareForWriting() }
            caseload = try store.load() ?? Caseload()
        } catch {
            throw UserFacingError(message: error.message)
        }
        let candidates = Gallring.candidates(caseload, months: months, today: context.today)
        guard !candidates.isEmpty else {
            print("Ingen att gallra: ingen arkiverad person vars alla beslut upphörde för mer än \(months) månader sedan.")
            return
        }
        print(dryRun ? "Skulle tas bort (\(candidates.count)):" : "Tas bort (\(candidates.count)):")
        for candidate in candidates {
            let born = candidate.client.protectedIdentity ? "Skyddad" : String(candidate.client.personnummer.masked.prefix(8))
            print("  \(TerminalText.sanitize(candidate.client.name)), född \(born), sista beslut upphörde \(candidate.lastEnd)")
        }
        guard !dryRun else {
            print("Provkörning: ingenting togs bort.")
            return
        }
        let removed: Int
        do {
            (_, removed) = try store.removeForGood(Set(candidates.map(\.client.id)), from: caseload, months: months)
        } catch {
            throw UserFacingError(message: error.message)
        }
        print(GallraCommand.summary(removed: removed, of: candidates.count))
    }

    static func summary(removed: Int, of asked: Int) -> String {
        var text = removed == 1 ? "1 person är borttagen" : "\(removed) personer är borttagna"
        text += " ur ärendelistan och dess säkerhetskopior."
        if removed < asked {
            text += " \(asked - removed) togs inte bort (ändrade av någon annan, eller inte dina)."
        }
        return text + " Exporter och utskrifter du redan gjort är dina att ta bort."
    }
}
