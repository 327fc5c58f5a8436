"""The authorization matrix's vocabulary. Each app lists its URLs in tests/authz/matrix_<app>.py.

An Entry says, for one URL name, which status each persona gets. "anonymous" defaults to the
login redirect unless the entry is public. Practice-scoped entries (practice_scoped=True) must
answer 404 to the outsider, a user of another practice, so a practice's objects do not leak.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"  # a redirect to the sign-in page

MEMBERS = ["admin", "coach", "other_coach", "client", "sponsor"]


@dataclass
class Entry:
    name: str
    expect: dict
    kwargs: Callable | None = None  # world -> URL kwargs (may create the objects it names)
    method: str = "get"
    data: Callable | dict | None = None
    public: bool = False
    practice_scoped: bool = True
    note: str = ""
    extra: dict = field(default_factory=dict)


def only(allowed, status=200, **overrides):
    """allowed personas get status; other members 403; the outsider 404."""
    expect = {p: (status if p in allowed else 403) for p in MEMBERS}
    expect["outsider"] = 404
    expect.update(overrides)
    return expect


def everyone(status, **overrides):
    expect = dict.fromkeys([*MEMBERS, "outsider"], status)
    expect.update(overrides)
    return expect


def practice(world):
    return {"slug": world.practice.slug}
