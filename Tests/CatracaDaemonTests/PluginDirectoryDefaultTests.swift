import Testing
@testable import CatracaDaemon

/// The plugin folder follows the prefix `catraca` was installed under (`scripts/install.sh`).
@Suite struct PluginDirectoryDefaultTests {
    @Test func aPrefixBinFolderGivesThePrefixsLibFolder() {
        #expect(Configuration.Plugins.defaultDirectory(executableFolder: "/usr/local/bin")
            == "/usr/local/lib/catraca/plugins")
        #expect(Configuration.Plugins.defaultDirectory(executableFolder: "/usr/bin") == "/usr/lib/catraca/plugins")
        #expect(Configuration.Plugins.defaultDirectory(executableFolder: "/opt/catraca/bin/")
            == "/opt/catraca/lib/catraca/plugins")
        #expect(Configuration.Plugins.defaultDirectory(executableFolder: "/bin") == "/lib/catraca/plugins")
    }

    @Test func aSwiftPMBuildFolderLoadsOnlyWhatIsPutInItsPluginsFolder() {
        let folder = "/home/dev/catraca/.build/x86_64-unknown-linux-gnu/debug"
        #expect(Configuration.Plugins.defaultDirectory(executableFolder: folder) == folder + "/plugins")
    }

    @Test func anyOtherFolderGetsTheInstalledDefault() {
        #expect(Configuration.Plugins.defaultDirectory(executableFolder: "/opt/catraca")
            == Configuration.Plugins.installedDirectory)
    }
}
