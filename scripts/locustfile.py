"""The load mix of `bench_national.py` (locust): 70 % officers autosaving and viewing their form, 20 % reviewers,
10 % provincial and national viewers, 1–3 s think time. BENCH_PEOPLE names the JSON file of sessions the
benchmark wrote; BENCH_MODE=floor makes every user open only the signed-in floor page; BENCH_WAIT=none drops
the think time (saturation runs).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets

from locust import HttpUser, between, constant, task

HOST = "bench.portal.invalid"
PEOPLE = json.loads(open(os.environ["BENCH_PEOPLE"]).read())
FLOOR = "/accounts/password/"
WAIT = constant(0) if os.environ.get("BENCH_WAIT") == "none" else between(1, 3)
FLOOR_ONLY = os.environ.get("BENCH_MODE") == "floor"
_officers = itertools.cycle(PEOPLE["officers"])
_reviewers = itertools.cycle(PEOPLE["reviewers"])
_viewers = itertools.cycle(PEOPLE["viewers"])
YEAR = PEOPLE["year"]


class Portal(HttpUser):
    abstract = True
    wait_time = WAIT

    def sign_in(self, session_key: str) -> None:
        csrf = secrets.token_hex(16)
        self.client.headers.update({
            "Host": HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/",
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}", "X-CSRFToken": csrf,
        })

    def open(self, path: str, name: str | None = None) -> None:
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class Officer(Portal):
    weight = 7

    def on_start(self):
        self.me = dict(next(_officers))
        self.sign_in(self.me["session"])

    @task(4)
    def autosave(self):
        if FLOOR_ONLY:
            return self.open(FLOOR)
        data = {"version": self.me["version"], "criterion": random.choice(self.me["criteria"]),
                "self_result": random.choice(["met", "not_met"]), "note": f"ghi chú {random.randint(1, 999)}"}
        with self.client.post(f"/assessments/{self.me['assessment']}/criterion/", data=data,
                              name="autosave", catch_response=True) as response:
            if response.status_code in (200, 409):  # a conflict answers the saved version: the page carries on
                self.me["version"] = response.json().get("version", self.me["version"])
                response.success()
            else:
                response.failure(f"{response.status_code}")

    @task(2)
    def form(self):
        self.open(FLOOR if FLOOR_ONLY else f"/assessments/{self.me['assessment']}/", name="assessment page")

    @task(1)
    def home(self):
        self.open(FLOOR if FLOOR_ONLY else "/assessments/", name="officer home")


class Reviewer(Portal):
    weight = 2

    def on_start(self):
        self.me = next(_reviewers)
        self.sign_in(self.me["session"])

    @task(3)
    def inbox(self):
        self.open(FLOOR if FLOOR_ONLY else f"/assessments/review/?year={YEAR}", name="reviewer inbox")

    @task(1)
    def review(self):
        if FLOOR_ONLY or not self.me["review"]:
            return self.open(FLOOR)
        self.open(f"/assessments/{self.me['review']}/review/", name="review page")


class Viewer(Portal):
    weight = 1
    PAGES = ("/reports/?year={y}&programme={p}", "/reports/completeness/?year={y}&programme={p}",
             "/reports/criteria/?year={y}&programme={p}", "/reports/trends/?year={y}&programme={p}",
             "/reports/map/?year={y}&programme={p}", "/reports/current/?year={y}&programme={p}")

    def on_start(self):
        self.national = random.random() < 0.25
        self.me = None if self.national else next(_viewers)
        self.sign_in(PEOPLE["national"] if self.national else self.me["session"])

    @task
    def report(self):
        if FLOOR_ONLY:
            return self.open(FLOOR)
        if self.national:
            return self.open(f"/reports/national/?year={YEAR}", name="national page")
        page = random.choice(self.PAGES)
        self.open(page.format(y=YEAR, p=self.me["programme"]), name=page.split("?")[0])
