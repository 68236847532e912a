// CertmaxVerifier: verdicts on VNN-COMP instances (an ONNX model and a VNN-LIB
// property), the results file, and batches of instances.
