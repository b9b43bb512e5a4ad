"""Robustness of the real server against hostile and malformed input (hardening issue, points 1-3).

    .venv/bin/python benchmarks/robustness.py [--mb 300]

Starts ``strategy-bot serve`` in a child process over a fresh database, with its LINE and Slack clients
pointed at fake LINE and Slack APIs in this process (tests/support.py), and prints, per point, how
many inputs were tried and how many were handled wrongly:

1. a huge chunked body (``--mb``, 300 MB by default) with a garbage signature, to ``/slack/events``
   and ``/line/webhook``: the status, when it came, and the server's peak memory (VmHWM) before and
   after. Wanted: 413 as soon as the limit is passed, and memory flat.
2. signed but malformed Slack bodies: each body's status. Wanted: 400 for malformed, 200 for a
   well-formed event the bot does not handle; never a 5xx.
3. texts with a lone surrogate (``\\ud800``) on LINE and Slack: whether each got an answer.
5. a signed slash command replayed (the same request posted again, as a retry or a replay would): how
   many answers went to its response_url. Wanted: one per command.

(Points 4, 6 and 7 of the issue — confirm previews, the durable LINE inbox, orphans — have their own
tests, and point 6 its own benchmark, ``benchmarks/crash_redelivery.py``; they are not repeated here.)

Exits 1 if anything was handled wrongly. Loopback only; every step bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support import FakeApi, Recorded  # noqa: E402  (the tests' fake platform base)

LINE_SECRET = "robust-line-secret"
SLACK_SECRET = "robust-slack-secret"
LIMIT_BYTES = 256 * 1024  # the server's default MAX_BODY_BYTES
CHUNK = 64 * 1024


class FakeLine(FakeApi):
    def respond(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        return 200, {"sentMessages": [{"id": "1"}]}, {"x-line-request-id": "r"}


class FakeSlack(FakeApi):
    def respond(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        if rec.path == "/api/auth.test":
            return 200, {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}, {}
        return 200, {"ok": True, "ts": "1.000001", "channel": "C1"}, {}


# --- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, line: FakeLine, slack: FakeSlack) -> tuple[subprocess.Popen[bytes], int]:
    exe = Path(sys.executable).with_name("strategy-bot")
    db = tmp / "strategy.db"
    subprocess.run([str(exe), "load-data", "--quiet", "--db", str(db)], check=True)
    port = free_port()
    env = dict(
        os.environ,
        STRATEGY_BOT_ENV_FILE="",
        USER_HASH_KEY="robust",
        LINE_CHANNEL_SECRET=LINE_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN="robust-token",
        LINE_API_BASE_URL=line.url,
        SLACK_BOT_TOKEN="xoxb-robust",
        SLACK_SIGNING_SECRET=SLACK_SECRET,
        SLACK_API_URL=f"{slack.url}/api/",
        SCHEDULER_ENABLED="false",
    )
    log = open(tmp / "server.log", "wb")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--db", str(db)], env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/healthz", b"", {})
            if status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start; see {tmp / 'server.log'}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


# --- HTTP by hand (a chunked body must be streamed, and the answer may come before it ends) ---------


def request(
    port: int, method: str, path: str, body: bytes, headers: dict[str, str], timeout: float = 30
) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def chunked_flood(port: int, path: str, total: int, headers: dict[str, str]) -> tuple[int | None, int]:
    """Stream ``total`` bytes as a chunked body until the server answers; (status, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Transfer-Encoding: chunked"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    chunk = b"%x\r\n" % CHUNK + b"x" * CHUNK + b"\r\n"
    sent = 0
    answer = b""
    try:
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(chunk)
            sent += CHUNK
        else:
            sock.sendall(b"0\r\n\r\n")
        sock.settimeout(60)
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    except OSError:  # the server closed the connection: read what it said
        with contextlib.suppress(OSError):
            answer += sock.recv(4096)
    finally:
        sock.close()
    try:
        return int(answer.split(b" ", 2)[1]), sent
    except (IndexError, ValueError):
        return None, sent


def slack_headers(body: bytes, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    sig = (
        "v0="
        + hmac.new(SLACK_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }


def line_headers(body: bytes) -> dict[str, str]:
    import base64

    sig = base64.b64encode(hmac.new(LINE_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return {"Content-Type": "application/json", "X-Line-Signature": sig}


# --- the points ------------------------------------------------------------------------------------


def point1(proc: subprocess.Popen[bytes], port: int, megabytes: int) -> tuple[int, int]:
    print(f"\n1. {megabytes} MB chunked body, garbage signature")
    tried = failed = 0
    garbage = {
        "/slack/events": {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
        "/line/webhook": {"X-Line-Signature": "AAAA"},
    }
    for path, headers in garbage.items():
        before = memory_kb(proc.pid)
        started = time.monotonic()
        status, sent = chunked_flood(port, path, megabytes * 1024 * 1024, headers)
        seconds = time.monotonic() - started
        after = memory_kb(proc.pid)
        grew_mb = (after["VmHWM"] - before["VmHWM"]) / 1024
        ok = status == 413 and sent < 64 * LIMIT_BYTES and grew_mb < 20
        tried += 1
        failed += not ok
        print(
            f"   {path:14} status {status}, after {sent / 1024 / 1024:.1f} MB sent in {seconds:.2f} s;"
            f" peak RSS {before['VmHWM'] / 1024:.0f} MB -> {after['VmHWM'] / 1024:.0f} MB"
            f" (+{grew_mb:.1f} MB)  {'ok' if ok else 'WRONG'}"
        )
    return tried, failed


def malformed_slack_bodies() -> list[tuple[str, bytes, str, int]]:
    """(label, body, content type, wanted status)."""
    j, f = "application/json", "application/x-www-form-urlencoded"

    def event(**fields: Any) -> bytes:
        ev = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1.1", "text": "hi", **fields}
        return json.dumps({"type": "event_callback", "event_id": f"Ev{time.time_ns()}", "event": ev}).encode()

    deep = b'{"type":"event_callback","event":' + b'{"a":' * 5000 + b"1" + b"}" * 5001
    return [
        ("JSON null", b"null", j, 400),
        ("JSON []", b"[]", j, 400),
        ("JSON 123", b"123", j, 400),
        ('{"type":"event_callback","event":null}', b'{"type":"event_callback","event":null}', j, 400),
        ("form payload=null", urlencode({"payload": "null"}).encode(), f, 400),
        ("form payload=[]", urlencode({"payload": "[]"}).encode(), f, 400),
        ("event.type 1", event(type=1), j, 400),
        ("event.user 1", event(user=1), j, 400),
        ("event.channel true", event(channel=True), j, 400),
        ("nesting 5,000 deep", deep, j, 400),
        ("not UTF-8", b'{"type":"\xff"}', j, 400),
        ("unknown envelope type", b'{"type":"something_new"}', j, 200),
        ("unknown event type", event(type="something_new"), j, 200),
    ]


def point2(port: int) -> tuple[int, int]:
    print("\n2. signed but malformed Slack bodies -> status")
    tried = failed = 0
    for label, body, content_type, wanted in malformed_slack_bodies():
        status, _ = request(port, "POST", "/slack/events", body, slack_headers(body, content_type))
        tried += 1
        failed += status != wanted
        print(f"   {label:42} {status}  (want {wanted})  {'ok' if status == wanted else 'WRONG'}")
    return tried, failed


def point3(port: int, line: FakeLine, slack: FakeSlack) -> tuple[int, int]:
    print("\n3. texts with a lone surrogate -> answered")
    texts = ["\ud800", "待機児童\ud800の目標は？", "\udfff\ud800", "DMOとは\ud83d"]
    tried = failed = 0
    for i, text in enumerate(texts):
        token = f"rt-surrogate-{i}"
        event = {
            "type": "message",
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": "U" + "0" * 32},
            "webhookEventId": f"01ROBUST{time.time_ns()}",
            "replyToken": token,
            "message": {"id": str(i), "type": "text", "text": text, "quoteToken": "q"},
        }
        body = json.dumps({"destination": "Ubot", "events": [event]}).encode()  # ASCII: \ud800 escapes
        status, _ = request(port, "POST", "/line/webhook", body, line_headers(body))
        ok = status == 200 and _arrived(line, lambda r, t=token: (r.body or {}).get("replyToken") == t)
        tried += 1
        failed += not ok
        print(f"   LINE  {text!r:32} webhook {status}, reply {'received' if ok else 'MISSING'}")
    for i, text in enumerate(texts):
        channel = f"D{i:08d}"
        event = {"type": "message", "channel_type": "im", "user": "U1", "channel": channel, "ts": f"{i}.1"}
        event["text"] = text
        body = json.dumps({"type": "event_callback", "event_id": f"EvS{time.time_ns()}", "event": event})
        raw = body.encode()
        status, _ = request(port, "POST", "/slack/events", raw, slack_headers(raw, "application/json"))
        ok = status == 200 and _arrived(
            slack, lambda r, c=channel: r.path == "/api/chat.postMessage" and r.body.get("channel") == c
        )
        tried += 1
        failed += not ok
        print(f"   Slack {text!r:32} events {status}, answer {'received' if ok else 'MISSING'}")
    return tried, failed


def point5(port: int, slack: FakeSlack, commands: int = 5) -> tuple[int, int]:
    print("\n5. signed slash commands, each posted 3 times (replays) -> answers at the response_url")
    tried = failed = 0
    for i in range(commands):
        path = f"/response/replay-{i}-{time.time_ns()}"
        fields = {
            "command": "/strategy",
            "text": "DMOとは",
            "user_id": "U1",
            "team_id": "T1",
            "channel_id": "C1",
            "response_url": f"{slack.url}{path}",
            "trigger_id": f"trigger.{i}",
        }
        body = urlencode(fields).encode()
        headers = slack_headers(body, "application/x-www-form-urlencoded")
        statuses = [request(port, "POST", "/slack/events", body, headers)[0] for _ in range(3)]
        _arrived(slack, lambda r, p=path: r.path == p)
        time.sleep(1.0)  # a benchmark, not a test: give a wrong second answer time to show up
        answers = len(slack.matching(lambda r, p=path: r.path == p))
        tried += 1
        failed += answers != 1
        verdict = "ok" if answers == 1 else "WRONG"
        print(f"   command {i + 1}: statuses {statuses}, answers {answers}  {verdict}")
    return tried, failed


def _arrived(fake: FakeApi, predicate: Any, timeout: float = 15.0) -> bool:
    try:
        fake.wait_until(predicate, 1, timeout, lambda: "")
    except AssertionError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300, help="size of the chunked body of point 1")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="robustness-"))
    line, slack = FakeLine(), FakeSlack()
    proc, port = start_server(tmp, line, slack)
    results: dict[str, tuple[int, int]] = {}
    try:
        results["1 huge body"] = point1(proc, port, args.mb)
        results["2 malformed Slack"] = point2(port)
        results["3 lone surrogates"] = point3(port, line, slack)
        results["5 replayed commands"] = point5(port, slack)
    finally:
        stop_server(proc)
        line.close()
        slack.close()
    print("\npoint                 tried  failed")
    for name, (tried, failed) in results.items():
        print(f"{name:20} {tried:6} {failed:7}")
    total_failed = sum(f for _, f in results.values())
    print(f"{'all':20} {sum(t for t, _ in results.values()):6} {total_failed:7}")
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if total_failed else 0)


if __name__ == "__main__":
    main()
