import Foundation

/// Where the store lives: `--store PATH`, then `BEVAKA_STORE`, then
/// `$XDG_DATA_HOME/bevaka/caseload.json` (default `~/.local/share/bevaka/caseload.json`).
public enum StoreLocation {
    public static let fileName = "caseload.json"

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
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (home(environment) + "/.config")
        return URL(fileURLWithPath: base).appendingPathComponent("bevaka")
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    static func expand(_ path: String, _ environment: [String: String]) -> String {
        path.hasPrefix("~/") ? home(environment) + path.dropFirst() : path
    }
}
