/// What the control channel tells a worker: its subscription (re)started, the keyset changed, or
/// one client's settings changed.
public enum ControlEvent: Sendable, Equatable {
    /// The subscription is up; `again` after it was lost (messages may have been missed).
    case subscribed(again: Bool)
    /// The signing keyset changed: reload it.
    case keysetChanged
    /// A client was added, changed or removed: forget its cached copy.
    case clientChanged(String)
}
