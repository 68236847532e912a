// CertmaxRadius: certified Taylor-radius bounds for cross-entropy steps
// (DESIGN.md section 4).
