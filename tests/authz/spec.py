"""The authorization matrix's vocabulary. Each app lists its URLs in tests/authz/matrix_<app>.py.

An Entry says, for one URL name, which status each persona gets. "anonymous" defaults to the
login redirect unless the entry is public. Practice-scoped entries (practice_scoped=True) must
answer 404 to the outsider, a user of another practice, so a practice's objects do not leak.

A status is not an effect: a POST that the service refuses still answers 302 (with a message).
So every POST entry also names its effect, a function (world, kwargs) -> a snapshot of the
database state the POST changes (a status, a timestamp, a row count, a part's stored fields),
taken before and after the request. The runner asserts that the snapshot CHANGED for every
persona the entry allows (a status other than 403, 404 or the login redirect), except those
listed in unchanged_for with the reason, and that it is UNCHANGED for every refused persona.
Snapshots are plain values (tuples, strings, datetimes, counts); encrypted content fields are
read through the model instance (decrypted transparently).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"  # a redirect to the sign-in page
REFUSED = (403, 404, LOGIN)  # a persona expected to get one of these must change nothing

MEMBERS = ["admin", "coach", "other_coach", "client", "sponsor"]
# Support staff with logistics only. An entry that does not name the scheduler expects it
# refused (403 or 404) and the POST's effect unchanged (tests/authz/test_matrix.py), so a
# matrix file written without the scheduler in mind fails closed; entries name it where
# logistics is allowed (only([..., SCHEDULER]) or everyone()).
SCHEDULER = "scheduler"


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
    # (world, kwargs) -> a snapshot of what the POST changes; required for every POST entry
    effect: Callable | None = None
    # persona -> form data that replaces keys of `data` for that persona (e.g. the party a
    # persona accepts a contract for), so that each allowed persona's POST can take effect
    data_for: dict = field(default_factory=dict)
    # allowed persona -> why its (allowed) POST leaves the snapshot unchanged
    unchanged_for: dict = field(default_factory=dict)


def only(allowed, status=200, **overrides):
    """allowed personas get status; other members 403; the outsider 404; the scheduler (unless
    allowed) refused by default."""
    expect = {p: (status if p in allowed else 403) for p in MEMBERS}
    if SCHEDULER in allowed:
        expect[SCHEDULER] = status
    expect["outsider"] = 404
    expect.update(overrides)
    return expect


def everyone(status, **overrides):
    expect = dict.fromkeys([*MEMBERS, SCHEDULER, "outsider"], status)
    expect.update(overrides)
    return expect


def practice(world):
    return {"slug": world.practice.slug}
