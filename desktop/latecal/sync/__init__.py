"""Qt-free sync engine: pushes the outbox to Late, pulls and reconciles, detects conflicts."""

from latecal.sync.engine import SyncEngine, SyncListener
from latecal.sync.report import SyncReport

__all__ = ["SyncEngine", "SyncListener", "SyncReport"]
