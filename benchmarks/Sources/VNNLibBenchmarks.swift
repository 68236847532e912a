// VNN-LIB group (issue 11): parsing the VNN-COMP 2023 ViT properties (335 KB each: 3072
// X declarations and 6144 bounds, one or-of-and over 10 Y) into the DNF specification
// the verifier reads (VNNLibSpecification). Elements = bytes. The files ship gzipped;
// they are decompressed once with /usr/bin/gzip before timing (decompression is not
// part of the figure). Skipped when ../shared/benchmarks/vnncomp2023-vit is absent.
import CertmaxIO
import Foundation

func runVNNLibBenchmarks(_ runner: BenchRunner) {
    let group = "vnnlib"
    let folder = ProcessInfo.processInfo.environment["CERTMAX_VIT_BENCHMARK"] ?? "../shared/benchmarks/vnncomp2023-vit"
    let vnnlib = folder + "/vnnlib"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: vnnlib).filter({ $0.hasSuffix(".vnnlib.gz") }).sorted(),
          !names.isEmpty else {
        print("vnnlib: skipped (no ViT properties in \(vnnlib))")
        return
    }
    func gunzip(_ path: String) -> Data? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        p.arguments = ["-dc", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? data : nil
    }
    let files = (runner.quick ? Array(names.prefix(1)) : Array(names.prefix(10))).compactMap { n in gunzip(vnnlib + "/" + n).map { (n, $0) } }
    guard let (name, data) = files.first else { print("vnnlib: skipped (gzip failed)"); return }
    var disjuncts = 0
    runner.measure(group: group, name: "ViT \(name.prefix(16)) \(data.count / 1024) KB", elements: data.count, minTime: 0.5) {
        let s = try? VNNLibSpecification(data: data, source: name)
        disjuncts = s?.disjuncts.count ?? -1
        blackHole(s)
    }
    if disjuncts != 9 { print("vnnlib: WARNING: \(name) gave \(disjuncts) disjuncts, expected 9") }
    // The slowest of several files, parsed once each (cold caches; the per-instance cost
    // in a batch).
    var worst = 0.0
    for (n, d) in files {
        let t0 = clockNanoseconds(runner.clock)
        blackHole(try? VNNLibSpecification(data: d, source: n))
        worst = max(worst, Double(clockNanoseconds(runner.clock) - t0))
    }
    runner.record(group: group, name: "ViT slowest of \(files.count) (single parse)", elements: data.count, ns: worst)
}
