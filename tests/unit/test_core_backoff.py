"""One backoff schedule (core/backoff.py), and the three waits built on it keep exactly their ranges: the client's
retries (full jitter, 0.5 s … 20 s), a failed push (equal jitter, 5 s … 15 min) and the offline cadence (5, 10,
20, 40, 60 s, no jitter)."""

from __future__ import annotations

import random
from datetime import timedelta

import httpx
import pytest

from latecal.core.backoff import Backoff, Jitter
from latecal.late.client import LateClient
from latecal.late.retry import RetryPolicy
from latecal.store import Store
from latecal.sync.engine import OFFLINE_BACKOFF, SyncEngine
from latecal.sync.push import PUSH_BACKOFF, backoff_delay

LOW, HIGH = (lambda: 0.0), (lambda: 1.0)  # the ends of what a random source returns ([0, 1))


def test_the_ceiling_doubles_from_the_base_up_to_the_cap():
    b = Backoff(base=5.0, cap=60.0)
    assert [b.ceiling(n) for n in range(1, 8)] == [5.0, 10.0, 20.0, 40.0, 60.0, 60.0, 60.0]
    assert b.ceiling(0) == b.ceiling(-3) == 5.0  # "no failure yet" waits like the first


def test_each_jitter_kind_spans_its_range():
    full, equal, none = (Backoff(2.0, 100.0, j) for j in (Jitter.FULL, Jitter.EQUAL, Jitter.NONE))
    assert (full.delay(3, LOW), full.delay(3, HIGH), full.delay(3, lambda: 0.25)) == (0.0, 8.0, 2.0)
    assert (equal.delay(3, LOW), equal.delay(3, HIGH), equal.delay(3, lambda: 0.5)) == (4.0, 8.0, 6.0)
    assert none.delay(3, LOW) == none.delay(3, HIGH) == 8.0


def test_no_jitter_never_asks_for_a_random_number():
    def refuse() -> float:
        raise AssertionError("called")

    assert Backoff(1.0, 10.0).delay(2, refuse) == 2.0


def test_thousands_of_failures_stay_at_the_cap():
    assert Backoff(5.0, 900.0, Jitter.EQUAL).delay(5000, HIGH) == 900.0
    assert Backoff(0.5, 20.0, Jitter.FULL).delay(10**6, HIGH) == 20.0


def test_negative_parameters_are_refused():
    with pytest.raises(ValueError):
        Backoff(-1.0, 10.0)
    with pytest.raises(ValueError):
        Backoff(1.0, -10.0)


@pytest.mark.parametrize(("retry", "top"), [(1, 0.5), (2, 1.0), (3, 2.0), (6, 16.0), (7, 20.0), (30, 20.0)])
def test_client_retries_wait_between_zero_and_the_doubling_ceiling_capped_at_20s(retry, top):
    policy = RetryPolicy()
    assert policy.backoff(retry, LOW) == 0.0
    assert policy.backoff(retry, HIGH) == top
    rng = random.Random(retry)
    assert all(0.0 <= policy.backoff(retry, rng.random) <= top for _ in range(200))


@pytest.mark.parametrize(("attempt", "top"), [(1, 5.0), (2, 10.0), (8, 640.0), (9, 900.0), (10, 900.0), (4000, 900.0)])
def test_a_failed_push_waits_between_half_and_all_of_its_ceiling_capped_at_15_minutes(attempt, top):
    assert backoff_delay(attempt, rng=LOW) == timedelta(seconds=top / 2)
    assert backoff_delay(attempt, rng=HIGH) == timedelta(seconds=top)
    rng = random.Random(attempt)
    assert all(top / 2 <= backoff_delay(attempt, rng=rng.random).total_seconds() <= top for _ in range(200))
    assert PUSH_BACKOFF.jitter is Jitter.EQUAL


def test_the_offline_cadence_is_the_fixed_table():
    assert [OFFLINE_BACKOFF.delay(n, LOW) for n in range(1, 9)] == [5.0, 10.0, 20.0, 40.0, 60.0, 60.0, 60.0, 60.0]
    assert [OFFLINE_BACKOFF.delay(n, HIGH) for n in range(1, 6)] == [5.0, 10.0, 20.0, 40.0, 60.0]


@pytest.mark.asyncio
async def test_the_engine_backs_off_along_the_offline_cadence(tmp_path):
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async def no_sleep(_seconds: float) -> None:
        return None

    with Store.open(tmp_path / "posts.sqlite3") as store:
        async with LateClient("sk_offline_test", "http://127.0.0.1:9/api", transport=httpx.MockTransport(unreachable),
                              max_retries=0, sleep=no_sleep) as client:
            engine = SyncEngine(store, client)
            waits = []
            for _ in range(7):
                assert (await engine.run_once()).offline
                waits.append(engine.next_interval())
    assert waits == [5.0, 10.0, 20.0, 40.0, 60.0, 60.0, 60.0]
