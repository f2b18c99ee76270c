/// Checks on values read from a file (the store is data from outside the program).
public enum StoredValue {
    /// Starts the description of a decoding error that Bevaka's own checks raise, so the store
    /// can show the Swedish reason (JSONDecoder's own descriptions are English and technical).
    public static let problemMarker = "bevaka: "
}
