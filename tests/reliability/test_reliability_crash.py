"""Crash: the driver is SIGKILLed at random points and restarted; Late ends exactly as the script intends."""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from latecal.sandbox.runner import SandboxServer
from reliability.harness import scale
from reliability.supervisor import run_round

ROUNDS = scale(6, 50)
EDITS = 200

pytestmark = [pytest.mark.reliability_full, pytest.mark.slow]


@pytest.fixture(scope="module")
def crash_server():
    with SandboxServer(seed=5) as server:
        yield server


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_killed_and_resumed_script_reaches_the_intended_state(crash_server, tmp_path, round_no):
    seed = 20261122 + round_no
    result = run_round(crash_server, seed, EDITS, tmp_path, max_kills=4, rng=random.Random(seed))
    assert result.kills >= 1
    assert result.ok, asdict(result)
