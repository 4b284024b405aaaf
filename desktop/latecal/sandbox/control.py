"""The control API under ``/_sandbox`` (never under ``/v1``, no auth, no faults, no rate limit).

    GET    /_sandbox                  index of these routes
    POST   /_sandbox/reset            {demo?: bool} → as new: data, clock, config, keys, faults, holds, outcomes,
                                      rate limits, stats (demo data if asked, or by default on a --demo sandbox)
    POST   /_sandbox/seed             {profiles?, accounts?, posts?} in Late's JSON shape → the stored objects
    GET    /_sandbox/clock            {now, offsetSeconds}
    POST   /_sandbox/clock/advance    {seconds} → runs the publishing simulation up to the new time
    POST   /_sandbox/tick             run due publishing now → {transitions}
    GET    /_sandbox/config           {latencyMs, failRate, rpmLimit, publishDurationSeconds, syncPublishDelayMs}
    PATCH  /_sandbox/config           any subset of those (+ seed: reseed the RNG)
    GET    /_sandbox/faults           {rules: [...]}
    POST   /_sandbox/faults           one rule (see faults.py) → the rule with its id
    PUT    /_sandbox/faults           {rules: [...]} replaces all
    DELETE /_sandbox/faults[/{id}]    clear all / one
    GET    /_sandbox/outcomes         {accountId: rule}
    POST   /_sandbox/outcomes         {accountId, outcome: fail|publish, errorMessage?, errorCategory?,
                                       errorSource?, count?}
    DELETE /_sandbox/outcomes         clear
    POST   /_sandbox/accounts/{id}/health  {connected?: bool, tokenExpiresAt?: ISO|null} → the account's health
    GET    /_sandbox/stats            {requests, requestsTotal, creates_by_idempotency_key, posts_by_status, ...}
    DELETE /_sandbox/stats            reset the counters
    GET    /_sandbox/holds            {holds: [{id, route, count, held, waiting}]}
    POST   /_sandbox/holds            {route, count?: N|null (default 1)} → the hold; matching requests wait
    POST   /_sandbox/holds/{id}/release   let that hold's requests go on → {released}
    DELETE /_sandbox/holds            release every hold → {released}
    GET    /_sandbox/state            full state dump (debugging)
    POST   /_sandbox/save             write the state file now
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .errors import ApiError, invalid
from .service import Sandbox


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status_code=status, media_type="application/json")


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise invalid("Malformed JSON in request body", code="invalid_json") from None


def control_routes(sb: Sandbox) -> list[Route]:
    def wrap(fn: Any) -> Any:
        async def handler(request: Request) -> Response:
            try:
                result = await fn(request)
            except ApiError as exc:
                return _json(exc.body(), exc.status)
            return result if isinstance(result, Response) else _json(result)

        return handler

    async def index(request: Request) -> Any:
        return {"routes": [f"{sorted(r.methods or [])} {r.path}" for r in routes]}

    async def reset(request: Request) -> Any:
        body = await _body(request)
        demo = body.get("demo") if isinstance(body, dict) else None
        return sb.reset(demo=None if demo is None else bool(demo))

    async def seed(request: Request) -> Any:
        return sb.seed_data(await _body(request))

    async def clock(request: Request) -> Any:
        return sb.clock()

    async def advance(request: Request) -> Any:
        body = await _body(request)
        return sb.advance(body.get("seconds") if isinstance(body, dict) else None)

    async def tick(request: Request) -> Any:
        return {"transitions": sb.tick()}

    async def get_config(request: Request) -> Any:
        return sb.config.to_json()

    async def patch_config(request: Request) -> Any:
        return sb.set_config(await _body(request))

    async def get_faults(request: Request) -> Any:
        return {"rules": sb.faults.list(), "injected": dict(sb.faults.injected)}

    async def add_fault(request: Request) -> Any:
        return sb.faults.add(await _body(request))

    async def put_faults(request: Request) -> Any:
        body = await _body(request)
        return {"rules": sb.faults.replace(body.get("rules") if isinstance(body, dict) else body)}

    async def clear_faults(request: Request) -> Any:
        sb.faults.clear()
        return {"rules": []}

    async def remove_fault(request: Request) -> Any:
        if not sb.faults.remove(request.path_params["fault_id"]):
            raise ApiError(404, "Fault not found")
        return {"rules": sb.faults.list()}

    async def get_outcomes(request: Request) -> Any:
        return sb.outcomes()

    async def add_outcome(request: Request) -> Any:
        return sb.force_outcome(await _body(request))

    async def clear_outcomes(request: Request) -> Any:
        sb.clear_outcomes()
        return {}

    async def account_health(request: Request) -> Any:
        return sb.set_account_health(request.path_params["account_id"], await _body(request))

    async def stats(request: Request) -> Any:
        return sb.stats()

    async def reset_stats(request: Request) -> Any:
        sb.reset_stats()
        return sb.stats()

    async def get_holds(request: Request) -> Any:
        return {"holds": sb.holds.list()}

    async def add_hold(request: Request) -> Any:
        return sb.holds.add(await _body(request))

    async def release_hold(request: Request) -> Any:
        hold_id = request.path_params["hold_id"]
        if hold_id not in {h["id"] for h in sb.holds.list()}:
            raise ApiError(404, "Hold not found")
        return {"released": sb.holds.release(hold_id)}

    async def release_holds(request: Request) -> Any:
        return {"released": sb.holds.release()}

    async def dump(request: Request) -> Any:
        with sb.state.lock:
            data = sb.state.to_json()
        data["media"] = {k: {kk: vv for kk, vv in v.items() if kk != "data"} for k, v in data["media"].items()}
        return data

    async def save(request: Request) -> Any:
        sb.save()
        return {"saved": sb.state_file is not None, "path": str(sb.state_file) if sb.state_file else None}

    routes = [
        Route("/_sandbox", wrap(index), methods=["GET"]),
        Route("/_sandbox/", wrap(index), methods=["GET"]),
        Route("/_sandbox/reset", wrap(reset), methods=["POST"]),
        Route("/_sandbox/seed", wrap(seed), methods=["POST"]),
        Route("/_sandbox/clock", wrap(clock), methods=["GET"]),
        Route("/_sandbox/clock/advance", wrap(advance), methods=["POST"]),
        Route("/_sandbox/tick", wrap(tick), methods=["POST"]),
        Route("/_sandbox/config", wrap(get_config), methods=["GET"]),
        Route("/_sandbox/config", wrap(patch_config), methods=["PATCH"]),
        Route("/_sandbox/faults", wrap(get_faults), methods=["GET"]),
        Route("/_sandbox/faults", wrap(add_fault), methods=["POST"]),
        Route("/_sandbox/faults", wrap(put_faults), methods=["PUT"]),
        Route("/_sandbox/faults", wrap(clear_faults), methods=["DELETE"]),
        Route("/_sandbox/faults/{fault_id}", wrap(remove_fault), methods=["DELETE"]),
        Route("/_sandbox/outcomes", wrap(get_outcomes), methods=["GET"]),
        Route("/_sandbox/outcomes", wrap(add_outcome), methods=["POST"]),
        Route("/_sandbox/outcomes", wrap(clear_outcomes), methods=["DELETE"]),
        Route("/_sandbox/accounts/{account_id}/health", wrap(account_health), methods=["POST"]),
        Route("/_sandbox/stats", wrap(stats), methods=["GET"]),
        Route("/_sandbox/stats", wrap(reset_stats), methods=["DELETE"]),
        Route("/_sandbox/holds", wrap(get_holds), methods=["GET"]),
        Route("/_sandbox/holds", wrap(add_hold), methods=["POST"]),
        Route("/_sandbox/holds", wrap(release_holds), methods=["DELETE"]),
        Route("/_sandbox/holds/{hold_id}/release", wrap(release_hold), methods=["POST"]),
        Route("/_sandbox/state", wrap(dump), methods=["GET"]),
        Route("/_sandbox/save", wrap(save), methods=["POST"]),
    ]
    return routes
