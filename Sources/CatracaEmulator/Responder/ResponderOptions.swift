import CatracaCore

/// The firmware limits and timings an emulated terminal works with.
public struct ResponderOptions: Equatable, Sendable {
    /// A decoded face photo larger than this is refused with reason 1 (image too large).
    public var maxPhotoBytes = 1_048_576
    /// How long an `adduser` enrolment takes before it completes on its own.
    public var enrolmentDuration = TimeSpan.seconds(10)

    public init() {}
}
