/// A JSON object that keeps its members in the order they were read or written.
///
/// Lookups take the first member with the key. Duplicate keys are kept, so nothing a terminal sent
/// is lost when the object is written out again.
public struct JSONObject: Equatable, Sendable {
    /// One `"key": value` pair.
    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }

    /// The first value under `key`. Setting replaces that value, or appends the key when it is new;
    /// setting nil removes every member with the key.
    public subscript(key: String) -> JSONValue? {
        get { members.first(where: { $0.key == key })?.value }
        set {
            guard let newValue else {
                members.removeAll { $0.key == key }
                return
            }
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = newValue
            } else {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// The first value whose key equals `key` ignoring ASCII case, for vendor spellings such as
    /// `Schedules` or `InputAlarm`. An exact match wins over a case-insensitive one.
    public func value(forKeyIgnoringCase key: String) -> JSONValue? {
        if let exact = self[key] { return exact }
        let wanted = key.lowercased()
        return members.first(where: { $0.key.lowercased() == wanted })?.value
    }

    /// Adds a member at the end, even when the key is already present (as a parser must).
    public mutating func append(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
    }
}

extension JSONObject: Sequence {
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Members in the literal's order: `["ret": "reg", "result": true]`.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.members = elements.map { Member(key: $0.0, value: $0.1) }
    }
}
