// CertmaxSoftmax: certified softmax bounds over boxes of pre-softmax scores
// (per-coordinate, Vertex-Softmax objective bounds, linear relaxations, zone LP).
