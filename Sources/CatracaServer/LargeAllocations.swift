#if canImport(Glibc)
import Glibc
#endif
import CSystem

/// How the process gets memory for large buffers (photos, messages of up to 16 MiB).
public enum LargeAllocations {
    /// Makes every allocation from 256 KiB up come from its own mapping, returned to the system on free.
    ///
    /// glibc starts that way but raises the threshold after the first large free (up to 32 MiB on
    /// 64-bit), after which large buffers come from the heap and their memory stays with the process:
    /// a burst of huge messages would leave a small box's daemon hundreds of MiB larger for good.
    /// Setting the threshold fixes it (mallopt(3), M_MMAP_THRESHOLD).
    public static func returnToTheSystemWhenFreed() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024)
    }
}
