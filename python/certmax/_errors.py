"""Exceptions raised for a failed library call, from its status and message.

The status is the certmax CLI's exit code for the same problem and the message is the
CLI's message (with the function name where the CLI names the file):

- 64 (an option value out of range) and 65 (invalid input: NaN/inf, lower > upper,
  temperature not finite and > 0, shape problems, malformed spec): `ValueError`;
- 66 (an input file cannot be read): `UnreadableInputError`, both a `ValueError` and an
  `OSError`;
- 70 (internal failure, e.g. the LP solver failed with no sound fallback): `CertmaxInternalError`.
"""


class UnreadableInputError(OSError, ValueError):
    """An input file (a spec, model weights) could not be read (CLI exit code 66)."""


class CertmaxInternalError(RuntimeError):
    """An internal failure of the library (CLI exit code 70); never a wrong bound."""


def error_for(status: int, message: str) -> Exception:
    """The exception for a nonzero status and its `certmax_last_error()` message."""
    if status in (64, 65):
        return ValueError(message)
    if status == 66:
        return UnreadableInputError(message)
    return CertmaxInternalError(f"{message} (status {status})")
