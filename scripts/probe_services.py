"""Says whether PostgreSQL and Redis answer at the given URLs. Exit 0 when both do."""

import sys

import psycopg
import redis


def main(database_url, redis_url):
    ok = True
    try:
        psycopg.connect(database_url, connect_timeout=3).close()
        print(f"PostgreSQL: up ({database_url.split('@')[-1]})")
    except Exception as error:
        print(f"PostgreSQL: unavailable ({error.__class__.__name__}: {error})".strip())
        ok = False
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        print(f"Redis: up ({redis_url.split('@')[-1]})")
    except Exception as error:
        print(f"Redis: unavailable ({error.__class__.__name__})")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
