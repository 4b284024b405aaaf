"""Account pictures: fetched once through the Late client (https to a public host only, never with the API key),
cached on disk under the data directory, shown in the filters and the editor; the letter mark when a picture is
not https, private, unreachable or not an image.

The picture host is an ``httpx.MockTransport`` in the tests that need one to answer (a narrow stand-in for a
public https CDN, which loopback cannot be: ``core.links`` refuses it); the unreachable case uses a real client."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from PySide6.QtGui import QImage

from latecal.core.models import Account
from latecal.late.client import LateClient
from latecal.sandbox.media import _png
from latecal.ui.widgets import avatars
from latecal.ui.widgets.avatars import AvatarStore, letter_avatar
from sandbox_support import KEY

pytestmark = pytest.mark.asyncio
PICTURE = "https://cdn.example.com/pictures/acme.png"


def _cdn(requests: list[httpx.Request], status: int = 200, content_type: str = "image/png"):
    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(status, content=_png(40, 40, (200, 30, 30)), headers={"content-type": content_type})

    return httpx.MockTransport(answer)


def _account(url: str) -> Account:
    return Account("acc-1", "linkedin", "p1", display_name="Acme", avatar_url=url)


async def _fetched(store: AvatarStore) -> None:
    await asyncio.wait_for(asyncio.gather(*store._tasks), 5) if store._tasks else None


async def test_a_picture_is_fetched_once_without_the_key_and_then_read_from_disk(qapp, tmp_path):
    requests: list[httpx.Request] = []
    async with LateClient(KEY, "https://api.example.com", transport=_cdn(requests)) as client:
        store = AvatarStore(tmp_path / "avatars", client.fetch_picture)
        account = _account(PICTURE)
        assert store.image(account) is None  # not at hand yet: the letter mark, and a fetch starts
        assert store.pixmap(account).toImage() == letter_avatar(account).toImage()
        await _fetched(store)
        assert len(requests) == 1 and str(requests[0].url) == PICTURE
        assert "authorization" not in {k.lower() for k in requests[0].headers}  # the key stays with Late's API
        assert store.image(account) is not None
        assert store.pixmap(account).toImage() != letter_avatar(account).toImage()
        store.image(account)
        await _fetched(store)
        assert len(requests) == 1  # once
    (cached,) = list((tmp_path / "avatars").iterdir())
    assert not QImage(str(cached)).isNull()

    offline = AvatarStore(tmp_path / "avatars", fetch=None)  # the next start, before any network
    assert offline.image(account) is not None


@pytest.mark.parametrize("url", ["http://cdn.example.com/acme.png", "https://127.0.0.1/acme.png",
                                 "https://intranet/acme.png", "file:///etc/passwd", ""])
async def test_a_link_that_is_not_https_to_a_public_host_is_never_fetched(qapp, tmp_path, url):
    requests: list[httpx.Request] = []
    async with LateClient(KEY, "https://api.example.com", transport=_cdn(requests)) as client:
        store = AvatarStore(tmp_path / "avatars", client.fetch_picture)
        account = _account(url)
        assert store.pixmap(account).toImage() == letter_avatar(account).toImage()
        await _fetched(store)
        assert requests == [] and not (tmp_path / "avatars").exists()
        with pytest.raises(ValueError):
            await client.fetch_picture(url or "https://")  # the client refuses it too


async def test_an_unreachable_or_wrong_picture_keeps_the_letter_mark(qapp, tmp_path):
    async with LateClient(KEY, "https://api.example.com", timeout=3) as client:  # a real client, no such host
        store = AvatarStore(tmp_path / "avatars", client.fetch_picture)
        account = _account("https://pictures.invalid/acme.png")
        store.image(account)
        await _fetched(store)
        assert store.image(account) is None
        assert store.pixmap(account).toImage() == letter_avatar(account).toImage()
    for status, kind in ((404, "image/png"), (200, "text/html")):
        requests: list[httpx.Request] = []
        async with LateClient(KEY, "https://api.example.com", transport=_cdn(requests, status, kind)) as client:
            store = AvatarStore(tmp_path / f"avatars-{status}", client.fetch_picture)
            store.image(_account(PICTURE))
            await _fetched(store)
            assert len(requests) == 1 and store.image(_account(PICTURE)) is None
            assert not (tmp_path / f"avatars-{status}").exists()


async def test_the_account_filter_and_the_editor_show_the_picture_once_it_arrives(qapp, tmp_path, store):
    from datetime import timedelta

    from latecal.core.models import Post, Target
    from latecal.ui.app.main_window import MainWindow
    from latecal.ui.editor.accounts import account_icon
    from ui_support import BERLIN, NOW

    store.replace_accounts([_account(PICTURE)])
    post = store.save_post(Post(content="Pictured", scheduled_for=NOW + timedelta(hours=2), status="scheduled",
                                targets=[Target("linkedin", "acc-1")]))
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=NOW.date())
    requests: list[httpx.Request] = []
    async with LateClient(KEY, "https://api.example.com", transport=_cdn(requests)) as client:
        window.attach_pictures(client.fetch_picture)  # fetches the accounts' pictures in the background
        await _fetched(window.pictures)
        await asyncio.sleep(0)
        window.toolbar.account_filter.draw_icons()  # as the menu does when it opens
        assert (store.path.parent / "avatars").is_dir()
        icon = window.toolbar.account_filter.actions_by_value["acc-1"].icon().pixmap(20, 20).toImage()
        assert icon.pixelColor(6, 10).red() > 150 and icon.pixelColor(6, 10).green() < 80  # the red picture
        editor_icon = account_icon(store.accounts()[0], "linkedin", "#888888").pixmap(20, 20).toImage()
        assert editor_icon.pixelColor(6, 10).red() > 150
        chip = window.views.month.scene.ensure_item(post.local_id)
        (cached,) = (store.path.parent / "avatars").iterdir()
        assert f'<img src="{cached.as_uri()}"' in chip.toolTip() and "Acme" in chip.toolTip()  # and in its tooltip
    window.close()
    avatars.use(AvatarStore())
