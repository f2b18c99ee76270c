// bevaka-manual: the manual page (man(7), in Swedish) from the command definitions, as
// `bevaka --experimental-dump-help` describes them (swift-argument-parser's ToolInfo JSON).
//
//     bevaka --experimental-dump-help | bevaka-manual --date 2026-12-06 > docs/man/bevaka.1
//
// The library's own generator (`swift package generate-manual`) drops every character that is
// not ASCII ("uppfljning av beslut inom ldreomsorg"; its String+Escaping.swift keeps only ASCII),
// so a Swedish page cannot be made with it; this writes the same facts with UTF-8 kept and the
// headings in Swedish. scripts/make-manual runs it; a CLI test checks the committed page is what
// it makes from today's commands.
import Foundation

struct ToolInfo: Decodable {
    var command: Command
}

struct Command: Decodable {
    var commandName: String
    var abstract: String?
    var discussion: String?
    var shouldDisplay: Bool?
    var arguments: [Argument]?
    var subcommands: [Command]?
}

struct Argument: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    var kind: String
    var names: [Name]?
    var valueName: String?
    var abstract: String?
    var discussion: String?
    var isOptional: Bool?
    var isRepeating: Bool?
    var defaultValue: String?
    var allValues: [String]?
    var shouldDisplay: Bool?
}

/// Text for roff: a backslash as `\e`, a line that would start with `.` or `'` made plain, and
/// the hyphen of an option a real minus (so it can be searched and copied).
func roff(_ text: String) -> String {
    var out = text.replacingOccurrences(of: "\\", with: "\\e")
    out = out.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
    }.joined(separator: "\n")
    return out
}

func optionName(_ name: Argument.Name) -> String {
    switch name.kind {
    case "short": return "\\-" + name.name
    case "longWithSingleDash": return "\\-" + name.name
    default: return "\\-\\-" + name.name
    }
}

/// "--days N" / "-h, --help" / "FIL" for a heading.
func label(_ argument: Argument) -> String {
    let value = argument.valueName.map { "\\fI\(roff($0))\\fR" }
    if argument.kind == "positional" { return value ?? "" }
    let names = (argument.names ?? []).map { "\\fB\(optionName($0))\\fR" }.joined(separator: ", ")
    return argument.kind == "option" ? names + " " + (value ?? "") : names
}

/// The library's two lines that are not the commands' own.
func swedish(_ text: String) -> String {
    switch text {
    case "Show the version.": return "Visa versionen."
    case "Show help information.": return "Visa hjälpen."
    case "Show subcommand help information.": return "Visa hjälpen för ett underkommando."
    default: return text
    }
}

func describe(_ argument: Argument) -> [String] {
    var lines = [".TP", label(argument)]
    var text = swedish(argument.abstract ?? "")
    if let discussion = argument.discussion, !discussion.isEmpty { text += (text.isEmpty ? "" : " ") + discussion }
    if let values = argument.allValues, !values.isEmpty, argument.kind != "flag" {
        text += (text.isEmpty ? "" : " ") + "Värden: " + values.joined(separator: ", ") + "."
    }
    if let value = argument.defaultValue, !value.isEmpty, argument.kind != "flag" {
        text += (text.isEmpty ? "" : " ") + "Standard: \(value)."
    }
    lines.append(roff(text))
    return lines
}

func synopsis(_ path: [String], _ command: Command) -> String {
    var parts = ["\\fB" + roff(path.joined(separator: " ")) + "\\fR"]
    if !(command.subcommands ?? []).filter({ $0.shouldDisplay != false && $0.commandName != "help" }).isEmpty {
        parts.append("[\\fIunderkommando\\fR]")
    }
    for argument in command.arguments ?? [] where argument.shouldDisplay != false {
        let shown = argument.kind == "positional" ? label(argument)
            : ((argument.names ?? []).first.map { "\\fB\(optionName($0))\\fR" } ?? "")
            + (argument.kind == "option" ? " " + (argument.valueName.map { "\\fI\(roff($0))\\fR" } ?? "") : "")
        parts.append(argument.isOptional == false ? shown : "[" + shown + "]")
    }
    return parts.joined(separator: " ")
}

func section(_ path: [String], _ command: Command, into lines: inout [String]) {
    let visible = (command.subcommands ?? []).filter { $0.shouldDisplay != false && $0.commandName != "help" }
    for sub in visible {
        let name = path + [sub.commandName]
        lines.append(".SS \"\(roff(name.dropFirst().joined(separator: " ")))\"")
        lines.append(synopsis(name, sub))
        lines.append(".PP")
        lines.append(roff(sub.abstract ?? ""))
        if let discussion = sub.discussion, !discussion.isEmpty {
            lines.append(".PP")
            lines.append(roff(discussion))
        }
        for argument in sub.arguments ?? [] where argument.shouldDisplay != false {
            lines += describe(argument)
        }
        section(name, sub, into: &lines)
    }
}

var date = ""
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--date", let value = arguments.popFirst() { date = value; continue }
    FileHandle.standardError.write(Data("bevaka-manual: okänt argument \"\(argument)\" (bara --date ÅÅÅÅ-MM-DD)\n".utf8))
    exit(64)
}
let input = FileHandle.standardInput.readDataToEndOfFile()
guard let info = try? JSONDecoder().decode(ToolInfo.self, from: input) else {
    FileHandle.standardError.write(Data("bevaka-manual: indata är inte bevaka --experimental-dump-help\n".utf8))
    exit(65)
}
let root = info.command
var lines = [
    ".\\\" -*- coding: UTF-8 -*-",
    ".\\\" Made by bevaka-manual from `bevaka --experimental-dump-help` (scripts/make-manual).",
    ".TH \(root.commandName.uppercased()) 1 \"\(date)\" \"Bevaka\" \"Användarkommandon\"",
    ".SH NAMN",
    "\(root.commandName) \\- \(roff(root.abstract ?? ""))",
    ".SH SYNOPSIS",
    synopsis([root.commandName], root),
    ".SH BESKRIVNING",
    roff(root.discussion ?? ""),
    ".PP",
    "Bevaka visar årshjulet, bevakningarna som förfaller och är försenade och varje ärende med en checklista "
        + "för uppföljningen. Ärendelistan är en fil i hemmappen, eller enhetens gemensamma PostgreSQL-databas.",
    ".SH FLAGGOR",
]
for argument in root.arguments ?? [] where argument.shouldDisplay != false { lines += describe(argument) }
lines.append(".SH KOMMANDON")
section([root.commandName], root, into: &lines)
lines += [
    ".SH MILJÖ",
    ".TP", "\\fBBEVAKA_STORE\\fR", "Ärendelistans fil, eller en PostgreSQL-adress (postgresql://…) för enhetens databas.",
    ".TP", "\\fBBEVAKA_TODAY\\fR", "Räkna som om idag vore detta datum (ÅÅÅÅ-MM-DD).",
    ".TP", "\\fBBEVAKA_SKARMLASARE\\fR", "1: skärmläsarläge.",
    ".SH FILER",
    ".TP", "\\fI~/.local/share/bevaka/caseload.json\\fR", "Ärendelistan (0600 i en mapp med 0700).",
    ".TP", "\\fIPREFIX/share/bevaka/themes/\\fR", "Färgteman (JSON).",
    ".SH SE ÄVEN",
    "Dokumentationen i projektets docs/: import-format.md, rules.md, postgresql.md, dataskydd.md.",
]
print(lines.joined(separator: "\n"))
