import BevakaDomain
import Foundation

/// Where the store lives: `--store PATH`, then `BEVAKA_STORE`, then
/// `$XDG_DATA_HOME/bevaka/caseload.json` (default `~/.local/share/bevaka/caseload.json`).
public enum StoreLocation {
    public static let fileName = "caseload.json"

    /// Where the store is, as the user wrote it: `--store`, then `BEVAKA_STORE`, then `"store"`
    /// in `$XDG_CONFIG_HOME/bevaka/config.json`, else the default file. A `postgresql://` URL
    /// names the shared store; anything else is a file path (`~/` expanded).
    public static func configured(explicit: String?, environment: [String: String]) throws(SettingsFileError) -> String {
        if let explicit, !explicit.isEmpty { return expand(explicit, environment) }
        if let value = environment["BEVAKA_STORE"], !value.isEmpty { return expand(value, environment) }
        if let value = try configFileStore(environment) { return expand(value, environment) }
        return dataFolder(environment).appendingPathComponent(fileName).path
    }

    public static let configFileName = "config.json"

    /// `{"store": "…"}` from the config file. A URL with a password in a file others can read is
    /// refused, as libpq refuses such a `.pgpass`.
    static func configFileStore(_ environment: [String: String]) throws(SettingsFileError) -> String? {
        let url = configFolder(environment).appendingPathComponent(configFileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        func fail(_ problem: String) -> SettingsFileError {
            SettingsFileError(subject: "Inställningarna", path: url.path, problem: problem)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("filen är ingen giltig JSON med ett objekt, t.ex. {\"store\": \"postgresql:///bevaka\"}.")
        }
        for key in object.keys where !["store", "skarmlasare"].contains(key) {
            throw fail("okänd nyckel \"\(TerminalText.sanitize(key))\" (kända: store, skarmlasare).")
        }
        if let reader = object["skarmlasare"], !(reader is Bool) {
            throw fail("\"skarmlasare\" ska vara true eller false.")
        }
        guard let value = object["store"] else { return nil }
        guard let text = value as? String, !text.isEmpty else { throw fail("\"store\" ska vara en sökväg eller en postgresql://-adress.") }
        let urlPassword = URLComponents(string: text)?.password != nil || text.contains("password=")
        let keywordPassword = text.range(of: #"(^|\s)password\s*="#, options: .regularExpression) != nil
        if urlPassword || keywordPassword,
           let mode = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? Int,
           mode & 0o077 != 0 {
            throw fail("adressen innehåller ett lösenord men filen kan läsas av andra; kör chmod 600 \(url.path).")
        }
        return text
    }

    /// Screen-reader mode from `BEVAKA_SKARMLASARE` (1, ja, true) or `"skarmlasare": true` in the
    /// config file. A value that is neither yes nor no in the variable is an error, said plainly.
    public static func screenReader(environment: [String: String]) throws(SettingsFileError) -> Bool {
        if let value = environment["BEVAKA_SKARMLASARE"]?.lowercased(), !value.isEmpty {
            if ["1", "ja", "true", "yes", "on"].contains(value) { return true }
            if ["0", "nej", "false", "no", "off"].contains(value) { return false }
            throw SettingsFileError(subject: "Variabeln BEVAKA_SKARMLASARE", path: "",
                                    problem: "ska vara 1 (på) eller 0 (av), inte \"\(TerminalText.sanitize(value))\".")
        }
        let url = configFolder(environment).appendingPathComponent(configFileName)
        guard FileManager.default.contents(atPath: url.path) != nil else { return false }
        _ = try configFileStore(environment)  // checks the file
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return false }
        return object["skarmlasare"] as? Bool ?? false
    }

    public static func resolve(explicit: String?, environment: [String: String]) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: expand(explicit, environment)) }
        if let path = environment["BEVAKA_STORE"], !path.isEmpty { return URL(fileURLWithPath: expand(path, environment)) }
        return dataFolder(environment).appendingPathComponent(fileName)
    }

    /// `$XDG_DATA_HOME/bevaka`, default `~/.local/share/bevaka`.
    public static func dataFolder(_ environment: [String: String]) -> URL {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (home(environment) + "/.local/share")
        return URL(fileURLWithPath: base).appendingPathComponent("bevaka")
    }

    /// `$XDG_CONFIG_HOME/bevaka`, default `~/.config/bevaka`.
    public static func configFolder(_ environment: [String: String]) -> URL {
        URL(fileURLWithPath: configFolderPath(environment))
    }

    /// `configFolder`'s path.
    static func configFolderPath(_ environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (home(environment) + "/.config")
        return base.hasSuffix("/") ? base + "bevaka" : base + "/bevaka"
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    static func expand(_ path: String, _ environment: [String: String]) -> String {
        path.hasPrefix("~/") ? home(environment) + path.dropFirst() : path
    }
}
