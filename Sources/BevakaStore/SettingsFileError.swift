/// A settings file in `$XDG_CONFIG_HOME/bevaka/` that cannot be used: which file, and what is
/// wrong where in it, in Swedish.
public struct SettingsFileError: Error, Equatable, CustomStringConvertible {
    /// What the file holds, as the subject of the Swedish sentence ("Checklistorna").
    public var subject: String
    public var path: String
    public var problem: String

    public var message: String {
        path.isEmpty ? "\(subject) kan inte användas: \(problem)" : "\(subject) i \(path) kan inte användas: \(problem)"
    }

    public var description: String { "settings file \(path): \(problem)" }
}
