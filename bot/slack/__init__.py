"""The Slack channel adapter: the slack-bolt app (``POST /slack/events`` or Socket Mode), staff
commands, and rendering Replies as Block Kit (render, texts)."""
