import BevakaDomain
import Foundation

/// The caseload in the import format (docs/import-format.md): one row per decision, `;`-separated,
/// UTF-8 with a BOM so Swedish Excel opens it with å/ä/ö intact, CRLF line ends as Excel writes.
/// Importing the file into an empty store gives the same people and decisions (see
/// `docs/export-formats.md` for what the format does not carry: use `export json` for that).
public enum CaseloadExport {
    public struct Result: Sendable, Equatable {
        public var text: String
        public var rows: Int
        /// People without any decision cannot be a row of the format.
        public var peopleLeftOut: Int
    }

    public static let columns: [ImportColumn] = [
        .personnummer, .namn, .insats, .lag, .beslutsform, .beviljadTid, .utfordTid, .beslutFran, .beslutTill,
        .beslutsdatum, .verkstallt, .utforare, .regi, .samtycke, .genomforandeplan, .senasteUppfoljning, .avslutat, .anteckning,
        .adress, .postnummer, .ort, .telefon, .telefonAnhorig, .telefonGodMan, .portkod, .tilltrade,
        .utforareKontakt, .utforareTelefon, .ejVerkstalltDel, .skalDrojsmal, .konsekvenser, .erbjudanden, .avbrott,
        .skyddad, .fodelsedatum, .kon, .reservnummer, .bestallningBekraftad, .eskalerad,
    ]

    public static func csv(_ caseload: Caseload, includeArchived: Bool = true) -> Result {
        var lines = [columns.map(\.rawValue).joined(separator: ";")]
        var rows = 0, leftOut = 0
        for client in caseload.clients where includeArchived || !client.archived {
            guard !client.decisions.isEmpty else {
                leftOut += 1
                continue
            }
            for (index, decision) in client.decisions.enumerated() {
                let fields = columns.map { column in
                    cleaned(value(column, decision: decision, client: client, first: index == 0), column)
                }
                lines.append(fields.map(quote).joined(separator: ";"))
                rows += 1
            }
        }
        return Result(text: "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n", rows: rows, peopleLeftOut: leftOut)
    }

    /// A cell as the import reads it: no control or invisible format characters (a file that is
    /// printed to a terminal cannot move its cursor or set its title), no spaces around it, and
    /// line breaks only in the note. So every export imports back the same.
    static func cleaned(_ text: String, _ column: ImportColumn) -> String {
        column == .anteckning
            ? TerminalText.sanitizeKeepingLines(text.replacingOccurrences(of: "\r\n", with: "\n")).trimmingCharacters(in: .whitespacesAndNewlines)
            : TerminalText.sanitize(text).trimmingCharacters(in: .whitespaces)
    }

    static func value(_ column: ImportColumn, decision: Decision, client: Client, first: Bool) -> String {
        switch column {
        case .personnummer: return client.personnummer.isWithoutSwedishNumber ? "" : client.personnummer.formatted
        // Only for a person without a Swedish personnummer (the import reads them from these).
        case .fodelsedatum:
            return client.personnummer.isWithoutSwedishNumber ? (client.personnummer.birthDate?.description ?? "") : ""
        case .kon: return client.personnummer.sex?.word ?? ""
        case .reservnummer: return client.personnummer.reservnummer ?? ""
        case .namn: return client.name
        case .insats: return decision.service
        case .lag: return decision.law == .lss ? "LSS" : "SoL"
        case .beslutsform:
            switch decision.form {
            case .frame: return "rambeslut"
            case .itemized: return "insatsbeslut"
            case nil: return ""
            }
        case .beviljadTid: return decision.grantedHours.map(FieldInput.formatHours) ?? ""
        case .utfordTid: return decision.performedHours.map(FieldInput.formatHours) ?? ""
        case .beslutFran: return decision.validFrom.description
        case .beslutTill: return decision.validTo?.description ?? ""
        case .beslutsdatum: return decision.decidedOn?.description ?? ""
        case .bestallningBekraftad: return decision.orderConfirmedOn?.description ?? ""
        case .eskalerad: return decision.escalatedOn?.description ?? ""
        case .ejVerkstalltDel: return decision.notCarriedOut ?? ""
        case .skalDrojsmal: return decision.delayReason ?? ""
        case .konsekvenser: return decision.consequences ?? ""
        case .erbjudanden: return VerkstallighetCells.offers(decision.offers)
        case .avbrott: return VerkstallighetCells.interruptions(decision.interruptions)
        case .verkstallt: return decision.startedOn?.description ?? ""
        case .utforare: return decision.provider?.name ?? ""
        case .regi:
            guard let provider = decision.provider else { return "" }
            return provider.regi == .private ? "privat" : "kommunal"
        case .samtycke:
            switch decision.consent {
            case .given: return "ja"
            case .refused: return "nej"
            case .notAsked: return "ej tillfrågad"
            case nil: return ""
            }
        case .genomforandeplan: return decision.plan?.currentDate?.description ?? ""
        case .senasteUppfoljning: return RuleEngine.lastFollowUp(of: decision, in: client)?.description ?? ""
        case .avslutat: return decision.closedOn?.description ?? ""
        case .anteckning: return first ? (client.notes ?? "") : ""
        case .skyddad: return client.protectedIdentity ? "ja" : ""
        // The person's contact details on every row of the person (each row stands alone in Excel),
        // never for a person with protected identity (they stay on the case screen).
        case .adress, .postnummer, .ort, .telefon, .telefonAnhorig, .telefonGodMan, .portkod, .tilltrade:
            return client.protectedIdentity ? "" : contact(column, client)
        case .utforareKontakt: return decision.provider?.contact ?? ""
        case .utforareTelefon: return decision.provider?.phone ?? ""
        }
    }

    static func contact(_ column: ImportColumn, _ client: Client) -> String {
        switch column {
        case .adress: return client.address?.street ?? ""
        case .postnummer: return client.address?.postcode ?? ""
        case .ort: return client.address?.town ?? ""
        case .telefon: return client.phone(Phone.own) ?? ""
        case .telefonAnhorig: return client.phone(Phone.relative) ?? ""
        case .telefonGodMan: return client.phone(Phone.guardian) ?? ""
        case .portkod: return client.doorCode ?? ""
        case .tilltrade: return client.access ?? ""
        default: return ""
        }
    }

    /// Quotes a field holding the separator, a quote or a line break (RFC 4180).
    /// A field as a spreadsheet may read it safely: a leading =, +, - or @ (a formula to Excel)
    /// gets an apostrophe, which the import takes away again; a field holding the separator, a
    /// quote or a line break, or beginning with a combining mark, is quoted, so an export always
    /// imports back the same.
    static func quote(_ raw: String) -> String {
        var field = raw
        if let first = field.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { field = "'" + field }
        let special = field.unicodeScalars.contains { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        let startsWithMark = field.unicodeScalars.first.map {
            [.nonspacingMark, .spacingMark, .enclosingMark].contains($0.properties.generalCategory)
        } ?? false
        guard special || startsWithMark else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
