import BevakaUI
import Foundation

extension Theme {
    /// `--theme NAME|PATH`: a path, else `$XDG_CONFIG_HOME/bevaka/themes/NAME.json`, else the
    /// shipped `Themes/NAME.json` (searched beside the executable and up from it).
    public static func locate(_ nameOrPath: String, configFolder: URL, shippedFolders: [URL]) -> URL? {
        let fm = FileManager.default
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
            return URL(fileURLWithPath: nameOrPath)
        }
        let candidates = [configFolder.appendingPathComponent("themes")] + shippedFolders
        for folder in candidates {
            let url = folder.appendingPathComponent("\(nameOrPath).json")
            if fm.fileExists(atPath: url.path) { return url }
        }
        return nil
    }
}
