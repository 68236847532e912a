// swift-tools-version: 6.0
//
// Certmax: certified bounds for softmax and attention.
//
// Module map (one concept per file inside each):
//   CMPFR, CGLPK        C shims (MPFR macros, the GLPK error-hook guard)
//   CCertmaxKernels     x86-64-v3 (AVX2) forms of hot SIMD passes, chosen at run time
//                       (bit-identical to the portable Swift code; baseline binary)
//   COpenBLAS           the dgemm the symbolic bound engine calls (error-bounded by its callers)
//   CertmaxNumerics     directed rounding, Interval, sound elementary functions,
//                       MPFR-backed BigFloat/BigInterval, SIMD batch kernels
//   CertmaxIO           input errors and exit codes, JSON inputs, safetensors, npy/npz,
//                       gzip inputs, ONNX files (hand-written protobuf reader)
//   CertmaxLP           GLPK binding and Neumaier-Shcherbina safe LP bounds
//   CertmaxSoftmax      softmax bounds over score boxes, Vertex-Softmax, relaxations, zone LP
//   CertmaxRadius       Taylor-radius bounds for cross-entropy steps
//   CertmaxAttention    attention layers, specs, bound propagation, falsifier, verifier
//                       (the first wave's one-block verifier; BERT weight loading)
//   CertmaxGraph        the model graph: typed tensor ops with static shapes, plain and
//                       outward-rounded forward passes, interval evaluation, gradients
//   CertmaxModels       front ends that build graphs: ONNX, BERT safetensors
//   CertmaxBounds       bound engines over the graph (box propagation, symbolic linear
//                       forms), attacks
//   CertmaxVerifier     VNN-COMP instances: properties over graphs, verdicts, batches
//   Certmax             umbrella module re-exporting all of the above
//   certmax             the command-line tool (thin shell over the library)
//   CertmaxC            the C ABI (libCertmaxC.so, Sources/CertmaxC/include/certmax.h)
//                       over the same library calls as the CLI; python/ loads it
//   CertmaxBenchmarks   release-mode benchmark runner (benchmarks/)
//   CertmaxSoundness    the release-mode soundness campaign (certmax-soundness)
import PackageDescription

let package = Package(
    name: "Certmax",
    products: [
        .library(name: "Certmax", targets: ["Certmax"]),
        .executable(name: "certmax", targets: ["certmax"]),
        .executable(name: "certmax-bench", targets: ["CertmaxBenchmarks"]),
        .executable(name: "certmax-soundness", targets: ["CertmaxSoundness"]),
        .library(name: "CertmaxC", type: .dynamic, targets: ["CertmaxC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .target(name: "CMPFR", linkerSettings: [.linkedLibrary("mpfr"), .linkedLibrary("gmp")]),
        .target(name: "CGLPK", linkerSettings: [.linkedLibrary("glpk")]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "COpenBLAS", linkerSettings: [.linkedLibrary("openblas")]),
        .target(name: "CCertmaxKernels"),
        .target(
            name: "CertmaxNumerics",
            dependencies: ["CMPFR", .product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "CertmaxIO", dependencies: ["CertmaxNumerics", "CZlib"]),
        .target(name: "CertmaxLP", dependencies: ["CGLPK", "CertmaxNumerics"]),
        .target(
            name: "CertmaxSoftmax",
            dependencies: ["CCertmaxKernels", "CertmaxNumerics", "CertmaxLP", "CertmaxIO"]),
        .target(
            name: "CertmaxRadius",
            dependencies: [
                "CertmaxNumerics", "CertmaxIO",
                .product(name: "ComplexModule", package: "swift-numerics"),
            ]),
        .target(
            name: "CertmaxAttention",
            dependencies: [
                "CertmaxNumerics", "CertmaxIO", "CertmaxLP", "CertmaxSoftmax",
                .product(name: "Collections", package: "swift-collections"),
            ]),
        .target(
            name: "CertmaxGraph",
            dependencies: ["CertmaxNumerics", "CertmaxIO", "CertmaxSoftmax"]),
        .target(
            name: "CertmaxModels",
            dependencies: ["CertmaxNumerics", "CertmaxIO", "CertmaxGraph", "CertmaxAttention"]),
        .target(
            name: "CertmaxBounds",
            dependencies: ["CertmaxNumerics", "CertmaxIO", "CertmaxSoftmax", "CertmaxGraph", "COpenBLAS"]),
        .target(
            name: "CertmaxVerifier",
            dependencies: [
                "CertmaxNumerics", "CertmaxIO", "CertmaxGraph", "CertmaxAttention", "CertmaxModels", "CertmaxBounds",
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        .target(
            name: "Certmax",
            dependencies: [
                "CertmaxNumerics", "CertmaxIO", "CertmaxLP", "CertmaxSoftmax",
                "CertmaxRadius", "CertmaxAttention", "CertmaxGraph", "CertmaxModels",
                "CertmaxBounds", "CertmaxVerifier",
            ]),
        .executableTarget(
            name: "certmax",
            dependencies: ["Certmax", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(
            name: "CertmaxC",
            dependencies: ["CertmaxNumerics", "CertmaxIO", "CertmaxSoftmax", "CertmaxRadius", "CertmaxAttention", "CertmaxVerifier"],
            exclude: ["include"]),
        .executableTarget(
            name: "CertmaxBenchmarks",
            dependencies: ["Certmax", "CertmaxC", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "benchmarks/Sources",
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]),
        // The soundness campaign (benchmarks/SOUNDNESS.md); -O, preconditions kept.
        .executableTarget(name: "CertmaxSoundness", dependencies: ["Certmax"], path: "benchmarks/Soundness"),

        .target(name: "TestSupport", dependencies: ["Certmax"], path: "Tests/TestSupport"),
        .testTarget(name: "CertmaxNumericsTests", dependencies: ["CertmaxNumerics", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CertmaxIOTests", dependencies: ["CertmaxIO", "TestSupport"]),
        .testTarget(name: "CertmaxLPTests", dependencies: ["CertmaxLP", "TestSupport"]),
        .testTarget(name: "CertmaxSoftmaxTests", dependencies: ["CertmaxSoftmax", "TestSupport"]),
        .testTarget(name: "CertmaxRadiusTests", dependencies: ["CertmaxRadius", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CertmaxAttentionTests", dependencies: ["CertmaxAttention", "TestSupport"]),
        .testTarget(name: "CertmaxGraphTests", dependencies: ["CertmaxGraph", "TestSupport"]),
        .testTarget(name: "CertmaxModelsTests", dependencies: ["CertmaxModels", "TestSupport"]),
        .testTarget(name: "CertmaxBoundsTests", dependencies: ["CertmaxBounds", "CertmaxModels", "TestSupport"]),
        .testTarget(name: "CertmaxVerifierTests", dependencies: ["CertmaxVerifier", "TestSupport"]),
        .testTarget(name: "CertmaxCLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "CertmaxCTests", dependencies: ["TestSupport"], exclude: ["c"]),
    ],
    swiftLanguageModes: [.v5]
)
