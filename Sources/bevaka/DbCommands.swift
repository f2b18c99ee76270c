import ArgumentParser
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

/// `bevaka db …`: the unit's shared store on PostgreSQL (docs/postgresql.md).
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Enhetens gemensamma ärendelista i PostgreSQL (se docs/postgresql.md).",
        subcommands: [DbInitCommand.self, DbImportStoreCommand.self, DbUserCommand.self, DbCoverCommand.self,
                      DbReassignCommand.self, DbAuditCommand.self, DbLoggkontrollCommand.self, DbVerifyLogCommand.self])
}

extension Context {
    /// The store, which must be the database.
    func database() throws -> PostgresStore {
        guard let store = try store() as? PostgresStore else {
            throw UserFacingError(message: "Det här kommandot gäller databasen: ange --store postgresql://… (eller BEVAKA_STORE, eller \"store\" i ~/.config/bevaka/config.json).")
        }
        return store
    }
}

struct DbInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Skapa eller uppdatera databasens schema. Ändrar inget om det redan är aktuellt.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try Context(global).database()
        do {
            let applied = try store.initialise()
            if applied.isEmpty {
                print("Schemat i \(store.location) är redan aktuellt; inget ändrades.")
            } else {
                print("Schemat i \(store.location) är skapat eller uppdaterat:")
                for line in applied { print("  \(line)") }
            }
        } catch {
            throw UserFacingError(message: error.message)
        }
    }
}

struct DbImportStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-store",
        abstract: "Flytta en handläggares ärendelista (JSON-filen) in i databasen, tilldelad en roll.",
        discussion: "Kan köras flera gånger: det som redan finns ändras inte, och ett personnummer som redan finns i databasen läggs aldrig in två gånger.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Ärendelistans fil (caseload.json).", valueName: "FILE"))
    var file: String

    @Option(help: ArgumentHelp("Databasrollen för den handläggare som ärendena tillhör.", valueName: "ROLE"))
    var owner: String

    func run() throws {
        let context = try Context(global)
        let store = try context.database()
        let source = FileStore(url: URL(fileURLWithPath: file))
        let caseload: Caseload
        do {
            guard let loaded = try source.load() else {
                throw UserFacingError(message: "Filen \(file) finns inte.")
            }
            caseload = loaded
        } catch let error as StoreError {
            throw UserFacingError(message: error.message)
        }
        do {
            let report = try store.importCaseload(caseload, owner: owner)
            print("Flyttade in \(report.added) av \(caseload.clients.count) personer till \(store.location), tilldelade \(owner).")
            if report.unchanged > 0 { print("Redan inflyttade och oförändrade: \(report.unchanged).") }
            if report.renumbered > 0 { print("Fick nytt ärende-id (id:t var upptaget av en annan person): \(report.renumbered).") }
            if !report.alreadyThere.isEmpty {
                print("Personnumret finns redan i databasen med annat innehåll; inte inlagt igen (\(report.alreadyThere.count)):")
                for (fileID, databaseID) in report.alreadyThere {
                    print("  ärende \(fileID) i filen = ärende \(databaseID) i databasen")
                }
                throw ExitCode(3)
            }
        } catch let error as StoreError {
            throw UserFacingError(message: error.message)
        }
    }
}
