// CertmaxAttention: attention layers from safetensors weights, specs, sound bound
// propagation, the falsifier and the verifier.
