// CertmaxLP: the GLPK binding (LinearProgram, LPSolution, GLPKSolver.swift) and
// rigorous Neumaier-Shcherbina LP bounds (SafeBound.swift).
// The LP's own objective value is never reported as a bound.
