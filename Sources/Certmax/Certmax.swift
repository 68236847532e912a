// The umbrella module: `import Certmax` gives the whole library.
@_exported import CertmaxAttention
@_exported import CertmaxBounds
@_exported import CertmaxGraph
@_exported import CertmaxIO
@_exported import CertmaxLP
@_exported import CertmaxModels
@_exported import CertmaxNumerics
@_exported import CertmaxRadius
@_exported import CertmaxSoftmax
@_exported import CertmaxVerifier
