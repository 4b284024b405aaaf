"""Qt-free async client for the Late (Zernio) API and the mapping between its JSON and the domain objects."""

from __future__ import annotations

from latecal.late.client import ClientStats, LateClient
from latecal.late.errors import (
    InvalidPathId,
    LateAuthError,
    LateConflict,
    LateConnectionError,
    LateDuplicatePost,
    LateError,
    LateForbidden,
    LateHTTPError,
    LateIdempotencyConflict,
    LateNetworkError,
    LateNotFound,
    LatePaymentRequired,
    LateRateLimited,
    LateServerError,
    LateTimeout,
    LateValidationError,
    MalformedResponse,
    UploadCancelled,
    WireError,
)
from latecal.late.results import (
    BadPost,
    BulkUploadResult,
    CreateOutcome,
    CreateResult,
    DeleteResult,
    PlatformResult,
    PostPage,
    PresignedUpload,
    QueueSlot,
    RetryResult,
    UpdateResult,
    UploadedMedia,
)
from latecal.late.retry import RetryPolicy
from latecal.late.urls import LEGACY_BASE_URL, PRODUCTION_BASE_URL

__all__ = [
    "LEGACY_BASE_URL", "PRODUCTION_BASE_URL", "BadPost", "BulkUploadResult", "ClientStats", "CreateOutcome",
    "CreateResult", "DeleteResult", "InvalidPathId", "LateAuthError", "LateClient", "LateConflict",
    "LateConnectionError", "LateDuplicatePost", "LateError", "LateForbidden", "LateHTTPError",
    "LateIdempotencyConflict", "LateNetworkError", "LateNotFound", "LatePaymentRequired", "LateRateLimited",
    "LateServerError", "LateTimeout", "LateValidationError", "MalformedResponse", "PlatformResult", "PostPage",
    "PresignedUpload", "QueueSlot", "RetryPolicy", "RetryResult", "UpdateResult", "UploadCancelled", "UploadedMedia",
    "WireError",
]
