import BevakaDomain

/// What every list shares, computed from the state: the filter, the content's height and the
/// selection. Each screen's own list is in its file under Screens/; reduce (for selection and
/// actions) and render (for drawing) use the same functions, so a selected row is always the drawn row.
extension AppState {
    /// Rows the content area has between the title bar and the status and footer lines.
    public var contentHeight: Int { max(1, height - 3) }

    // MARK: Filter

    public var filterActive: Bool { !filter.text.isEmpty }

    /// Case-insensitive match on name, personnummer (digits, with or without dash), services and providers.
    func clientMatches(_ client: Client) -> Bool {
        guard inScope(client.id) else { return false }
        let needle = filter.text.lowercased()
        guard !needle.isEmpty else { return true }
        if client.name.lowercased().contains(needle) { return true }
        let digits = needle.filter(\.isNumber)
        if !digits.isEmpty, digits.count == needle.filter({ $0 != "-" }).count,
           client.personnummer.digits.contains(digits) {
            return true
        }
        return client.decisions.contains { decision in
            decision.service.lowercased().contains(needle)
                || (decision.provider?.name.lowercased().contains(needle) ?? false)
        }
    }

    func itemMatches(_ item: DueItem) -> Bool {
        guard filterActive || scopeOwner != nil else { return true }
        return client(item.clientID).map(clientMatches) ?? false
    }

    // MARK: Selection

    /// How many rows the current screen's list has.
    public var listCount: Int { screen.unit.listCount(self) }

    public var selectedIndex: Int { selection[screen] ?? 0 }

    public var selectedItem: DueItem? { screen.unit.selectedItem(self) }
}
