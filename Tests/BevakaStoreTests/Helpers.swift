import BevakaDomain
import BevakaTestSupport
import Foundation
@testable import BevakaStore



/// The folder that holds the package's built executables (beside the test bundle).
func productsFolder() -> URL {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("bevaka-store-probe").path) { return url }
    }
    return Bundle.main.bundleURL.deletingLastPathComponent()
}

func mode(of path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
}
