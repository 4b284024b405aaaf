"""Where the app keeps its files: demo data never mixes with real data; --data-dir moves everything."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from latecal.paths import resolve


def test_data_dir_option_holds_store_and_logs(tmp_path):
    real = resolve(tmp_path, demo=False)
    demo = resolve(tmp_path, demo=True)
    assert real.store_file == tmp_path / "posts.sqlite3"
    assert demo.store_file == tmp_path / "demo" / "posts.sqlite3"
    assert demo.sandbox_state_file.parent == demo.data_dir
    assert real.log_file.parent == demo.log_file.parent == tmp_path / "logs"


def test_platform_directories_by_default(monkeypatch, tmp_path):
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app, appauthor=None: str(tmp_path / "data" / app))
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda app, appauthor=None: str(tmp_path / "log" / app))
    real = resolve(None, demo=False)
    demo = resolve(None, demo=True)
    assert real.store_file == tmp_path / "data" / "latecal" / "posts.sqlite3"
    assert demo.data_dir == real.data_dir / "demo"
    assert real.log_file == Path(tmp_path / "log" / "latecal" / "latecal.log")
