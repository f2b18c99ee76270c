import BevakaDomain
import Testing
@testable import BevakaUI

/// Issue 36, item 4: the key table is the only source of key policy. Each binding says where it
/// may be used; the key handler, the help and the footer all follow it.
@Suite struct KeyPolicyTests {
    /// Every binding that changes a case, pressed in each of its screens in the unit manager's
    /// read-only view: refused with the view's words, nothing opened, nothing changed.
    @Test func everyKeyThatChangesACaseIsRefusedInTheManagersView() {
        let screens: [KeyContext: Screen] = [.overview: .overview, .yearPlan: .yearPlan, .reminders: .reminders,
                                             .caseload: .caseload, .caseDetail: .caseDetail, .checklist: .checklist,
                                             .document: .document, .unit: .unit]
        var refused = 0
        for binding in KeyMap.bindings where binding.changes {
            for context in binding.contexts {
                guard let screen = screens[context] ?? (context == .global ? .overview : nil) else { continue }
                var state = UnitViewTests().coveringState(kind: .chef)
                state.openClientID = state.caseload.clients.first?.id
                state.screen = screen
                let before = state.caseload
                let effects = press(&state, binding.keys[0])
                #expect(effects.isEmpty && state.caseload == before && state.overlays.isEmpty && state.form == nil,
                        "\(binding.command) on \(screen)")
                #expect(state.message == AppState.readOnlyWords, "\(binding.command) on \(screen): \(state.message ?? "")")
                refused += 1
            }
        }
        #expect(refused > 40)
        // A key that changes nothing still works there: the search.
        var state = UnitViewTests().coveringState(kind: .chef)
        press(&state, .character("/"))
        #expect(state.filterEditing)
    }

    /// The footer offers no key the table refuses here: none that changes a case in the
    /// manager's view, none outside hembesöksläge while it is on, none for another user.
    @Test func theFooterShowsOnlyWhatTheTableAllowsHere() throws {
        var chef = UnitViewTests().coveringState(kind: .chef)
        for screen in [Screen.overview, .reminders, .caseload, .caseDetail, .yearPlan] {
            chef.screen = screen
            chef.openClientID = chef.caseload.clients.first?.id
            let keys = chef.activeFooter.map(\.key)
            let changing = KeyMap.footer(in: chef.keyContext).filter(\.changes).compactMap { $0.footer?.split(separator: " ").first.map(String.init) }
            #expect(!changing.isEmpty || screen == .yearPlan, "\(screen)")
            for key in changing where !KeyMap.footer(in: chef.keyContext).contains(where: { !$0.changes && $0.footer?.hasPrefix(key + " ") == true }) {
                #expect(!keys.contains(key), "\(screen): \(key)")
            }
        }
        // The handläggare's footer on the same screen has them.
        var own = UnitViewTests().coveringState()
        own.screen = .caseDetail
        own.openClientID = own.caseload.clients.first?.id
        #expect(own.activeFooter.map(\.key).contains("e"))
        // `v` is offered on the shared store only; `5` and `R` to the manager only.
        let cycle = try #require(KeyMap.bindings.first { $0.command == .cycleScope })
        let reassign = try #require(KeyMap.bindings.first { $0.command == .reassign })
        #expect(own.offered(cycle) && !own.offered(reassign) && chef.offered(reassign))
        #expect(!demoState().offered(cycle))
    }

    /// In hembesöksläge a key the table does not allow there says how to leave; one it allows acts.
    @Test func hembesokslageFollowsTheTable() throws {
        var state = demoState(width: 120, height: 40)
        let id = try #require(state.caseload.clients.first { $0.name == "Astrid Nilsson" }?.id)
        state.openCase(id)
        press(&state, .character("H"), .enter, .enter)
        #expect(state.homeVisitActive && state.screen == .checklist)
        for binding in KeyMap.bindings where binding.contexts.contains(.checklist) || binding.contexts.contains(.global) {
            guard KeyMap.binding(for: binding.keys[0], in: .checklist)?.command == binding.command else { continue }
            var copy = state
            press(&copy, binding.keys[0])
            let refused = copy.message == "Hembesöksläge: lämna det med Ctrl-X och sedan H."
            #expect(refused == !binding.homeVisit, "\(binding.command)")
            #expect(copy.homeVisitActive, "\(binding.command)")
        }
        let footer = state.activeFooter.map(\.key)
        #expect(!footer.contains("q") && !footer.contains("/") && !footer.contains("H") && !footer.contains("Esc"))
        #expect(footer.contains("Mellanslag") && footer.contains("S"))
    }
}
