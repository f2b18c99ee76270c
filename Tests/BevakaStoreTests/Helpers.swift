import BevakaDomain
import Foundation
@testable import BevakaStore

func d(_ text: String) -> Day {
    guard let day = Day(iso: text) else { fatalError("bad test date \(text)") }
    return day
}

let today = d("2026-11-22")

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

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
