import CertmaxIO
import Foundation

/// Reading a `RadiusBatch` from the file formats a PyTorch/NumPy user can write in one line.
extension RadiusBatch {
    /// Builds a batch from two arrays (1-d = one sample, 2-d = B x K rows).
    /// Errors: empty arrays, other ranks, shape mismatch, NaN/inf (naming the entry).
    public init(logits: NpyArray, directions: NpyArray, logitsSource: String, directionsSource: String,
                temperature: Double = 1, step: Double? = nil) throws(InputError) {
        let z = try logits.matrix(source: logitsSource, name: "logits")
        let a = try directions.matrix(source: directionsSource, name: "directions")
        guard z.rows == a.rows, z.columns == a.columns else {
            throw InputError(source: directionsSource, location: "directions",
                             problem: "shape mismatch: directions are \(a.rows) x \(a.columns), logits (\(logitsSource)) are \(z.rows) x \(z.columns)")
        }
        // Report NaN/inf with the file that holds it.
        for (src, name, xs) in [(logitsSource, "logits", z.values), (directionsSource, "directions", a.values)] {
            if let i = xs.firstIndex(where: { !$0.isFinite }) {
                throw InputError(source: src, location: "\(name)[\(i / z.columns)][\(i % z.columns)]",
                                 problem: xs[i].isNaN ? "NaN is not allowed" : "infinite values are not allowed")
            }
        }
        try self.init(rows: z.rows, columns: z.columns, logits: z.values, directions: a.values,
                      temperature: temperature, step: step, source: logitsSource)
    }

    /// Reads arrays `logits` and `directions` from a `.npz` archive (np.savez or
    /// np.savez_compressed).
    public init(npz: NpzArchive, temperature: Double = 1, step: Double? = nil) throws(InputError) {
        let z = try npz.array("logits"), a = try npz.array("directions")
        try self.init(logits: z, directions: a, logitsSource: "\(npz.source): array \"logits\"",
                      directionsSource: "\(npz.source): array \"directions\"", temperature: temperature, step: step)
    }

    /// Reads two named tensors (B x K or K; F64, F32, BF16 or F16) from a safetensors file.
    public init(safetensors file: SafetensorsFile, logitsTensor: String = "logits", directionsTensor: String = "directions",
                temperature: Double = 1, step: Double? = nil) throws(InputError) {
        func array(_ name: String) throws(InputError) -> NpyArray {
            let info = try file.info(name)
            return NpyArray(shape: info.shape, dtype: info.dtype == .f64 ? .float64 : .float32, values: try file.doubles(name))
        }
        try self.init(logits: array(logitsTensor), directions: array(directionsTensor),
                      logitsSource: "\(file.path): tensor \"\(logitsTensor)\"",
                      directionsSource: "\(file.path): tensor \"\(directionsTensor)\"", temperature: temperature, step: step)
    }

    /// The input formats `load` recognizes (by content, not by file name).
    public enum InputFormat: String, Sendable { case json, npz, npy, safetensors }

    /// Guesses the format of file content from its first bytes.
    public static func detectFormat(_ data: Data) -> InputFormat? {
        let b = [UInt8](data.prefix(16))
        if b.count >= 6 && b[0] == 0x93 && b[1] == 0x4E && b[2] == 0x55 { return .npy }
        if b.count >= 4 && b[0] == 0x50 && b[1] == 0x4B && (b[2] == 0x03 || b[2] == 0x05) { return .npz }
        if b.count >= 9 && b[8] == 0x7B && b[5] == 0 && b[6] == 0 && b[7] == 0 { return .safetensors }
        if let first = b.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == 0x7B { return .json }
        return nil
    }

    /// Loads a batch as the `certmax radius` command does: either `input` (JSON, .npz or
    /// safetensors with tensors `logitsTensor`/`directionsTensor`; `-` for standard input,
    /// except safetensors) or the pair `logitsPath`/`directionsPath` (.npy files).
    /// `temperature`/`step` override the values in a JSON input when given.
    public static func load(input: String?, logitsPath: String?, directionsPath: String?,
                            temperature: Double? = nil, step: Double? = nil,
                            logitsTensor: String = "logits", directionsTensor: String = "directions") throws(InputError) -> RadiusBatch {
        if let input {
            let (data, source) = try readInputFile(input)
            switch detectFormat(data) {
            case .json?:
                let b = try RadiusBatch(document: JSONDocument(data: data, source: source))
                return try b.with(temperature: temperature, step: step.map { .some($0) })
            case .npz?:
                return try RadiusBatch(npz: NpzArchive(data: data, source: source), temperature: temperature ?? 1, step: step)
            case .npy?:
                throw InputError(source: source, problem: "a single .npy file: give --logits FILE.npy --directions FILE.npy, or one .npz with arrays \"logits\" and \"directions\"")
            case .safetensors?:
                guard input != "-" else {
                    throw InputError(source: source, problem: "safetensors input must be a file, not standard input")
                }
                return try RadiusBatch(safetensors: SafetensorsFile(path: input), logitsTensor: logitsTensor,
                                       directionsTensor: directionsTensor, temperature: temperature ?? 1, step: step)
            case nil:
                throw InputError(source: source, problem: "unrecognized input format (expected JSON, .npz, or safetensors)")
            }
        }
        guard let logitsPath, let directionsPath else {
            throw InputError(source: logitsPath ?? directionsPath ?? "<arguments>",
                             problem: "give --input FILE, or both --logits FILE.npy and --directions FILE.npy")
        }
        let z = try NpyArray(path: logitsPath), a = try NpyArray(path: directionsPath)
        return try RadiusBatch(logits: z, directions: a, logitsSource: logitsPath, directionsSource: directionsPath,
                               temperature: temperature ?? 1, step: step)
    }
}
