"""Kill -9 the server mid-burst, restart it, let LINE redeliver: is every event answered exactly once?

    .venv/bin/python benchmarks/crash_redelivery.py [--events 500] [--kill-at 100,200,350]
                                                   [--concurrency 8] [--database-url postgresql://…]

A fake LINE Messaging API runs in this process (``tests/support.FakeApi``). Reply tokens are single-use,
as on LINE: a second reply with a token gets 400 "Invalid reply token". ``strategy-bot serve`` runs as a
child process against it. The burst is sent by ``--concurrency`` client threads, one event per signed
delivery; when the server has acknowledged the n-th event of ``--kill-at`` it is killed with SIGKILL and
started again (deliveries that failed meanwhile are simply not acknowledged, as LINE would see them).
After the burst every event is redelivered once (``isRedelivery: true``, same id and reply token), as
LINE does for deliveries it is unsure of, and the run waits until the inbox is empty.

Printed: events never answered (no reply accepted: goal 0), events answered twice (two replies accepted
for one event: goal 0), second reply attempts (a reply sent in the instant between LINE accepting it and
the inbox marking it done, when the kill came: LINE refuses the token's second use; every other
redelivery must be skipped), processes of the server left after each kill -9 (goal 0), the start-up
times, and the inbox's outcomes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import support  # noqa: E402  (tests/support.py: the fake platform API base)

from bot.line.signature import sign  # noqa: E402

SECRET = "crash-bench-secret"
TOKEN = "crash-bench-token"
QUESTIONS = ["DMOとは", "待機児童の目標は？", "MICEって何?", "こんにちは", "基本目標1の数値目標"]
MARKER = "STRATEGY_BOT_CRASH_BENCH"


class SingleUseLineApi(support.FakeApi):
    """LINE's reply endpoint with single-use reply tokens; counts requests and acceptances per token."""

    verbs = ("POST",)

    def __init__(self) -> None:
        self.attempts: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        super().__init__()

    def respond(self, rec: support.Recorded) -> tuple[int, Any, dict[str, str]]:
        body = rec.body if isinstance(rec.body, dict) else {}
        token = str(body.get("replyToken", ""))
        with self.lock:
            self.attempts[token] += 1
            if self.accepted[token]:
                return 400, {"message": "Invalid reply token"}, {}
            self.accepted[token] += 1
        return 200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]}, {}

    def _record(self, rec: support.Recorded) -> None:  # keep no request log: counters only
        with self.lock:
            self.lock.notify_all()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_event(i: int, run: str) -> dict[str, Any]:
    eid = f"01CRASH{run}{i:08d}"
    return {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": f"U{i % 40:032x}"},
        "webhookEventId": eid,
        "deliveryContext": {"isRedelivery": False},
        "replyToken": f"rt-{eid}",
        "message": {"id": str(i), "type": "text", "text": QUESTIONS[i % len(QUESTIONS)], "quoteToken": "q"},
    }


def _body(event: dict[str, Any]) -> bytes:
    return json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()


def our_processes(marker: str) -> list[int]:
    """Pids of live processes carrying this run's marker in their environment."""
    found = []
    needle = f"{MARKER}={marker}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in environ.split(b"\0") and state != "Z":
            found.append(int(entry))
    return found


@dataclass
class Server:
    """``strategy-bot serve`` in a child process."""

    env: dict[str, str]
    log: Path
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[bytes] | None = None
    worker: bool = False  # `strategy-bot worker` instead of `serve`

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0, *, healthy: bool = True) -> float:
        """Start and wait until ``/healthz`` says 200 (``healthy=False``: until it answers at all, e.g.
        503 while the database is down)."""
        started = time.monotonic()
        exe = Path(sys.executable).with_name("strategy-bot")
        args = ["worker"] if self.worker else ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        seen = self.log.read_bytes().count(b"worker thread(s) started") if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(exe), *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=str(ROOT),
            )
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log}")
            if self.worker:
                if self.log.read_bytes().count(b"worker thread(s) started") > seen:
                    return time.monotonic() - started
                time.sleep(0.05)
                continue
            try:
                if httpx.get(self.url + "/healthz", timeout=5).status_code == 200 or not healthy:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become healthy")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Result:
    events: int
    acknowledged_first_pass: int
    never_answered: int
    answered_twice: int
    second_attempts: int
    left_after_kill: list[int]
    outcomes: dict[str, int]
    restarts: list[float]


def _inbox_state(db_url: str) -> tuple[int, dict[str, int]]:
    from store import open_store

    s = open_store(db_url)
    try:
        return s.inbox.pending(), s.inbox.outcomes()
    finally:
        s.close()


def run(
    events: int = 500,
    kill_at: tuple[int, ...] = (100, 200, 350),
    concurrency: int = 8,
    database_url: str | None = None,
    workdir: Path | None = None,
    timeout: float = 180.0,
    replicas: int = 1,
    workers: int = 0,
) -> Result:
    """One run; with ``replicas`` > 1 deliveries alternate between servers and every redelivery goes to
    another replica than the first delivery; the kills hit replica 0. With ``workers`` the servers
    only accept (``LINE_WORKER_THREADS=0``) and ``strategy-bot worker`` processes answer."""
    tmp = Path(workdir or tempfile.mkdtemp(prefix="crash-bench-"))
    db_path = tmp / "strategy.db"
    exe = Path(sys.executable).with_name("strategy-bot")
    subprocess.run([str(exe), "load-data", "--db", str(db_path)], check=True, capture_output=True)
    fake = SingleUseLineApi()
    fake._server.handle_error = lambda *a: None  # type: ignore[method-assign]  # resets from kill -9
    marker = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SLACK_", "DATABASE_URL"))}
    env.update(
        {
            "STRATEGY_BOT_DB": str(db_path),
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "LINE_API_BASE_URL": fake.url,
            "USER_HASH_KEY": "crash-bench-key",
            "SCHEDULER_ENABLED": "0",
            MARKER: marker,
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if workers:
        env["LINE_WORKER_THREADS"] = "0"
    servers = [Server(env, tmp / f"server-{n}.log") for n in range(replicas)]
    worker_env = {k: v for k, v in env.items() if k != "LINE_WORKER_THREADS"}
    pool = [Server(worker_env, tmp / f"worker-{n}.log", worker=True) for n in range(workers)]
    restarts = [s.start() for s in servers]
    for w in pool:
        w.start()
    server = servers[0]
    run_id = uuid.uuid4().hex[:6].upper()
    evs = [make_event(i, run_id) for i in range(events)]
    pending_kills = sorted(kill_at)
    acked = 0
    left: list[int] = []
    lock = threading.Lock()
    running = threading.Event()  # cleared while the server is being killed and restarted
    running.set()
    next_index = iter(range(events))

    def restart_if_due() -> None:
        nonlocal acked
        with lock:
            acked += 1
            due = bool(pending_kills) and acked >= pending_kills[0]
            if due:
                pending_kills.pop(0)
                running.clear()
        if due:
            server.kill()
            others = {p.proc.pid for p in [*servers, *pool] if p is not server and p.proc is not None}
            left.extend(pid for pid in our_processes(marker) if pid not in others)
            restarts.append(server.start())
            running.set()

    def sender() -> None:
        with httpx.Client(timeout=10) as client:
            while True:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                running.wait()  # LINE keeps sending once the server is back
                body = _body(evs[i])
                try:
                    r = client.post(
                        servers[i % replicas].url + "/line/webhook",
                        content=body,
                        headers={"X-Line-Signature": sign(body, SECRET), "Content-Type": "application/json"},
                    )
                except httpx.HTTPError:
                    continue  # not acknowledged: LINE would redeliver
                if r.status_code == 200:
                    restart_if_due()

    threads = [threading.Thread(target=sender) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    first_pass = acked
    # LINE redelivers every event once
    with httpx.Client(timeout=10) as client:
        for i, ev in enumerate(evs):
            again = dict(ev, deliveryContext={"isRedelivery": True})
            body = _body(again)
            for _ in range(50):
                try:
                    r = client.post(
                        servers[(i + 1) % replicas].url + "/line/webhook",
                        content=body,
                        headers={"X-Line-Signature": sign(body, SECRET)},
                    )
                    if r.status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
    db_url = database_url or str(db_path)
    deadline = time.monotonic() + timeout
    while True:
        pending, outcomes = _inbox_state(db_url)
        if pending == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for proc in [*servers, *pool]:
        proc.stop()
    tokens = [ev["replyToken"] for ev in evs]
    with fake.lock:
        never = sum(1 for t in tokens if fake.accepted[t] == 0)
        twice = sum(1 for t in tokens if fake.accepted[t] > 1)
        second = sum(1 for t in tokens if fake.attempts[t] > 1)
    fake.close()
    _, outcomes = _inbox_state(db_url)
    if workdir is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return Result(events, first_pass, never, twice, second, left, outcomes, restarts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=500)
    ap.add_argument("--kill-at", default="100,200,350")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--database-url", default=None, help="postgresql://… (default: a SQLite file)")
    ap.add_argument("--replicas", type=int, default=1, help="servers sharing the database")
    ap.add_argument("--workers", type=int, default=0, help="`strategy-bot worker` processes")
    args = ap.parse_args()
    kills = tuple(int(k) for k in args.kill_at.split(",") if k)
    r = run(
        args.events,
        kills,
        args.concurrency,
        args.database_url,
        replicas=args.replicas,
        workers=args.workers,
    )
    where = args.database_url.split("@")[-1] if args.database_url else "SQLite"
    print(f"setup:                           {args.replicas} server(s), {args.workers} worker(s), {where}")
    print(f"events sent:                     {r.events} (kill -9 after {', '.join(map(str, kills))} acks)")
    print(f"acknowledged before redelivery:  {r.acknowledged_first_pass}")
    print(f"never answered:                  {r.never_answered}   (goal 0)")
    print(f"answered twice:                  {r.answered_twice}   (goal 0)")
    print(f"second reply attempts:           {r.second_attempts}   (sent just before a kill, not yet done;")
    print(
        "                                     LINE refuses a reply token's second use, so no user sees two)"
    )
    print(f"processes left after kill -9:    {len(r.left_after_kill)}   (goal 0)")
    print(f"start-up times (s):              {', '.join(f'{t:.1f}' for t in r.restarts)}")
    print(f"inbox outcomes:                  {json.dumps(r.outcomes, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
