import CatracaJSON
import Testing
@testable import CatracaTerminal

@Suite struct WebRTCTests {
    @Test func enablewebrtcDefaultsToBothOnAndEnrollidAndKeepsTheServers() throws {
        #expect(try encoded("enablewebrtc", "{}")
                == #"{"cmd":"enablewebrtc","intercom":true,"monitor":true,"inputmode":1}"#)
        let params = #"{"intercom":0,"monitor":"true","inputmode":"3","stunserver":"stun:10.0.0.1:3478","#
            + #""turnserver":"turn:10.0.0.1:3478","turnusername":"u","turnpassword":"p"}"#
        #expect(try encoded("enablewebrtc", params)
                == #"{"cmd":"enablewebrtc","intercom":false,"monitor":true,"inputmode":3,"#
                + #""stunserver":"stun:10.0.0.1:3478","turnserver":"turn:10.0.0.1:3478","turnusername":"u","#
                + #""turnpassword":"p"}"#)
        #expect(try TerminalCommand.make(name: "enablewebrtc", params: [:]).expectation == .reply)
    }

    @Test func enablewebrtcRefusesWhatATerminalCannotUse() throws {
        #expect(try refusal("enablewebrtc", #"{"inputmode":4}"#)?.field == "inputmode")
        #expect(try refusal("enablewebrtc", #"{"intercom":"maybe"}"#)?.field == "intercom")
        #expect(try refusal("enablewebrtc", #"{"stunserver":"http://x"}"#)?.message
                == "\"http://x\" does not start with stun:")
        #expect(try refusal("enablewebrtc", #"{"turnserver":"stun:x"}"#)?.field == "turnserver")
        #expect(try refusal("enablewebrtc", #"{"turnpass":"p"}"#)?.field == "turnpass")
    }
}
