import Foundation
import Testing
import TestSupport

/// The C ABI tested from C: `c/capi_test.c` is compiled against the committed header
/// `Sources/CertmaxC/include/certmax.h` and linked with the `libCertmaxC.so` built next to
/// this test bundle, then run from the package root (it reads specs/). A second test checks
/// that the header declares every exported function with the compiler's own prototype.
@Suite("C ABI (libCertmaxC + certmax.h)")
struct CAPIProgramTests {
    /// The build folder holding the test bundle (and the products built with it).
    static var buildDirectory: URL {
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = argv0.deletingLastPathComponent()
        // The bundle's executable lives in CertmaxPackageTests.xctest on Linux (a file) or
        // deeper on Darwin; walk up to the folder that holds the libraries.
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Modules").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var header: URL { packageRoot.appendingPathComponent("Sources/CertmaxC/include") }

    /// Runs a tool, returning its status and combined output.
    static func run(_ tool: String, _ args: [String], in directory: URL? = nil) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        if let directory { p.currentDirectoryURL = directory }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func cProgramPasses() throws {
        let lib = Self.buildDirectory.appendingPathComponent("libCertmaxC.so")
        try #require(FileManager.default.fileExists(atPath: lib.path),
                     "libCertmaxC.so not found in \(Self.buildDirectory.path): build it with `swift build --product CertmaxC` (scripts/test.sh does)")
        let exe = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-capi-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: exe) }
        let source = packageRoot.appendingPathComponent("Tests/CertmaxCTests/c/capi_test.c")
        let (cs, cout) = try Self.run("cc", ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror",
                                             "-I", Self.header.path, source.path,
                                             "-L", Self.buildDirectory.path, "-lCertmaxC",
                                             "-Wl,-rpath," + Self.buildDirectory.path, "-lm", "-lpthread",
                                             "-o", exe.path])
        try #require(cs == 0, "compiling capi_test.c failed:\n\(cout)")
        let (rs, rout) = try Self.run(exe.path, [], in: packageRoot)
        #expect(rs == 0, "capi_test failed:\n\(rout)")
        #expect(rout.contains("0 failed"), "\(rout)")
    }

    /// Generates the compiler's C header for the CertmaxC module (`-emit-clang-header-path`)
    /// and compiles a unit that includes both it and certmax.h: C rejects two different
    /// prototypes of one function, so any drift is an error. Also checks that certmax.h
    /// declares every `certmax_` function the module exports.
    @Test func headerMatchesTheExports() throws {
        let build = Self.buildDirectory
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-header-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let sources = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Sources/CertmaxC").path)
            .filter { $0.hasSuffix(".swift") }.map { packageRoot.appendingPathComponent("Sources/CertmaxC/\($0)").path }
        let generated = tmp.appendingPathComponent("generated.h")
        var args = ["-parse-as-library", "-typecheck", "-module-name", "CertmaxC", "-I", build.appendingPathComponent("Modules").path]
        // Every C target of the package (a Sources folder with an include/ directory), so a
        // new C module cannot be missed here.
        let sourcesDir = packageRoot.appendingPathComponent("Sources")
        let shims = try FileManager.default.contentsOfDirectory(atPath: sourcesDir.path).sorted().filter {
            $0 != "CertmaxC" && FileManager.default.fileExists(atPath: sourcesDir.appendingPathComponent("\($0)/include").path)
        }
        #expect(shims.contains("CMPFR") && shims.contains("CCertmaxKernels"), "\(shims)")
        for shim in shims {
            args += ["-Xcc", "-I", "-Xcc", packageRoot.appendingPathComponent("Sources/\(shim)/include").path,
                     "-Xcc", "-fmodule-map-file=" + build.appendingPathComponent("\(shim).build/module.modulemap").path]
        }
        args += sources + ["-emit-clang-header-path", generated.path]
        let (gs, gout) = try Self.run("swiftc", args)
        try #require(gs == 0, "swiftc could not emit the header:\n\(gout)")
        let unit = tmp.appendingPathComponent("both.c")
        try Data("#include \"certmax.h\"\n#include \"\(generated.path)\"\nint main(void) { return 0; }\n".utf8).write(to: unit)
        let (cs, cout) = try Self.run("clang", ["-fsyntax-only", "-I", Self.header.path, unit.path])
        #expect(cs == 0, "certmax.h disagrees with the exported functions:\n\(cout)")
        // Every exported name is declared in certmax.h.
        let gen = try String(contentsOf: generated, encoding: .utf8)
        let hand = try String(contentsOf: Self.header.appendingPathComponent("certmax.h"), encoding: .utf8)
        let exported = Set(gen.split(separator: "\n").filter { $0.hasPrefix("SWIFT_EXTERN") }.compactMap { line -> String? in
            guard let r = line.range(of: #"certmax_[a-z0-9_]+(?=\()"#, options: .regularExpression) else { return nil }
            return String(line[r])
        })
        #expect(exported.count >= 14, "\(exported.sorted())")
        for name in exported.sorted() {
            #expect(hand.range(of: "[ *]\(name)\\(", options: .regularExpression) != nil, "certmax.h does not declare \(name)")
        }
    }
}
