"""Runtime knobs of a sandbox (not persisted: they come from the runner/CLI and the control API)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import invalid

# rpm_limit None means "no practical limit": headers still count down from this nominal value.
UNLIMITED_RPM = 100_000


@dataclass
class SandboxConfig:
    latency_ms: int = 0
    fail_rate: float = 0.0
    rpm_limit: int | None = None
    publish_duration_s: float = 2.0
    sync_publish_delay_ms: int = 0

    @property
    def effective_rpm(self) -> int:
        return self.rpm_limit or UNLIMITED_RPM

    def to_json(self) -> dict[str, Any]:
        return {
            "latencyMs": self.latency_ms,
            "failRate": self.fail_rate,
            "rpmLimit": self.rpm_limit,
            "publishDurationSeconds": self.publish_duration_s,
            "syncPublishDelayMs": self.sync_publish_delay_ms,
        }

    def update(self, data: dict[str, Any]) -> None:
        """Apply a control-API patch (camelCase keys) after checking every value."""
        names = {"latencyMs": "latency_ms", "failRate": "fail_rate", "rpmLimit": "rpm_limit",
                 "publishDurationSeconds": "publish_duration_s", "syncPublishDelayMs": "sync_publish_delay_ms"}
        unknown = set(data) - set(names) - {"seed"}
        if unknown:
            raise invalid(f"Unknown config keys: {', '.join(sorted(unknown))}")
        patch = {}
        for key, attr in names.items():
            if key not in data:
                continue
            value = data[key]
            if key == "rpmLimit" and value is None:
                patch[attr] = None
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise invalid(f"{key} must be a non-negative number", param=key)
            if key == "failRate" and value > 1:
                raise invalid("failRate must be between 0 and 1", param=key)
            if key == "rpmLimit" and value < 1:
                raise invalid("rpmLimit must be at least 1", param=key)
            patch[attr] = int(value) if key in ("latencyMs", "rpmLimit", "syncPublishDelayMs") else float(value)
        for attr, value in patch.items():
            setattr(self, attr, value)

    def copy(self) -> SandboxConfig:
        return SandboxConfig(**{f.name: getattr(self, f.name) for f in fields(self)})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
