"""The calendar feed's per-user cache (#11): versions that the services bump, and the lookup.

A calendar app polls the feed every few minutes to hours and the feed rarely changes, so the
built bytes are kept in Django's cache under a key made of everything the feed depends on:

- what the request itself carries, free: the user, the feed's token hash (a rotated token is a
  new key), the user's language and time zone;
- the user's active memberships, read on every fetch OUTSIDE the cache (finding 8 of #12: a
  coach off-boarded from a practice stops seeing its sessions at once, warm cache or not);
- a version per user, which the services that change what the feed shows bump (sessions
  scheduled, moved, cancelled, held, suspended; chemistry meetings proposed), and one version
  for everyone, bumped when a name that appears in other people's feeds changes (a profile
  edit, an erasure).

A bump writes a fresh random version twice: at once (so the same request and the tests see
it) and again once the transaction commits (a fetch between the two could otherwise have
cached the uncommitted, old state under the new version). A missing version (never bumped,
or evicted) is replaced by a fresh random one, so an evicted version can never bring back an
older entry. TTL is only the safety net for a change no service announced and for the
feed's sliding window (3 months back, 12 ahead) moving on; it is not what keeps the feed
correct. The cache fails open (coaching/cache.py): with Redis down, every fetch builds.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

TTL = 60 * 60  # one hour: the safety net, see above
_VERSION_TTL = 60 * 60 * 24 * 30  # outlives every entry it keys
_EVERYONE = "ics:v:all"


def _user_key(user_id):
    return f"ics:v:{user_id}"


def feed_changed(user_ids=(), *, everyone=False):
    """Call from a service whose change alters what these users' feeds show (inside or
    outside its transaction); everyone=True when a name shown in others' feeds changed."""
    keys = [_user_key(pk) for pk in sorted({pk for pk in user_ids if pk})]
    if everyone:
        keys.append(_EVERYONE)
    if not keys:
        return

    def bump():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, _VERSION_TTL)

    bump()
    transaction.on_commit(bump)


def _versions(keys):
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            fresh = uuid.uuid4().hex
            cache.add(key, fresh, _VERSION_TTL)
            found[key] = cache.get(key) or fresh
    return [found[key] for key in keys]


def cached_feed(user_id, parts, build):
    """The feed's bytes from the cache, or build() stored for TTL. parts: what else keys it
    (token hash, language, time zone, active memberships), each a str or a tuple of them."""
    versions = _versions([_user_key(user_id), _EVERYONE])
    raw = repr((user_id, tuple(parts), tuple(versions))).encode()
    key = "ics:feed:" + hashlib.sha256(raw).hexdigest()
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, TTL)
    return body
