/// The tool's version string, printed by `certmax --version`.
let certmaxVersion = "0.1.0"
