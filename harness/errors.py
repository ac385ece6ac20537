"""The one exception type the CLI turns into a clean message and a non-zero exit.

Anything a user can cause (a bad spec, a missing file, a wrong id, no network) raises
`UserError`; the CLI prints its message, with no traceback, and exits with its code. It is a
`ValueError`, so Python callers of `harness.load` and friends can catch the documented
`ValueError` without knowing this module.
"""


class UserError(ValueError):
    """A problem with the user's input or environment, reported as one message."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code
