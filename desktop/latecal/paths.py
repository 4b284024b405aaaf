"""Where Late Calendar keeps its files. Demo mode gets its own tree so demo posts never mix with real ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "latecal"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    log_dir: Path

    @property
    def store_file(self) -> Path:
        return self.data_dir / "posts.sqlite3"

    @property
    def sandbox_state_file(self) -> Path:
        return self.data_dir / "sandbox-state.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "latecal.log"


def resolve(data_dir: Path | None, *, demo: bool) -> AppPaths:
    """`--data-dir` puts data and logs under DIR; otherwise the platform's user data and log directories."""
    if data_dir is not None:
        base = data_dir.expanduser().resolve()
        return AppPaths(data_dir=base / "demo" if demo else base, log_dir=base / "logs")
    import platformdirs  # only here: ~3 ms of start-up that `--data-dir` does not need

    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    return AppPaths(data_dir=data / "demo" if demo else data, log_dir=logs)
