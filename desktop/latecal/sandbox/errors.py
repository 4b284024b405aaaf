"""Late's error body ``{error, type?, code?, param?, details?}`` as an exception the routes turn into JSON."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        *,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.type = type
        self.code = code
        self.param = param
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.error}
        for key in ("type", "code", "param", "details"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def invalid(error: str, *, code: str = "invalid_field_value", param: str | None = None) -> ApiError:
    return ApiError(400, error, type="invalid_request_error", code=code, param=param)


def not_found(what: str = "Post") -> ApiError:
    # Late's 404s usually carry only {error}.
    return ApiError(404, f"{what} not found")
