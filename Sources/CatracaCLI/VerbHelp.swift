extension VerbTable {
    /// Help for the verbs that start with `words`: every verb in short when `words` names none, else the
    /// verbs of that group (`user` gives `user`, `user set`, ...) with what each sends.
    public func help(for words: [String]) -> String {
        let prefix = longestKnownPrefix(of: words)
        let chosen = verbs.filter { $0.path.starts(with: prefix) }
        var text = "usage: \(scope) \(prefix.isEmpty ? "<verb>" : prefix.joined(separator: " ")) ...\n\n"
        if prefix.isEmpty {
            text += "verbs:\n" + overview(chosen) + "\n" + note + "\n"
        } else {
            text += chosen.map(detailed).joined(separator: "\n")
        }
        return text + "\n" + GlobalFlags.help + "\n"
    }

    private func longestKnownPrefix(of words: [String]) -> [String] {
        var prefix: [String] = []
        for word in words {
            let longer = prefix + [word]
            guard verbs.contains(where: { $0.path.starts(with: longer) }) else { break }
            prefix = longer
        }
        return prefix
    }

    /// `text` cut into lines of at most 110 columns at spaces, each starting with `indent`.
    private func wrapped(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + word.count + 1 > 110 - indent.count {
                lines.append(line)
                line = "  "
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        lines.append(line)
        return lines.map { indent + $0 + "\n" }.joined()
    }

    private func overview(_ chosen: [Verb]) -> String {
        let rows = chosen.map { verb in [(verb.path + verb.arguments).joined(separator: " "), verb.summary] }
        return TextTable(rows: rows).render(indent: "  ")
    }

    private func detailed(_ verb: Verb) -> String {
        var text = "  \(scope) \(verb.synopsis)\n      \(verb.summary)\n"
        if !verb.flags.isEmpty {
            let flags = verb.flags.map { flag in flag.valueName.map { "\(flag.name) \($0)" } ?? flag.name }
            text += wrapped("flags: " + flags.joined(separator: ", "), indent: "      ")
        }
        if !verb.details.isEmpty {
            text += verb.details.split(separator: "\n").map { "      \($0)\n" }.joined()
        }
        return text
    }
}
