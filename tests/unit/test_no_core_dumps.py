"""The app opts out of core dumps before it reads the API key: a core file would hold the key."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

#: run in a child whose core limit was raised first, so (0, 0) afterwards is the app's doing
_CHILD = """
import ctypes, json, resource, sys
before = resource.getrlimit(resource.RLIMIT_CORE)
{call}
libc = ctypes.CDLL(None)
print(json.dumps({{"before": before, "after": resource.getrlimit(resource.RLIMIT_CORE),
                  "dumpable": libc.prctl(3, 0, 0, 0, 0)}}))  # 3: PR_GET_DUMPABLE
"""


def _raise_core_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def _child(call: str) -> dict:
    run = subprocess.run([sys.executable, "-c", _CHILD.format(call=call)], capture_output=True, text=True,
                         timeout=60, preexec_fn=_raise_core_limit)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_forbidding_core_dumps_sets_the_limit_to_zero_and_the_process_undumpable():
    state = _child("from latecal.no_core_dumps import forbid_core_dumps; forbid_core_dumps()")
    assert state["before"][0] != 0, "the child started with core dumps allowed"
    assert state["after"] == [0, 0]
    assert state["dumpable"] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_entry_point_forbids_core_dumps_before_it_parses_its_arguments():
    """``latecal --version`` (the console script's ``main()``, reading ``sys.argv``) ends inside argument
    parsing: core dumps are already off by then."""
    call = ("from latecal.__main__ import main\n"
            "sys.argv = ['latecal', '--version']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    state = _child(call)
    assert state["before"][0] != 0
    assert state["after"] == [0, 0]
    assert state["dumpable"] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_child_left_alone_keeps_core_dumps():
    """The control: without the call, the same child is dumpable (the tests above could not pass by default)."""
    state = _child("pass")
    assert state["after"] == state["before"] != [0, 0]
    assert state["dumpable"] == 1
