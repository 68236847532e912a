import Foundation
import Testing
@testable import CertmaxIO

/// A deflated npz member whose header claims a huge uncompressed size is corrupt and is
/// refused before the output buffer is allocated. Before the fix a ~500-byte archive
/// claiming 2^31 bytes made the reader allocate and zero 2 GB (the npz fuzz target ran
/// out of memory on such inputs); now the claim is checked against deflate's 1032:1 limit.
@Suite struct NpzClaimedSizeTests {
    /// The compressed fixture with every uncompressed-size field (local and central
    /// headers) set to `size`.
    func patched(size: UInt32) throws -> Data {
        var d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("radius_small_compressed_f32.npz"))))
        var patchedFields = 0
        for i in 0..<(d.count - 4) {
            let sig = UInt32(d[i]) | UInt32(d[i + 1]) << 8 | UInt32(d[i + 2]) << 16 | UInt32(d[i + 3]) << 24
            let at = sig == 0x0403_4B50 ? i + 22 : sig == 0x0201_4B50 ? i + 24 : nil
            if let at {
                for b in 0..<4 { d[at + b] = UInt8((size >> (8 * UInt32(b))) & 0xFF) }
                patchedFields += 1
            }
        }
        #expect(patchedFields >= 2)
        return Data(d)
    }

    @Test func hugeClaimedSizeIsRefusedBeforeAllocating() throws {
        let z = try NpzArchive(data: try patched(size: 0x7FFF_FFFF), source: "bomb.npz")
        for name in z.names {
            do {
                _ = try z.memberData(name)
                Issue.record("member \(name) claiming 2^31 - 1 bytes was accepted")
            } catch {
                #expect(error.description.contains("claims 2147483647 bytes"), "\(error)")
            }
        }
    }

    @Test func trueSizesStillRead() throws {
        let z = try NpzArchive(path: fixture("radius_small_compressed_f32.npz"))
        for name in z.names { _ = try z.array(name) }
    }
}
