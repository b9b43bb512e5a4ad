"""POST /api/ask keeps one conversation per browser session, in the store: a follow-up is answered
with the session's topic, also by a server started afresh on the same files; the server deletes
expired conversations."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from support import ServerThread

from bot.config import Settings
from bot.web.app import create_app

CLARIFY = "どの項目についてのご質問でしょうか"


def ask(client: httpx.Client, text: str, session: str) -> dict[str, Any]:
    response = client.post("/api/ask", json={"text": text, "session": session})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_session_keeps_its_topic_and_another_session_does_not_share_it(shared_server) -> None:
    with httpx.Client(base_url=shared_server.url, timeout=60) as client:
        first = ask(client, "出生数はどうなってる？", "session-births-0001")
        assert first["kind"] == "kpi" and first["kpis"][0]["id"] == "births"
        follow = ask(client, "その目標は？", "session-births-0001")
        assert follow["answered"] and follow["kpis"][0]["id"] == "births" and "7,000" in follow["text"]
        other = ask(client, "その目標は？", "session-somebody-else")
        assert other["kind"] == "clarify" and other["answered"] is False and CLARIFY in other["text"]
        assert other["suggestions"]


def _settings(db_path: Path) -> Settings:
    return Settings.from_env(
        {"STRATEGY_BOT_DB": str(db_path), "SCHEDULER_ENABLED": "0", "USER_HASH_KEY": "web-test-key"}
    )


def test_a_restarted_server_goes_on_with_the_conversation(built_db_path: Path) -> None:
    settings = _settings(built_db_path)
    with ServerThread(create_app(settings)) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        assert ask(c, "出生数はどうなってる？", "session-restart-01")["kpis"][0]["id"] == "births"
    # a new process would build everything again: a new app, context, store and Answerer
    with ServerThread(create_app(settings)) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        follow = ask(c, "その目標は？", "session-restart-01")
        assert follow["answered"] and follow["kpis"][0]["id"] == "births" and "7,000" in follow["text"]
        assert ask(c, "その目標は？", "session-restart-02")["kind"] == "clarify"


def test_the_server_deletes_expired_conversations(built_db_path: Path) -> None:
    """Expired topics are invisible anyway; the server's sweeper also deletes them from the table."""
    from store import open_store
    from store.conversations import conversation_key

    live, stale = conversation_key("web", "u_live"), conversation_key("web", "u_gone")
    store = open_store(built_db_path)
    try:
        store.conversations.put(live, {"record": "births"}, ttl=3600)
        store.conversations.put(stale, {"record": "births"}, ttl=60, now=time.time() - 120)

        def keys() -> set[str]:
            with store.backend.transaction() as tx:
                return {r["key"] for r in tx.execute("SELECT key FROM conversations")}

        assert {live, stale} <= keys()
        with ServerThread(create_app(_settings(built_db_path))):
            deadline = time.monotonic() + 60
            while stale in keys():  # swept at start-up, in the sweeper's thread
                assert time.monotonic() < deadline, "the expired conversation was not deleted"
                time.sleep(0.02)
        assert live in keys()
    finally:
        store.close()
