"""The queue endpoints (late-api.md §5): GET/POST/PUT/DELETE /v1/queue/slots, GET /v1/queue/preview and
GET /v1/queue/next-slot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from . import queue
from .errors import ApiError, invalid
from .timeutil import iso


class QueueApi:
    def __init__(self, state, read_json: Callable[[Request], Any]) -> None:
        self.state = state
        self._read_json = read_json

    def _profile(self, profile_id: Any) -> dict[str, Any]:
        if not profile_id or not isinstance(profile_id, str):
            raise invalid("profileId is required", code="missing_required_field", param="profileId")
        prof = self.state.profiles.get(profile_id)
        if prof is None:
            raise ApiError(404, "Profile not found")
        return prof

    def _queue(self, prof: dict[str, Any], queue_id: Any) -> dict[str, Any]:
        found = queue.find_queue(self.state, prof, queue_id)
        if found is None:
            raise ApiError(404, "Queue not found")
        return found

    def _next(self, prof: dict[str, Any], q: dict[str, Any], count: int = 10) -> list[str]:
        return [iso(s) for s in queue.upcoming(self.state, prof, self.state.now(), count, queue=q)]

    async def get_slots(self, request: Request) -> Any:
        params = request.query_params
        with self.state.lock:
            prof = self._profile(params.get("profileId"))
            if params.get("all") == "true":
                queues = [queue.render(q) for q in queue.queues_of(self.state, prof)]
                return 200, {"queues": queues, "count": len(queues)}, {}
            found = queue.find_queue(self.state, prof, params.get("queueId"))
            if found is None:
                if params.get("queueId"):
                    raise ApiError(404, "Queue not found")
                return 200, {"exists": False, "nextSlots": []}, {}
            return 200, {"exists": True, "schedule": queue.render(found), "nextSlots": self._next(prof, found)}, {}

    async def create_queue(self, request: Request) -> Any:
        body = await self._read_json(request)
        with self.state.lock:
            prof = self._profile(body.get("profileId"))
            name = body.get("name")
            if not isinstance(name, str) or not name.strip():
                raise invalid("name is required", code="missing_required_field", param="name")
            queues = queue.queues_of(self.state, prof)
            now = self.state.now_iso()
            made = {"_id": self.state.new_id(), "profileId": prof["_id"], "name": name.strip(),
                    "timezone": queue.checked_zone(body.get("timezone")),
                    "slots": queue.checked_slots(body.get("slots")),
                    "active": body.get("active", True) is not False, "isDefault": not queues,
                    "createdAt": now, "updatedAt": now}
            self.state.queues[prof["_id"]] = [*queues, made]
            self.state.touch()
            return 201, {"success": True, "schedule": queue.render(made), "nextSlots": self._next(prof, made)}, {}

    async def update_queue(self, request: Request) -> Any:
        body = await self._read_json(request)
        with self.state.lock:
            prof = self._profile(body.get("profileId"))
            zone_name = queue.checked_zone(body.get("timezone"))
            slots = queue.checked_slots(body.get("slots"))
            queues = queue.queues_of(self.state, prof)
            target = queue.find_queue(self.state, prof, body.get("queueId"))
            if target is None and body.get("queueId"):
                raise ApiError(404, "Queue not found")
            now = self.state.now_iso()
            is_new = target is None
            if is_new:
                target = {"_id": self.state.new_id(), "profileId": prof["_id"], "name": queue.QUEUE_NAME,
                          "isDefault": True, "createdAt": now}
                queues = [*queues, target]
            target.update(timezone=zone_name, slots=slots, updatedAt=now)
            if isinstance(body.get("name"), str) and body["name"].strip():
                target["name"] = body["name"].strip()
            if "active" in body:
                target["active"] = body["active"] is not False
            target.setdefault("active", True)
            if body.get("setAsDefault"):
                for q in queues:
                    q["isDefault"] = q is target
            self.state.queues[prof["_id"]] = queues
            moved = queue.reshuffle(self.state, prof, target) if body.get("reshuffleExisting") is True else 0
            self.state.touch()
            return 200, {"success": True, "schedule": queue.render(target), "nextSlots": self._next(prof, target),
                         "reshuffledCount": moved, "skippedDailyLimit": 0, "isNewQueue": is_new}, {}

    async def delete_queue(self, request: Request) -> Any:
        params = request.query_params
        with self.state.lock:
            prof = self._profile(params.get("profileId"))
            queues = queue.queues_of(self.state, prof)
            queue_id = params.get("queueId")
            if queue_id:  # without queueId every queue of the profile goes (§5)
                gone = self._queue(prof, queue_id)
                queues = [q for q in queues if q is not gone]
                if gone.get("isDefault") and queues:
                    queues[0]["isDefault"] = True  # another queue is promoted
            deleted = len(self.state.queues[prof["_id"]]) - (len(queues) if queue_id else 0)
            self.state.queues[prof["_id"]] = queues if queue_id else []
            self.state.touch()
            return 200, {"success": True, "deleted": True, "deletedCount": deleted}, {}

    async def preview(self, request: Request) -> Any:
        params = request.query_params
        try:
            count = int(params.get("count", "20"))
        except ValueError:
            raise invalid("count must be a number", param="count") from None
        if not 1 <= count <= queue.MAX_PREVIEW:
            raise invalid(f"count must be 1 to {queue.MAX_PREVIEW}", param="count")
        with self.state.lock:
            prof = self._profile(params.get("profileId"))
            q = self._queue(prof, params.get("queueId"))
            slots = self._next(prof, q, count)
            return 200, {"profileId": prof["_id"], "queueId": q["_id"], "queueName": q["name"], "count": len(slots),
                         "slots": slots}, {}

    async def next_slot(self, request: Request) -> Any:
        params = request.query_params
        with self.state.lock:
            prof = self._profile(params.get("profileId"))
            q = self._queue(prof, params.get("queueId"))
            slots = self._next(prof, q, 1)
            return 200, {"profileId": prof["_id"], "nextSlot": slots[0] if slots else None,
                         "timezone": q.get("timezone") or "UTC", "queueId": q["_id"], "queueName": q["name"]}, {}

    def routes(self, endpoint: Callable[[Any], Any]) -> list[Route]:
        e = endpoint
        return [
            Route("/api/v1/queue/next-slot", e(self.next_slot), methods=["GET"]),
            Route("/api/v1/queue/preview", e(self.preview), methods=["GET"]),
            Route("/api/v1/queue/slots", e(self.get_slots), methods=["GET"]),
            Route("/api/v1/queue/slots", e(self.create_queue), methods=["POST"]),
            Route("/api/v1/queue/slots", e(self.update_queue), methods=["PUT"]),
            Route("/api/v1/queue/slots", e(self.delete_queue), methods=["DELETE"]),
        ]
