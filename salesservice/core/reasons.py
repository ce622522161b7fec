"""Why a rule says no: the answer of every check (sellability, buyer qualification, dispatch…).

A check returns a list of `Reason`s — empty means allowed — so a page can show them all and an
API can return them as `[{"code": ..., "message": ...}]`. A service that refuses an action raises
`DomainError(reasons[0].code, message)` with them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """A stable machine-readable `code` (e.g. "dispatch.uncertified") and a Chinese `message`."""

    code: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message)}
