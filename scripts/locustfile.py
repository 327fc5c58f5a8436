"""The simulated users of `make loadtest` (scripts/loadtest.py writes LOADTEST_PLAN, a JSON
list with one entry per simulated user: its role, its session cookie and the pages it walks).

Each user opens its role's pages in a random order, one every 1 to 3 seconds, as a person
reading would. A response other than 200 (a redirect to sign-in included) is an error.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

_PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115
_NEXT = itertools.count()


class PracticeUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        me = _PLAN[next(_NEXT) % len(_PLAN)]
        self.role = me["role"]
        self.pages = me["pages"]
        self.client.headers.update({"Cookie": me["cookie"]})

    @task
    def read_a_page(self):
        label, path = random.choice(self.pages)
        name = f"{self.role}: {label}"
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
