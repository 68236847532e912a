"""Certmax from Python: certified (rigorously sound, outward-rounded) bounds for softmax
and attention, through the Certmax C library (libCertmaxC.so, bundled in the wheel).

Every function calls the same library code as the `certmax` command-line tool, so its
numbers are bit-identical to what `certmax ... --format json` prints. Bad input raises
`ValueError` with the CLI's message.

- `softmax_bounds(lower, upper, temperature=1.0, log=False) -> (lo, hi)`
- `vertex_objective(c, lower, upper, temperature=1.0) -> dict`
- `zone_objective(c, lower, upper, diff_upper=None, temperature=1.0) -> dict`
- `taylor_radius(logits, directions, temperature=1.0, exact=False) -> dict`
- `verify(spec, method="symbolic", ...) -> dict`; `Spec(spec)`: a loaded spec, verified many times
- `certmax.lirpa`: an optional auto_LiRPA bound operator for softmax (imports torch).
"""

from ._errors import CertmaxInternalError, UnreadableInputError
from ._native import version as _version
from .objective import vertex_objective, zone_objective
from .radius import taylor_radius
from .softmax import softmax_bounds
from .verify import Spec, verify

__version__ = _version().decode()

__all__ = [
    "softmax_bounds", "vertex_objective", "zone_objective", "taylor_radius", "verify", "Spec",
    "UnreadableInputError", "CertmaxInternalError", "__version__",
]
