import BevakaDomain
import BevakaTestSupport
import Foundation
@testable import BevakaStore



/// The folder that holds the package's built executables (beside the test bundle).
func mode(of path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
}
