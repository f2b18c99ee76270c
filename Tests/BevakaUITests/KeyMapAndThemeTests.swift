import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

@Suite struct KeyMapTests {
    @Test func everyCommandHasAKeyAndHelpText() {
        for command in Command.allCases {
            let bindings = KeyMap.bindings.filter { $0.command == command }
            #expect(!bindings.isEmpty, "\(command) has no key")
            #expect(bindings.allSatisfy { !$0.help.isEmpty && !$0.keys.isEmpty })
        }
    }

    /// A screen may give a global key its own meaning (Tab moves between the checklist's phases),
    /// since dispatch looks at the screen first; but two bindings of one key in the same context
    /// would make one of them unreachable.
    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            var seen: [Key: Command] = [:]
            for binding in KeyMap.bindings where binding.contexts.contains(context) {
                for key in binding.keys {
                    if let other = seen[key] { Issue.record("\(key) bound to \(other) and \(binding.command) in \(context)") }
                    seen[key] = binding.command
                }
            }
        }
    }

    @Test func aScreenKeyShadowsTheGlobalOneOnlyOnThatScreen() {
        #expect(KeyMap.command(for: .tab, on: .checklist) == .nextPhase)
        #expect(KeyMap.command(for: .tab, on: .caseDetail) == .nextScreen)
        #expect(KeyMap.command(for: .enter, on: .document) == .editParagraph)
    }

    @Test func helpIsBuiltFromTheSameTable() {
        // Big enough for every group at once.
        var state = demoState(width: 220, height: 90)
        state.push(.help(scroll: 0))
        let text = state.helpLines.map { $0.key + " " + $0.text }.joined(separator: "\n")
        for binding in KeyMap.bindings where state.offered(binding) && binding.contexts != [.unit] {
            #expect(text.contains(binding.help), "help lacks \(binding.help)")
        }
        // The unit manager's keys, on the shared store, for the manager.
        state.unit = UnitContext(me: "maja_c", kind: .chef, owners: ["c1": "anna_l"])
        let manager = state.helpLines.map { $0.key + " " + $0.text }.joined(separator: "\n")
        for binding in KeyMap.bindings {
            #expect(manager.contains(binding.help), "the manager's help lacks \(binding.help)")
        }
        // At 80×24 the help shows the global keys the screen does not shadow, and the screen's own.
        // At 80×24 the first page is the screen's own keys; the rest scrolls into view.
        var small = demoState()
        press(&small, .character("?"))
        let overview = render(small).text
        #expect(overview.contains("Markera klar idag (igen: ångra klar)"))
        #expect(!overview.contains("Nästa fas"))
        let headings = small.helpLines.filter(\.isHeading).map(\.key)
        #expect(Array(headings.prefix(2)) == ["Översikt", "Överallt"])
        #expect(headings.contains("Uppföljning"))
        // Any other key keeps it open; ↓ and End scroll; ?, Esc and q close it.
        press(&small, .character("x"), .pageDown)
        #expect(small.helpVisible && small.overlayScroll > 0)
        press(&small, .end)
        #expect(render(small).text.contains("Radera ordet före markören"))
        for key in [Key.character("?"), .escape, .character("q")] {
            press(&small, key)
            #expect(!small.helpVisible)
            #expect(!small.quitting)
            press(&small, .character("?"))
        }
    }
}

@Suite struct ThemeTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes")

    @Test func everyShippedThemeParsesAndNamesOnlyKnownRoles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files).isSuperset(of: ["default.json", "light.json", "high-contrast.json", "mono.json"]))
        for file in files {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent(file))
            let theme = try Theme.parse(data, path: file)
            #expect(theme.name + ".json" == file)
            let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let roles = try #require(raw["roles"] as? [String: Any])
            #expect(roles.keys.allSatisfy { Role(rawValue: $0) != nil })
        }
    }

    @Test func aBrokenThemeNamesTheFileAndTheProblem() {
        let cases = [
            ("{\"roles\": {\"overdeu\": {}}}", "overdeu"),
            ("{\"roles\": {\"overdue\": {\"fg\": \"reed\"}}}", "reed"),
            ("{\"roles\": {\"overdue\": {\"fg\": 300}}}", "300"),
            ("{\"roles\": {\"overdue\": {\"attrs\": [\"blink\"]}}}", "blink"),
            ("{\"roles\": {\"overdue\": {\"colour\": 1}}}", "colour"),
            ("{roles", "JSON"),
        ]
        for (json, expected) in cases {
            do {
                _ = try Theme.parse(Data(json.utf8), path: "/x/t.json")
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.message.contains("/x/t.json"))
                #expect(error.message.contains(expected))
                #expect(error.message.contains("Standardtemat"))
            }
        }
    }

    @Test func colorsFallBackToTheEightBasicOnes() {
        #expect(ThemeColor.index(1).basic == 1)
        #expect(ThemeColor.index(9).basic == 1)
        #expect(ThemeColor.index(196).basic == 1)   // xterm bright red
        #expect(ThemeColor.rgb(255, 85, 85).basic == 1)
        #expect(ThemeColor.index(250).basic == 7)
        #expect(ThemeColor.rgb(0, 0, 0).index256 == 16)
    }
}
