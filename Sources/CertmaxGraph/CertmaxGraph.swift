// CertmaxGraph: the one model representation of Certmax.
//
// A `Graph` is a topologically sorted list of nodes over tensors with static shapes
// (batch 1, row-major). Every front end (ONNX, BERT safetensors, hand-made graphs in
// tests) builds one; every bound method reads one. Each op lives in its own file and
// conforms to `GraphOp`, which states the op's plain forward pass, its outward-rounded
// interval evaluation (a sound forward pass at a point, and box propagation), and its
// gradient. See docs/DESIGN.md, "The model graph".
