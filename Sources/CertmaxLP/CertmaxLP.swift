// CertmaxLP: the GLPK binding and rigorous (Neumaier-Shcherbina) LP bounds.
// The LP's own objective value is never reported as a bound; see SafeBound.swift.
