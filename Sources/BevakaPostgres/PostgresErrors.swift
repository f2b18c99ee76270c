import BevakaDomain
import BevakaStore
import Foundation

/// What went wrong with the server, as one Swedish sentence: libpq's messages when a connection
/// could not be made or broke, the server's SQLSTATE when it refused a statement.
extension PostgresStore {
    /// The transaction's COMMIT was sent and its answer lost with the connection.
    struct OutcomeUnknown: Error {}

    /// The Swedish sentence for what went wrong.
    func translate(_ error: any Error, what: String) -> StoreError {
        if ProcessInfo.processInfo.environment["BEVAKA_DEBUG_PG"] != nil {
            FileHandle.standardError.write(Data("debug: \(String(reflecting: error))\n".utf8))
        }
        var timedOut = false
        if case PGError.timedOut = error { timedOut = true }
        if error is OutcomeUnknown || error is PGSession.CommitOutcomeUnknown || (timedOut && what == "spara") {
            // The next save compares versions: what did land is recognised as the user's own.
            return .unreachable(location: address.serverDescription,
                                reason: "anslutningen bröts medan ändringen sparades; den är kanske sparad och kontrolleras när servern svarar")
        }
        if let error = error as? StoreError { return error }
        guard let error = error as? PGError else {
            return .unreachable(location: address.serverDescription, reason: "anslutningen misslyckades")
        }
        switch error {
        case .timedOut:
            return .unreachable(location: address.serverDescription, reason: "servern svarade inte i tid (\(what))")
        case .lost(let message):
            return .unreachable(location: address.serverDescription, reason: PostgresStore.reason(message))
        case .decoding(let detail):
            return .server(location: location, reason: "databasens svar gick inte att läsa: \(detail)")
        case .connect(let message):
            return connectFailure(message)
        case .server(let state, let message):
            switch state {
            case "28P01", "28000":
                return .server(location: location, reason: "inloggningen nekades för \(address.user)")
            case "3D000":
                return .server(location: location, reason: "databasen \(address.database) finns inte")
            case "42P01":
                return .schemaMissing(location: location)
            case "42501" where message.hasPrefix("permission denied for database"):
                return .server(location: location, reason: "rollen \(address.user) får inte ansluta till databasen \(address.database); be databasens ägare köra bevaka db user add \(address.user)")
            case "42501":
                return .server(location: location, reason: "behörighet saknas" + (PostgresStore.ownWords(message).map { ": \($0)" } ?? ""))
            case "25006":
                return .unreachable(location: address.serverDescription, reason: "servern tar bara emot läsningar (en standby); ange alla servrar och target_session_attrs=read-write i adressen")
            case "57P01", "57P02", "57P03":
                return .unreachable(location: address.serverDescription, reason: "servern stängs eller startar om")
            default:
                // The schema's own refusals are Swedish sentences ("bevaka: …"); others are
                // the server's words, never a bare code.
                let reason = PostgresStore.ownWords(message)
                    ?? TerminalText.maskPersonalNumbers(TerminalText.sanitize(message))
                return .server(location: location, reason: reason)
            }
        }
    }

    /// A connection that could not be made, from libpq's message (English; with several hosts,
    /// one line per host tried). Unknown messages are shown as libpq's own words.
    func connectFailure(_ message: String) -> StoreError {
        let text = message.lowercased()
        let server = address.serverDescription
        if text.contains("definition of service") && text.contains("not found") {
            return .server(location: location, reason: "adressens service finns inte i ~/.pg_service.conf (eller filen PGSERVICEFILE pekar på); kontrollera namnet")
        }
        if text.contains("password authentication failed") || text.contains("authentication failed for user") {
            return .server(location: location, reason: "inloggningen nekades för \(address.user)")
        }
        if text.contains("no password supplied") {
            return .server(location: location, reason: "servern kräver lösenord för \(address.user); ange det i ~/.pgpass (0600) eller PGPASSWORD, eller använd Kerberos")
        }
        if text.contains("peer authentication failed") {
            return .server(location: location, reason: "inloggningen nekades: ditt användarnamn i systemet är inte rollen \(address.user) (peer)")
        }
        if text.contains("gssapi") || text.contains("kerberos") || text.contains("credentials cache") {
            return .server(location: location, reason: "inloggningen med Kerberos misslyckades; logga in på nytt i Windows eller kör kinit, och försök igen")
        }
        if text.contains("does not exist") && text.contains("database") {
            return .server(location: location, reason: "databasen \(address.database) finns inte")
        }
        if text.contains("role") && text.contains("does not exist") {
            return .server(location: location, reason: "rollen \(address.user) finns inte i databasen; be databasens ägare köra bevaka db user add \(address.user)")
        }
        if text.contains("permission denied for database") {
            return .server(location: location, reason: "rollen \(address.user) får inte ansluta till databasen \(address.database); be databasens ägare köra bevaka db user add \(address.user)")
        }
        if text.contains("no pg_hba.conf entry") || text.contains("pg_hba.conf rejects") {
            return .server(location: location, reason: "anslutningen nekades för rollen \(address.user) härifrån (pg_hba.conf)"
                + (text.contains("no encryption") ? "; servern kräver TLS (sslmode=require eller verify-full)" : ""))
        }
        if text.contains("certificate") || text.contains("ssl error") || text.contains("sslrootcert") {
            return .unreachable(location: server, reason: "TLS-anslutningen godtogs inte: serverns certifikat kunde inte kontrolleras (sslmode=verify-full kräver ett certifikat från en betrodd utfärdare, se sslrootcert, och rätt värdnamn)")
        }
        if text.contains("server does not support ssl") {
            return .unreachable(location: server, reason: "servern erbjuder inte TLS (sslmode=\(address.sslmode ?? "prefer"))")
        }
        if text.contains("read-only") || text.contains("hot standby") || text.contains("is not the primary") {
            return .unreachable(location: server, reason: "ingen av servrarna tar emot ändringar just nu (alla är standby); försök igen om en stund")
        }
        return .unreachable(location: server, reason: PostgresStore.reason(message))
    }

    /// The sentence of a refusal raised by Bevaka's own schema, without its "bevaka: " prefix.
    static func ownWords(_ message: String) -> String? {
        guard message.hasPrefix("bevaka: ") else { return nil }
        return TerminalText.maskPersonalNumbers(TerminalText.sanitize(String(message.dropFirst("bevaka: ".count))))
    }

    /// Why a connection failed or broke, from libpq's message.
    static func reason(_ message: String) -> String {
        let text = message.lowercased()
        if text.contains("connection refused") { return "anslutningen nekades; körs servern?" }
        if text.contains("no such file or directory") { return "socketen finns inte; körs servern?" }
        if text.contains("permission denied") { return "behörighet saknas till socketen" }
        if text.contains("timeout expired") || text.contains("timed out") { return "tidsgränsen gick ut" }
        if text.contains("could not translate host name") || text.contains("name or service not known") {
            return "värdnamnet finns inte"
        }
        if text.contains("terminating connection") || text.contains("server closed the connection")
            || text.contains("connection closed") || text.contains("reset by peer") || text.contains("broken pipe")
            || text.contains("no connection") || text.isEmpty {
            return "anslutningen bröts"
        }
        // libpq's own words (perhaps in the user's language): the first line, cleaned.
        let first = message.split(separator: "\n").first.map(String.init) ?? message
        return "anslutningen misslyckades: " + TerminalText.maskPersonalNumbers(TerminalText.sanitize(first))
    }
}
