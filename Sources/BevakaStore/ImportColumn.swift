/// The import format's columns (docs/import-format.md) and the header spellings each accepts.
public enum ImportColumn: String, CaseIterable, Sendable {
    case personnummer, namn, insats, lag, beslutsform
    case beviljadTid = "beviljad_tid"
    case utfordTid = "utford_tid"
    case beslutFran = "beslut_fran"
    case beslutTill = "beslut_till"
    case verkstallt, utforare, regi, samtycke, genomforandeplan
    case senasteUppfoljning = "senaste_uppfoljning"
    case anteckning
    case avslutat
    // The way to the door (person) and the provider's contact (decision).
    case adress, postnummer, ort, telefon
    case telefonAnhorig = "telefon_anhorig"
    case telefonGodMan = "telefon_god_man"
    case portkod
    case tilltrade
    case utforareKontakt = "utforare_kontakt"
    case utforareTelefon = "utforare_telefon"
    /// The day the decision was made (R11 counts three months from it).
    case beslutsdatum
    // Verkställighet (R11, R12; the IVO report).
    case ejVerkstalltDel = "ej_verkstallt_del"
    case skalDrojsmal = "skal_drojsmal"
    case konsekvenser, erbjudanden, avbrott
    /// Skyddade personuppgifter (ja/nej): the contact details stay on the case screen.
    case skyddad
    /// A person without a Swedish personnummer (the personnummer cell empty): the birth date,
    /// the sex (kvinna/man) and, if there is one, the reservnummer.
    case fodelsedatum, kon, reservnummer
    /// The verkställighet ladder's answers: the order confirmed by the provider, the missing start escalated.
    case bestallningBekraftad = "bestallning_bekraftad"
    case eskalerad

    public static let required: [ImportColumn] = [.personnummer, .namn, .insats, .beslutFran]

    /// Normalised synonyms (see `normalise`).
    var synonyms: [String] {
        switch self {
        case .personnummer:
            return ["personnummer", "pnr", "personnr", "persnr", "samordningsnummer", "personsamordningsnummer"]
        case .namn: return ["namn", "name", "brukare", "fulltnamn", "klient", "denenskilde"]
        case .insats: return ["insats", "tjanst", "bistand", "insatstyp", "beviljadinsats"]
        case .lag: return ["lag", "lagrum"]
        case .beslutsform: return ["beslutsform", "form", "typavbeslut"]
        case .beviljadTid: return ["beviljadtid", "beviljadetimmar", "beviljadtimmar", "beviljat", "timmarbeviljade"]
        case .utfordTid: return ["utfordtid", "utfordatimmar", "utforttimmar", "utfort", "timmarutforda"]
        case .beslutFran:
            return ["beslutfran", "beslutfrom", "fran", "from", "fromdatum", "startdatum", "giltigfran",
                    "beslutetgallerfran"]
        case .beslutTill:
            return ["besluttill", "besluttom", "beslutstom", "till", "tom", "tomdatum",
                    "slutdatum", "giltigtill", "giltigtom", "beslutetgallertill"]
        case .beslutsdatum: return ["beslutsdatum", "beslutsdag", "beslutat", "beslutadden", "datumforbeslut"]
        case .ejVerkstalltDel: return ["ejverkstalltdel", "delejverkstalld", "ejverkstallt", "delvisverkstallt"]
        case .skalDrojsmal: return ["skaldrojsmal", "skaltilldrojsmal", "skal", "orsak"]
        case .konsekvenser: return ["konsekvenser", "konsekvens", "konsekvenserfordenenskilde"]
        case .erbjudanden: return ["erbjudanden", "erbjudande"]
        case .avbrott: return ["avbrott", "avbrottiverkstalligheten"]
        case .bestallningBekraftad: return ["bestallningbekraftad", "bestallningbekraftaddatum", "bekraftadavutforaren"]
        case .eskalerad: return ["eskalerad", "eskaleradtillchef", "eskaleradtillenhetschef"]
        case .fodelsedatum: return ["fodelsedatum", "fodd", "fodelsedag", "fodelsedatumutanpersonnummer"]
        case .kon: return ["kon", "sex", "konstillhorighet"]
        case .reservnummer: return ["reservnummer", "reservnr", "tillfalligtnummer", "tillfalligtid"]
        case .skyddad: return ["skyddad", "skyddadidentitet", "skyddadepersonuppgifter", "sekretessmarkering"]
        case .verkstallt: return ["verkstallt", "verkstalldatum", "verkstallighet", "verkstalltdatum", "startadinsats"]
        case .utforare: return ["utforare", "anordnare", "verksamhet", "utforarenamn"]
        case .regi: return ["regi", "driftsform"]
        case .samtycke: return ["samtycke"]
        case .genomforandeplan: return ["genomforandeplan", "genomforandeplandatum", "gfp", "planupprattad"]
        case .senasteUppfoljning: return ["senasteuppfoljning", "uppfoljning", "senastuppfoljd", "uppfoljd"]
        case .anteckning: return ["anteckning", "anteckningar", "kommentar", "notering", "ovrigt"]
        case .avslutat: return ["avslutat", "avslutad", "avslutsdatum", "beslutavslutat"]
        case .adress: return ["adress", "gatuadress", "bostadsadress", "address"]
        case .postnummer: return ["postnummer", "postnr"]
        case .ort: return ["ort", "postort", "stad"]
        case .telefon: return ["telefon", "tel", "telefonnummer", "telefoneget", "mobil"]
        case .telefonAnhorig: return ["telefonanhorig", "telanhorig", "anhorigtelefon", "anhorig"]
        case .telefonGodMan: return ["telefongodman", "telgodman", "godmantelefon"]
        case .portkod: return ["portkod", "kod", "dorrkod"]
        case .tilltrade: return ["tilltrade", "hurmankommerin", "sakommermanin", "nyckel"]
        case .utforareKontakt: return ["utforarekontakt", "kontaktperson", "kontaktpersonutforare"]
        case .utforareTelefon: return ["utforaretelefon", "telefonutforare", "kontakttelefon"]
        }
    }

    /// The column a header names, if any. A heading with its unit ("Beviljad tid (h/mån)",
    /// "Beviljad tid, tim/mån", "Utförd tid timmar/mån") is its column (issue 35, item 6).
    public static func match(header: String) -> ImportColumn? {
        if let column = bySynonym[normalise(header)] { return column }
        // Without what stands in parentheses, after a comma, or a unit at the end.
        var text = header
        while let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            text.removeSubrange(open...close)
        }
        if let comma = text.firstIndex(of: ",") { text = String(text[..<comma]) }
        var plain = normalise(text)
        if let column = bySynonym[plain], !plain.isEmpty { return column }
        for unit in ["timmarperman", "timmarman", "timperman", "timman", "hperman", "hman", "timmar", "tim"] where plain.hasSuffix(unit) {
            plain.removeLast(unit.count)
            if let column = bySynonym[plain], !plain.isEmpty { return column }
        }
        return nil
    }

    /// The known column a heading most resembles (an edit or two from one of its spellings, or a
    /// spelling of five letters or more inside it), for "Menade du beviljad_tid?"; nil for none.
    public static func nearest(to header: String) -> ImportColumn? {
        let plain = normalise(header)
        guard plain.count >= 3 else { return nil }
        var best: (column: ImportColumn, distance: Int)?
        for (synonym, column) in bySynonym {
            let distance = synonym.count >= 5 && (plain.contains(synonym) || synonym.contains(plain) && plain.count >= 5)
                ? 1 : editDistance(plain, synonym, limit: 2)
            if distance <= 2, best.map({ distance < $0.distance || (distance == $0.distance && column.rawValue < $0.column.rawValue) }) ?? true {
                best = (column, distance)
            }
        }
        return best?.column
    }

    /// Levenshtein distance, giving up past `limit` (limit + 1 then).
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a), y = Array(b)
        if abs(x.count - y.count) > limit { return limit + 1 }
        var previous = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            var rowMin = current[0]
            for j in 1...max(1, y.count) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            previous = current
        }
        return x.isEmpty ? y.count : previous[y.count]
    }

    /// Every normalised spelling → its column (the first column to claim a spelling keeps it).
    static let bySynonym: [String: ImportColumn] = {
        var table: [String: ImportColumn] = [:]
        for column in allCases {
            for synonym in column.synonyms where table[synonym] == nil { table[synonym] = column }
        }
        return table
    }()

    /// Lower case, å/ä/ö folded to a/o, without spaces, `-`, `_`, `.` or `/`: "Beslut t.o.m." → "besluttom".
    static func normalise(_ text: String) -> String {
        var result = ""
        for char in text.lowercased() {
            switch char {
            case "å", "ä", "á", "à": result.append("a")
            case "ö", "ó", "ò": result.append("o")
            case "é", "è": result.append("e")
            case " ", "-", "_", ".", "/", "\t", "\u{FEFF}", "\u{00A0}": continue
            default: result.append(char)
            }
        }
        return result
    }
}
