// CertmaxBounds: bound engines over a `Graph` (CertmaxGraph) and attacks.
//
// Box propagation (sound interval evaluation of every node, with the certified softmax
// bounds and Vertex-Softmax for attention aggregation), and falsification by random
// points and signed-gradient steps on the plain forward pass.
