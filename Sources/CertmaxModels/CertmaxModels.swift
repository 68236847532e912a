// CertmaxModels: front ends that build `Graph`s (CertmaxGraph) from model files.
//
// ONNX (via the protobuf decoder in CertmaxIO) and BERT-style safetensors checkpoints.
// Nothing downstream knows which front end made a graph.
