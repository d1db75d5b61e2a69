import CatracaCore
import Foundation
import Testing
@testable import CatracaServer

@Suite struct EventLoopTests {
    @Test func tasksFromOtherThreadsRunOnTheLoopThread() throws {
        let loop = try EventLoop()
        let thread = Thread { loop.run() }
        thread.start()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var ranOnLoop = false

        DispatchQueue.global().async {
            loop.execute {
                ranOnLoop = loop.inEventLoop
                done.signal()
            }
        }

        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(ranOnLoop)
        loop.stop()
    }

    @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() throws {
        let loop = try EventLoop()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var fired: [Int] = []
        loop.execute {
            let now = loop.timeSource.now
            loop.scheduleTimer(at: now + .milliseconds(30)) { fired.append(3); done.signal() }
            loop.scheduleTimer(at: now + .milliseconds(10)) { fired.append(1) }
            let cancelled = loop.scheduleTimer(at: now + .milliseconds(20)) { fired.append(2) }
            loop.cancelTimer(cancelled)
        }
        let thread = Thread { loop.run() }
        thread.start()

        #expect(done.wait(timeout: .now() + 5) == .success)
        loop.stop()
        #expect(fired == [1, 3])
    }

    @Test func aListenerOnPortZeroReportsTheRealPort() throws {
        let loop = try EventLoop()
        let sink = MemoryLogSink()
        let listener = try TCPListener(loop: loop, address: SocketAddress(host: "127.0.0.1", port: 0),
                                       logger: Logger(label: "test", sink: sink)) { fd, _ in close(fd) }
        defer { listener.close() }
        #expect(listener.localAddress.port != 0)
        #expect(listener.localAddress.host == "127.0.0.1")
    }

    @Test(arguments: [
        ("127.0.0.1:7792", "127.0.0.1", 7792), ("[::1]:80", "::1", 80), ("0.0.0.0:1", "0.0.0.0", 1),
    ] as [(String, String, UInt16)])
    func addressesParseFromTheConfigForm(text: String, host: String, port: UInt16) throws {
        let address = try #require(SocketAddress(parsing: text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: ["localhost:7792", "127.0.0.1", "127.0.0.1:99999", "[::1:80", ":80", "1.2.3.4:x"])
    func malformedAddressesAreRefused(text: String) {
        #expect(SocketAddress(parsing: text) == nil)
    }
}
