import Foundation

// bevaka-icu-data IN.dat OUT.dat: the toolchain's ICU data package trimmed to what Bevaka can
// reach, for the installed program (scripts/install, Sources/CIcuData).
//
// Bevaka reaches ICU through Foundation only: Unicode properties, case mapping and
// normalisation; collation (names sorted in the lists, by the user's locale); the Gregorian
// calendar and time zones (Europe/Stockholm); dates formatted for sv_SE; locale names
// canonicalised. So the package keeps every item that is not a locale's own (properties,
// normalisation, the collation base, time zone data, break rules, the supplemental data) and
// of the locale items only the root, Swedish and English; it drops the other ~750 locales'
// data, the code page converters (Bevaka reads UTF-8, and Windows-1252 without ICU), the
// word-break dictionaries for Thai, Lao, Khmer, Burmese and Chinese/Japanese, and the
// transliteration rules. ICU falls back to the root for a locale it does not have.

/// The locales whose data are kept (a locale's own items are `sv.res`, `coll/sv.res`, …).
let keptLocales: Set<String> = ["root", "sv", "sv_SE", "sv_FI", "sv_AX", "en", "en_US", "en_US_POSIX", "en_001", "en_150", "en_SE"]

/// Whether a file name is a locale's own data (`fi.res`, `zh_Hant_TW.res`, `de_.res`).
func isLocaleItem(_ base: String) -> Bool {
    guard base.hasSuffix(".res") else { return false }
    let stem = base.dropLast(4)
    let parts = stem.split(separator: "_", omittingEmptySubsequences: false)
    guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isLowercase && $0.isASCII }) else {
        return stem == "root"
    }
    return parts.dropFirst().allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
}

func keep(_ name: String) -> Bool {
    // "icudt76l/coll/sv.res": the package's own prefix, then the tree.
    let path = name.split(separator: "/").dropFirst().map(String.init)
    guard let base = path.last else { return true }
    let folder = path.count > 1 ? path[0] : ""
    if base.hasSuffix(".dict") { return false }
    if folder.isEmpty && base.hasSuffix(".cnv") { return false }
    if folder == "translit" { return base == "root.res" || base == "en.res" || base == "sv.res" }
    if base == "pool.res" { return true }
    if isLocaleItem(base) { return keptLocales.contains(String(base.dropLast(4))) }
    return true
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("användning: bevaka-icu-data IN.dat UT.dat\n".utf8))
    exit(64)
}
do {
    let input = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
    var package = try IcuPackage([UInt8](input))
    let before = package.items.count, beforeBytes = input.count
    package.items.removeAll { !keep($0.name) }
    // The base of everything ICU does must be there, or the package is not for this ICU.
    for needed in ["root.res", "pool.res", "likelySubtags.res", "coll/ucadata.icu", "coll/root.res", "zoneinfo64.res",
                   "sv.res", "coll/sv.res"]
    where !package.items.contains(where: { $0.name.hasSuffix("/" + needed) }) {
        throw IcuPackage.Problem(description: "\(needed) saknas i paketet")
    }
    let output = package.bytes()
    try Data(output).write(to: URL(fileURLWithPath: arguments[2]))
    print("ICU-data: \(package.items.count) av \(before) delar, \(output.count / 1_000_000) MB av \(beforeBytes / 1_000_000) MB")
} catch {
    FileHandle.standardError.write(Data("bevaka-icu-data: \(error)\n".utf8))
    exit(1)
}
