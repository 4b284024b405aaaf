"""Real filesystems in trouble for the store's tests: a small tmpfs of the test's own, made read-only or filled.

Mounting needs root (CI runs as root, ``.ci/run``); root also ignores file permissions, so a chmod would prove
nothing: a read-only mount (EROFS) and a full one (ENOSPC) are the only honest stand-ins. A machine that cannot
mount fails these tests with the reason instead of skipping them.
"""

from __future__ import annotations

import contextlib
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_filesystem(path: Path, *, size_kb: int = 2048) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` mounted at ``path`` (created) for the duration of the block."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "latecal-test", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.fail(f"these tests mount a small tmpfs (as root, like CI): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=True)


def make_read_only(mount: Path) -> None:
    """Remount ``mount`` read-only: every write in it fails with EROFS, for root too."""
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    with pytest.raises(OSError) as refused:
        (mount / "probe").write_bytes(b"")
    assert refused.value.errno == errno.EROFS


def fill(mount: Path) -> None:
    """Take every free byte of ``mount``: the next write that needs a block fails with ENOSPC."""
    with (mount / "filler").open("wb", buffering=0) as f, contextlib.suppress(OSError):
        while True:  # until the disk is full: the probe below proves it is
            f.write(b"\0" * 65536)
    with pytest.raises(OSError) as full, (mount / "probe").open("wb", buffering=0) as f:
        f.write(b"x" * 4096)
    assert full.value.errno == errno.ENOSPC
