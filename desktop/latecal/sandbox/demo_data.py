"""Demo content generated relative to the first start: 2 profiles, 8 accounts (one disconnected) and 80 posts
from four weeks back to six weeks ahead in every status, with a few due 1-3 minutes after start so a newcomer
sees posts publish and fail. A fixed RNG keeps the mix the same on every machine."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from .media import demo_url
from .platforms import pick_failure, published_ids
from .state import SandboxState
from .timeutil import iso, zone

PROFILES = [
    ("Acme Coffee Roasters", "Small-batch roastery and two cafés in Berlin.", "#c2410c", "Europe/Berlin"),
    ("Northwind Outdoor", "Trail gear and guided hikes from Brooklyn.", "#0f766e", "America/New_York"),
]
# (profile index, platform, username, display name, connected)
ACCOUNTS = [
    (0, "twitter", "acmeroasters", "Acme Coffee", True),
    (0, "instagram", "acme.roasters", "Acme Coffee Roasters", True),
    (0, "linkedin", "acme-coffee-roasters", "Acme Coffee Roasters GmbH", True),
    (0, "facebook", "acmecoffeeberlin", "Acme Coffee Berlin", True),
    (1, "tiktok", "northwind.outdoor", "Northwind Outdoor", True),
    (1, "bluesky", "northwind.bsky.social", "Northwind Outdoor", True),
    (1, "threads", "northwind.outdoor", "Northwind Outdoor", False),
    (1, "youtube", "NorthwindOutdoorTV", "Northwind Outdoor TV", True),
]
COPY = [
    [
        "New single origin just landed: Ethiopia Guji, washed. Blueberry, jasmine, brown sugar. ☕",
        "Latte art Friday! Tag us in your best pour and we'll feature our favourites.",
        "Our Kreuzberg café opens an hour earlier from Monday: 7:00 sharp.",
        "Behind the roaster: how we profile a new bean in three test batches.",
        "Cold brew season is back. 18 hours, no shortcuts.",
        "Meet Lena, our head roaster, and her five rules for a better filter coffee at home.",
        "Subscription tip: pause or skip any month from your account page.",
        "We're hiring baristas for our Mitte café. Latte art skills a plus, a smile required.",
        "Decaf that doesn't taste like decaf: Swiss Water processed Colombia, now in stock.",
        "Cupping session this Saturday at 11. Free, but bring your curiosity (and a spoon).",
        "Why we publish the farm-gate price we pay for every lot.",
        "Holiday blend pre-orders open today. Spiced, chocolatey, ships in recyclable bags.",
    ],
    [
        "Trail report: Breakneck Ridge is dry and glorious this week. Start early, parking fills by 8.",
        "Gear check: the three layers we pack for every shoulder-season hike.",
        "Guided sunrise hike on Bear Mountain this Sunday. Six spots left!",
        "How to pick trail runners that won't wreck your knees. A thread of hard-won lessons.",
        "Leave no trace, version 2: pack out the orange peels too.",
        "New video: 48 hours in the Catskills with just a 30L pack.",
        "Members get 15% off rain shells through Friday.",
        "Ask a guide: how much water do you really need for a 10-mile day?",
        "Our repair bench fixed 212 zippers last month. Bring yours in before you replace it.",
        "First snow on the High Peaks. Microspikes season officially starts now.",
        "Shot on the trail: golden hour over the Hudson from Anthony's Nose.",
        "Beginner backpacking clinic, Tuesday 7pm at the Brooklyn shop. Free entry.",
    ],
]
IMAGES = ["latte-art", "roastery", "beans", "cafe-morning", "cupping", "cold-brew", "trail-ridge", "campfire",
          "summit", "gear-flatlay", "river-bend", "forest-path"]
VIDEOS = ["trail-timelapse", "pack-check", "roast-profile", "summit-sunrise"]


def _media(rng: random.Random, kind: str, stem: str) -> dict[str, Any]:
    if kind == "video":
        name = f"{rng.choice(VIDEOS)}-{stem}.mp4"
        return {"type": "video", "url": demo_url(name), "mimeType": "video/mp4", "filename": name}
    name = f"{rng.choice(IMAGES)}-{stem}.png"
    return {"type": "image", "url": demo_url(name), "mimeType": "image/png", "filename": name}


def populate(state: SandboxState) -> None:
    rng = random.Random(20261101)
    now = state.now()
    with state.lock:
        state.demo = True
        profile_ids = []
        for i, (name, desc, color, tz) in enumerate(PROFILES):
            pid = state.new_id()
            state.profiles[pid] = {
                "_id": pid, "userId": state.user_id, "name": name, "description": desc, "color": color,
                "timezone": tz, "externalId": None, "isDefault": i == 0, "createdAt": iso(now - timedelta(days=90)),
            }
            profile_ids.append(pid)
        by_profile: dict[int, list[dict[str, Any]]] = {0: [], 1: []}
        for pi, platform, user, display, connected in ACCOUNTS:
            aid = state.new_id()
            acc = {
                "_id": aid, "platform": platform, "profileId": profile_ids[pi], "username": user,
                "displayName": display, "platformUserId": str(rng.randrange(10**11, 10**12)),
                "profilePicture": demo_url(f"avatar-{platform}.png"), "isActive": connected,
                "needsReconnection": not connected, "enabled": True, "createdAt": iso(now - timedelta(days=80)),
            }
            state.accounts[aid] = acc
            by_profile[pi].append(acc)
        specs = _schedule_specs(rng, now)
        for n, (when, status) in enumerate(specs):
            pi = n % 2
            _add_post(state, rng, now, n, pi, by_profile[pi], when, status)
        _add_split_post(state, now, by_profile[0])
        state.touch()


def _add_split_post(state: SandboxState, now: datetime, accounts: list[dict[str, Any]]) -> None:
    """One post that goes out at two times (``platforms[].scheduledFor``): tomorrow 10:00 on the first account,
    13:30 on the second (no random draw: the other posts stay as they were)."""
    connected = [a for a in accounts if a["isActive"] and a["platform"] not in ("instagram", "youtube", "tiktok")]
    if len(connected) < 2:
        return
    when = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    text = "Launch week: the announcement goes out first, the longer story follows after lunch."
    pid = state.new_id()
    state.posts[pid] = {
        "_id": pid, "userId": state.user_id, "title": _title(text), "content": text, "mediaItems": [],
        "platforms": [{"platform": connected[0]["platform"], "accountId": connected[0]["_id"], "status": "pending"},
                      {"platform": connected[1]["platform"], "accountId": connected[1]["_id"], "status": "pending",
                       "scheduledFor": iso(when + timedelta(hours=3, minutes=30))}],
        "scheduledFor": iso(when), "timezone": "UTC", "status": "scheduled", "tags": ["launch"], "hashtags": [],
        "mentions": [], "visibility": "public", "metadata": {"demo": True}, "crosspostingEnabled": True,
        "createdAt": iso(now - timedelta(days=1)), "updatedAt": iso(now - timedelta(days=1)),
    }


def _schedule_specs(rng: random.Random, now: datetime) -> list[tuple[datetime, str]]:
    specs: list[tuple[datetime, str]] = []
    # Soon-due posts: published and failing ones within the first three minutes. Few of them, so the day
    # and week views show them side by side legibly.
    for seconds in (60, 120, 180):
        specs.append((now + timedelta(seconds=seconds), "scheduled-soon"))
    specs.append((now - timedelta(seconds=20), "publishing"))
    while len(specs) < 80:
        day = rng.randint(-28, 42)
        hour = rng.choice((8, 9, 10, 12, 14, 16, 18))
        when = (now + timedelta(days=day)).replace(hour=hour, minute=rng.choice((0, 15, 30, 45)), second=0,
                                                   microsecond=0)
        if abs((when - now).total_seconds()) < 900:
            continue
        if when < now:
            status = rng.choices(("published", "failed", "partial", "cancelled", "draft"), (70, 10, 10, 5, 5))[0]
        else:
            status = rng.choices(("scheduled", "draft", "pending_approval"), (72, 24, 4))[0]
        specs.append((when, status))
    return specs


def _title(text: str, limit: int = 60) -> str:
    """The first sentence as a title, shortened at a word with "…" (never cut mid-word)."""
    first = text.split(".")[0].strip()
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _add_post(state: SandboxState, rng: random.Random, now: datetime, n: int, pi: int,
              accounts: list[dict[str, Any]], when: datetime, status: str) -> None:
    connected = [a for a in accounts if a["isActive"]]
    disconnected = [a for a in accounts if not a["isActive"]]
    k = 2 if status in ("partial", "scheduled-soon") else rng.choice((1, 1, 2, 3))
    chosen = rng.sample(connected, min(k, len(connected)))
    if status == "scheduled-soon" and n % 2 == 1 and disconnected:
        chosen = [disconnected[0], *chosen[:1]]  # this one will partly fail: its Threads account is disconnected
    text = rng.choice(COPY[pi])
    stem = f"{n:02d}"
    needs_video = any(a["platform"] in ("youtube", "tiktok") for a in chosen)
    needs_media = needs_video or any(a["platform"] == "instagram" for a in chosen)
    media = []
    if needs_media or rng.random() < 0.3:
        media = [_media(rng, "video" if needs_video else "image", stem)]
    tz = state.profiles[accounts[0]["profileId"]]["timezone"]
    created = min(now, when) - timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 600))
    post: dict[str, Any] = {
        "_id": state.new_id(), "userId": state.user_id,
        "title": _title(text), "content": text, "mediaItems": media,
        "platforms": [{"platform": a["platform"], "accountId": a["_id"], "status": "pending"} for a in chosen],
        "scheduledFor": iso(when), "timezone": tz if zone(tz) else "UTC", "status": "scheduled",
        "tags": rng.sample(["launch", "community", "product", "events", "tips", "hiring"], 2),
        "hashtags": [], "mentions": [], "visibility": "public", "metadata": {"demo": True},
        "crosspostingEnabled": True, "createdAt": iso(created), "updatedAt": iso(created),
    }
    if status == "scheduled-soon":
        post["status"] = "scheduled"
    elif status == "publishing":
        post["status"] = "publishing"
        for t in post["platforms"]:
            t["status"] = "processing"
        post["updatedAt"] = iso(when)
        post["__sim"] = {"doneAt": iso(now + timedelta(seconds=rng.randint(30, 75))), "sync": False}
    elif status in ("draft", "pending_approval"):
        post["status"] = status
        if status == "draft" and rng.random() < 0.3:
            post["scheduledFor"] = None
    elif status in ("published", "failed", "partial", "cancelled"):
        _settle(post, state, rng, when, status)
    state.posts[post["_id"]] = post


def _settle(post: dict[str, Any], state: SandboxState, rng: random.Random, when: datetime, status: str) -> None:
    stamp = iso(when + timedelta(seconds=rng.randint(3, 40)))
    for i, t in enumerate(post["platforms"]):
        ok = status in ("published", "cancelled") or (status == "partial" and i == 0)
        if ok:
            acc = state.accounts[t["accountId"]]
            t["platformPostId"], t["platformPostUrl"] = published_ids(t["platform"], acc, rng)
            t["publishedAt"] = stamp
            t["status"] = "cancelled" if status == "cancelled" else "published"
        else:
            message, category, source, code = pick_failure(t["platform"], rng)
            t.update(status="failed", errorMessage=message, errorCategory=category, errorSource=source)
            if code is not None and t["platform"] in ("instagram", "facebook"):
                t["platformError"] = {"code": code, "message": message}
        t["publishAttempts"] = 1
    post["status"] = status
    if status in ("published", "partial"):
        post["publishedAt"] = stamp
    post["updatedAt"] = stamp if when < datetime.now(UTC) + timedelta(days=1) else post["updatedAt"]
