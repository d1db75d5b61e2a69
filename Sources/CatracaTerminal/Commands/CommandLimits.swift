/// Limits the daemon holds operator params to before anything is sent.
public enum CommandLimits {
    /// The largest face photo (`record` of backupnum 50), in decoded bytes: 2 MiB. Terminals refuse large
    /// images themselves (setuserinfo reason 1 or 7); this bound keeps a mistaken file from being sent at all.
    public static let maxPhotoBytes = 2 * 1024 * 1024

    /// The largest user number. The protocol does not give one; eight digits is what the terminals' menus take.
    public static let maxEnrollid = 99_999_999

    /// The longest user name, in characters. The protocol does not give one; 24 is what fits the terminals'
    /// screens and is the usual name field of this family of firmwares. Longer names are refused rather
    /// than cut, so an operator is not surprised by what the terminal shows.
    public static let maxNameLength = 24

    /// The most digits of a card number: 18 keep it within a 64-bit number, which is how it is sent.
    public static let maxCardDigits = 18

    /// The most digits of a password. The protocol does not give one; eight is what the terminals' keypads take.
    public static let maxPasswordDigits = 8
}
