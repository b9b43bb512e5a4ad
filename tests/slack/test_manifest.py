"""slack_manifest.yml installs exactly what the app listens to."""

from __future__ import annotations

from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "slack_manifest.yml"


def test_manifest_matches_the_app():
    m = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    commands = {c["command"] for c in m["features"]["slash_commands"]}
    assert commands == {"/strategy", "/kpi", "/meeting"}
    for c in m["features"]["slash_commands"]:
        assert c["url"].endswith("/slack/events")
        assert len(c["description"]) <= 100
    settings = m["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "usergroups:read"} <= scopes
    info = m["display_information"]
    assert len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert m["features"]["app_home"]["messages_tab_enabled"] is True  # direct messages reach the bot
