import CatracaCore
import Foundation
import Testing
@testable import CatracaDaemon

@Suite struct ConfigurationTests {
    static let shippedFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/catraca.json5").path

    @Test func theShippedConfigFileHoldsExactlyTheDefaults() throws {
        let configuration = try ConfigurationFile.load(path: ConfigurationTests.shippedFile)
        #expect(configuration == Configuration())
        try configuration.validate(source: "etc/catraca.json5")
    }

    @Test func anUnknownKeyIsNamedWithItsSection() {
        let text = #"{ terminals: { lisen: "0.0.0.0:1" } }"#
        #expect {
            try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        } throws: { error in
            let problem = "\(error)"
            return problem.contains("terminals.lisen") && problem.contains("unknown key") && problem.contains("listen")
        }
    }

    @Test func aValueOfTheWrongTypeIsNamed() {
        let text = #"{ websocket: { pingIntervalSeconds: "thirty" } }"#
        #expect {
            try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        } throws: { error in
            "\(error)" == "test.json5: websocket.pingIntervalSeconds: expected a number, found a string"
        }
    }

    @Test func syntaxErrorsSayTheFileIsNotJSON5() {
        #expect {
            try ConfigurationFile.parse(Data("{ site: ".utf8), source: "broken.json5")
        } throws: { error in
            "\(error)".hasPrefix("broken.json5: not valid JSON5")
        }
    }

    @Test func anAllowListWithPinnedAddressesIsRead() throws {
        let text = #"{ terminals: { allowList: { "AB12": { address: "192.168.1.20" }, "CD34": {} } } }"#
        let configuration = try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        #expect(configuration.terminals.allowList?["AB12"]?.address == "192.168.1.20")
        #expect(configuration.terminals.allowList?["CD34"] == Configuration.AllowedTerminal(address: nil))
        try configuration.validate(source: "test.json5")
    }

    @Test(arguments: [
        ("terminals.listen", { @Sendable (c: inout Configuration) in c.terminals.listen = "localhost:80" }),
        ("site.timeZone", { @Sendable (c: inout Configuration) in c.site.timeZone = "Mars/Olympus" }),
        ("websocket.bufferBudgetBytes", { @Sendable (c: inout Configuration) in c.webSocket.bufferBudgetBytes = 10 }),
        ("websocket.deadPeerTimeoutSeconds", { @Sendable (c: inout Configuration) in
            c.webSocket.deadPeerTimeoutSeconds = 5
        }),
        ("websocket.handshakeTimeoutSeconds", { @Sendable (c: inout Configuration) in
            c.webSocket.handshakeTimeoutSeconds = 0
        }),
        ("store.photoRetentionDays", { @Sendable (c: inout Configuration) in c.store.photoRetentionDays = -1 }),
        ("websocket.pingIntervalSeconds", { @Sendable (c: inout Configuration) in
            c.webSocket.pingIntervalSeconds = .infinity
        }),
        ("websocket.messageTimeoutSeconds", { @Sendable (c: inout Configuration) in
            c.webSocket.messageTimeoutSeconds = 1e10
        }),
        ("store.photoRetentionDays", { @Sendable (c: inout Configuration) in c.store.photoRetentionDays = 10_000_000 }),
        ("terminals.allowList.X.address", { @Sendable (c: inout Configuration) in
            c.terminals.allowList = ["X": .init(address: "not-an-ip")]
        }),
        ("api.listen", { @Sendable (c: inout Configuration) in c.api.listen = "localhost:7793" }),
        ("api.token", { @Sendable (c: inout Configuration) in c.api.token = "short" }),
        ("commands.replyTimeoutSeconds", { @Sendable (c: inout Configuration) in c.commands.replyTimeoutSeconds = 0 }),
        ("commands.unansweredWaitSeconds", { @Sendable (c: inout Configuration) in
            c.commands.unansweredWaitSeconds = .nan
        }),
        ("commands.maxQueuedPerTerminal", { @Sendable (c: inout Configuration) in
            c.commands.maxQueuedPerTerminal = 0
        }),
        ("commands.maxPages", { @Sendable (c: inout Configuration) in c.commands.maxPages = -5 }),
    ] as [(String, @Sendable (inout Configuration) -> Void)])
    func validationNamesTheKeyThatIsWrong(key: String, change: @Sendable (inout Configuration) -> Void) {
        var configuration = Configuration()
        change(&configuration)
        #expect {
            try configuration.validate(source: "test")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func theAPIAndCommandsSectionsAreRead() throws {
        let text = #"""
            { api: { listen: "0.0.0.0:8000", token: "0123456789abcdef", tokenFile: "/etc/catraca/token" },
              commands: { replyTimeoutSeconds: 5, unansweredWaitSeconds: 1.5, maxQueuedPerTerminal: 4, maxPages: 50,
                          onRegistration: { setTime: false, pullNewLogs: true } } }
            """#
        let configuration = try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        #expect(configuration.api.listen == "0.0.0.0:8000")
        #expect(configuration.api.token == "0123456789abcdef")
        #expect(configuration.api.tokenFile == "/etc/catraca/token")
        #expect(configuration.commands.replyTimeoutSeconds == 5)
        #expect(configuration.commands.unansweredWaitSeconds == 1.5)
        #expect(configuration.commands.maxQueuedPerTerminal == 4)
        #expect(configuration.commands.maxPages == 50)
        #expect(configuration.commands.onRegistration
                == Configuration.OnRegistration(setTime: false, pullNewLogs: true))
        try configuration.validate(source: "test.json5")
    }

    @Test(arguments: [
        (#"{ api: { port: 1 } }"#, "api.port"),
        (#"{ commands: { onRegistration: { setClock: true } } }"#, "commands.onRegistration.setClock"),
        (#"{ commands: { onRegistration: { setTime: "yes" } } }"#, "commands.onRegistration.setTime"),
        (#"{ commands: { maxPages: 1.5 } }"#, "commands.maxPages"),
    ])
    func unknownOrMistypedAPIAndCommandKeysAreNamed(text: String, key: String) {
        #expect {
            try ConfigurationFile.parse(Data(text.utf8), source: "test.json5")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func flagsOverrideTheFile() throws {
        let arguments = try CommandLineArguments(
            ["--config", ConfigurationTests.shippedFile, "--listen", "127.0.0.1:9000", "--db=/tmp/x.db",
             "--log-level", "debug", "--api-listen", "127.0.0.1:9001"],
            valueFlags: RunOptions.valueFlags
        )
        let configuration = try RunOptions.configuration(from: arguments)
        #expect(configuration.terminals.listen == "127.0.0.1:9000")
        #expect(configuration.store.path == "/tmp/x.db")
        #expect(configuration.log.level == .debug)
        #expect(configuration.api.listen == "127.0.0.1:9001")
    }

    @Test func unknownFlagsAndMissingValuesAreRefused() {
        #expect(throws: CommandLineError.unknownFlag("--lisen")) {
            try CommandLineArguments(["--lisen", "x"], valueFlags: RunOptions.valueFlags)
        }
        #expect(throws: CommandLineError.missingValue("--db")) {
            try CommandLineArguments(["--db"], valueFlags: RunOptions.valueFlags)
        }
    }
}
