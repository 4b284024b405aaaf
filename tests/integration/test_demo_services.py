"""Demo mode's embedded sandbox comes back on the port it had, so last session's media links still load."""

from __future__ import annotations

import asyncio
import socket

import httpx

from latecal.services import start_demo
from latecal.store import Store


async def _demo_url(store: Store, state_file) -> str:
    services = await start_demo(store, state_file)
    try:
        url = services.sandbox.base_url
        async with httpx.AsyncClient() as http:  # it serves
            assert (await http.get(f"{url}/v1/accounts", headers={"Authorization": "Bearer x"})).status_code == 401
        return url
    finally:
        await services.aclose()


def test_the_demo_sandbox_reuses_its_port_and_moves_when_it_is_taken(tmp_path):
    state = tmp_path / "demo" / "sandbox-state.json"
    state.parent.mkdir()
    with Store.open(tmp_path / "demo" / "posts.sqlite3") as store:
        first = asyncio.run(_demo_url(store, state))
        assert asyncio.run(_demo_url(store, state)) == first
        port = int(first.rsplit(":", 1)[1].split("/")[0])
        with socket.socket() as squatter:  # another program has that port now
            squatter.bind(("127.0.0.1", port))
            squatter.listen(1)
            moved = asyncio.run(_demo_url(store, state))
        assert moved != first
        assert (tmp_path / "demo" / "sandbox.port").read_text() == moved.rsplit(":", 1)[1].split("/")[0]
