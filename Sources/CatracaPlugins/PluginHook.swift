/// The hooks of `catraca_plugin`, named as in the header and on the wire.
public enum PluginHook: String, CaseIterable, Sendable {
    case register = "on_register"
    case record = "on_record"
    case qrcode = "on_qrcode"
    case passage = "on_passage"
    case unauthorisedRotation = "on_unauthorised_rotation"

    /// Whether the hook answers with a decision; the passage hooks only tell.
    public var decides: Bool {
        switch self {
        case .register, .record, .qrcode: return true
        case .passage, .unauthorisedRotation: return false
        }
    }
}
