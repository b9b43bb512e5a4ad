"""Load test of POST /line/webhook beside a bare Starlette POST endpoint, in the same run.

    .venv/bin/python benchmarks/webhook_load.py [--requests 3000] [--duration 10] [--concurrency 16]
    .venv/bin/python benchmarks/webhook_load.py --profile     # where the server's time goes (pyinstrument)
    .venv/bin/python benchmarks/webhook_load.py --servers 2 --workers 2 [--database-url postgresql://…]

With ``--workers N`` the web servers only accept (``LINE_WORKER_THREADS=0``) and N ``strategy-bot
worker`` processes answer the inbox; with ``--servers N`` the client spreads its connections over N web
server processes sharing the database (the SQLite file, or PostgreSQL with ``--database-url``). Printed
beside the rates: each process's peak memory (VmHWM) and how long each web server took from spawn to
its port accepting connections.

Each server runs in its own process under uvicorn on 127.0.0.1 (same uvicorn settings for both). The
client (this process) keeps 16 keep-alive connections busy with pre-built, signed text-message
webhooks, each with its own webhookEventId, and measures per-request latency. The bot's replies go to a
cheap local sink (an asyncio HTTP server in this process) standing in for the LINE API; the run counts
as complete when every webhook has been answered at the sink, so "answered/s" is the rate at which the
server really keeps up, not only how fast it says 200.

Goal: webhook throughput at least 25 % of the bare endpoint's, no error responses, p99 under 100 ms,
and every webhook answered at the sink in the end. "answered/s" (webhooks over the time until the last
reply reached the sink) is printed beside it: the rate the server sustains when answers, not only
acknowledgements, are counted. Loopback only; bounded in request count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
WARM_UP = 1000  # requests per endpoint before measuring (threads started, caches filled)
_ANSWER_MS = re.compile(r"LINE answer for .* in ([0-9.]+) ms")
QUESTIONS = [
    "待機児童の目標は？",
    "DMOとは",
    "創業支援の取り組みを教えて",
    "次回の検証委員会はいつ？",
    "KPI一覧",
    "遅れているKPIは？",
    "観光客の数はどれくらい？",
    "基本目標1の数値目標",
    "こんにちは",
    "今日の天気は？",
]


# --- servers (run in child processes) ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_bare(port: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(status_code=200)

    app = Starlette(routes=[Route("/bare", endpoint, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_webhook(
    port: int, db_path: str, sink_url: str, log_path: str, profile: bool, threads: int = 8, url: str = ""
) -> None:
    import logging

    import uvicorn

    from bot.config import Settings
    from bot.web.app import create_app

    logging.basicConfig(
        filename=log_path, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.model_validate(
        {
            "db_path": db_path,
            "line_channel_secret": SECRET,
            "line_channel_access_token": TOKEN,
            "line_api_base_url": sink_url,
            "user_hash_key": "bench",
            "scheduler_enabled": False,
            "line_worker_threads": threads,
            **({"database_url": url} if url else {}),
        }
    )
    app = create_app(settings)
    if profile:
        _install_profilers(app)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


class _Profiles:
    """Per-call pyinstrument sessions of chosen functions, combined per label. pyinstrument samples
    wall time in the thread that started it, so profiling each call (rather than whole threads) leaves
    out the time threads spend waiting for work."""

    def __init__(self) -> None:
        import threading

        self.sessions: dict[str, list[Any]] = {}
        self.lock = threading.Lock()

    def wrap(self, owner: object, name: str, label: str) -> None:
        import functools

        from pyinstrument import Profiler

        original = getattr(owner, name)

        @functools.wraps(original)
        def profiled(*args: object, **kwargs: object) -> object:
            p = Profiler(interval=0.0002, async_mode="disabled")
            p.start()
            try:
                return original(*args, **kwargs)
            finally:
                session = p.stop()
                with self.lock:
                    self.sessions.setdefault(label, []).append(session)

        setattr(owner, name, profiled)

    def report(self, title: str) -> None:
        import functools

        from pyinstrument.renderers import ConsoleRenderer
        from pyinstrument.session import Session

        flat = ConsoleRenderer(unicode=True, flat=True, flat_time="self", time="percent_of_total")
        totals = {label: sum(x.duration for x in group) for label, group in self.sessions.items()}
        grand = sum(totals.values()) or 1.0
        out = [f"\n===== {title}: where the time goes (wall time inside each call) ====="]
        for label, total in sorted(totals.items(), key=lambda kv: -kv[1]):
            n = len(self.sessions[label])
            out.append(f"{label:42} {total / grand:5.0%}  {total / n * 1000:6.2f} ms per call ({n} calls)")
        for label, group in self.sessions.items():
            combined = functools.reduce(Session.combine, group)
            out.append(f"----- {label}: self time -----")
            out += [line for line in flat.render(combined).splitlines() if "%" in line][:16]
        print("\n".join(out), file=sys.stderr, flush=True)


def _install_profilers(app: object) -> None:
    """Profile the server: the event-loop thread (request path, the inbox write) and the inbox worker
    threads (claim, text hooks, the answer pipeline, the calls to the LINE SDK)."""
    import atexit

    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    from bot.line import handling
    from store.inbox import Inbox

    profiles = _Profiles()
    profiles.wrap(Inbox, "accept", "inbox accept + dedupe (request path)")
    profiles.wrap(Inbox, "claim", "inbox claim (worker)")
    profiles.wrap(Inbox, "finish", "inbox done (worker)")
    profiles.wrap(handling.LineEventHandler, "respond", "parse event, text hooks")
    profiles.wrap(handling, "answer_messages", "answer pipeline + rendering")
    profiles.wrap(handling, "send_reply", "reply: LINE SDK call to the sink")
    loop_profiler = Profiler(interval=0.0005, async_mode="disabled")
    loop_profiler.start()

    def report() -> None:
        session = loop_profiler.stop()
        tree = ConsoleRenderer(unicode=True, short_mode=True, time="percent_of_total")
        print("\n===== web server: event-loop thread (request path) =====", file=sys.stderr)
        print(tree.render(session), file=sys.stderr)
        profiles.report("web server: inbox and worker threads")

    atexit.register(report)


# --- client and sink (this process) --------------------------------------------------------------


def build_requests(path: str, port: int, count: int, *, signed: bool, first: int = 0) -> list[bytes]:
    from bot.line.webhook import sign

    out = []
    now = int(time.time() * 1000)
    for i in range(first, first + count):
        event = {
            "type": "message",
            "mode": "active",
            "timestamp": now,
            "source": {"type": "user", "userId": f"Ubench{i % 500:027d}"},
            "webhookEventId": f"01BENCH{os.getpid()}{i:012d}",
            "deliveryContext": {"isRedelivery": False},
            "replyToken": f"rt{i:030d}",
            "message": {
                "id": str(i),
                "type": "text",
                "text": QUESTIONS[i % len(QUESTIONS)],
                "quoteToken": "q",
            },
        }
        body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
        headers = [
            f"POST {path} HTTP/1.1",
            f"Host: 127.0.0.1:{port}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        if signed:
            headers.append(f"X-Line-Signature: {sign(body, SECRET)}")
        out.append(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
    return out


@dataclass
class RunResult:
    name: str
    sent: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    answered_at: float | None = None  # seconds from start until the sink had every reply

    @property
    def rate(self) -> float:
        return self.sent / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))] * 1000


def _merge(name: str, rounds: list[RunResult]) -> RunResult:
    """One result over several rounds: all requests over the time spent sending them."""
    out = RunResult(name)
    for r in rounds:
        out.sent += r.sent
        out.errors += r.errors
        out.latencies += r.latencies
        out.elapsed += r.elapsed
    return out


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def run_load(
    name: str, port: int, requests: list[bytes], concurrency: int, duration: float
) -> RunResult:
    result = RunResult(name)
    it: Iterator[bytes] = iter(requests)
    start = time.perf_counter()
    stop_at = start + duration

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for req in it:
                t0 = time.perf_counter()
                writer.write(req)
                try:
                    status = await _read_response(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    result.errors += 1
                    return
                result.latencies.append(time.perf_counter() - t0)
                result.sent += 1
                if status != 200:
                    result.errors += 1
                if t0 > stop_at:
                    return
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - start
    return result


async def run_spread(
    name: str, ports: list[int], requests: list[list[bytes]], concurrency: int, duration: float
) -> RunResult:
    """``run_load`` against several servers at once (connections split evenly); one merged result."""
    parts = await asyncio.gather(
        *(
            run_load(name, port, reqs, max(1, concurrency // len(ports)), duration)
            for port, reqs in zip(ports, requests, strict=True)
        )
    )
    out = RunResult(name)
    for r in parts:
        out.sent += r.sent
        out.errors += r.errors
        out.latencies += r.latencies
        out.elapsed = max(out.elapsed, r.elapsed)
    return out


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sink:
    """The cheapest LINE API stand-in: counts replies, answers 200 with one sent-message id."""

    BODY = b'{"sentMessages":[{"id":"1","quoteToken":"q"}]}'
    RESPONSE = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-line-request-id: r\r\n"
        b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
    )

    def __init__(self) -> None:
        self.count = 0
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await _read_request(reader)
                self.count += 1
                writer.write(self.RESPONSE)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def wait_for(self, count: int, timeout: float) -> float | None:
        start = time.perf_counter()
        while self.count < count:
            if time.perf_counter() - start > timeout:
                return None
            await asyncio.sleep(0.005)
        return time.perf_counter()


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            await reader.readexactly(int(line[15:]))


async def _wait_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _stat_cpu(path: Path) -> float:
    fields = path.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_split(pid: int) -> dict[str, float]:
    """CPU seconds of the server: its main thread (uvicorn's event loop), its other threads, and its
    child processes (none: the inbox workers are threads) — Linux /proc."""
    out = {"event loop": 0.0, "server threads": 0.0, "child processes": 0.0}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            key = "event loop" if task.name == str(pid) else "server threads"
            out[key] += _stat_cpu(task / "stat")
        except OSError:
            continue
    for child in _children(pid):
        try:
            out["child processes"] += _stat_cpu(Path(f"/proc/{child}/stat"))
        except OSError:
            continue
    return out


def _spawn(args: list[str], stderr: int | None = None) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, __file__, *args], env=env, stderr=stderr)


def _stop(proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def main_async(args: argparse.Namespace) -> int:
    from strategy_data.database import build, connect
    from strategy_data.loader import load

    tmp = Path(tempfile.mkdtemp(prefix="webhook-bench-"))
    try:
        db_path = tmp / "strategy.db"
        db = connect(db_path)
        build(db, load())
        db.close()
        sink = Sink()
        await sink.start()
        sink_url = f"http://127.0.0.1:{sink.port}"

        bare_port = _free_port()
        hook_ports = [_free_port() for _ in range(args.servers)]
        bare = _spawn(["--role", "bare", "--port", str(bare_port)])
        spawned = time.perf_counter()
        threads_in_server = "0" if args.workers else "8"
        hooks = [
            _spawn(
                [
                    "--role", "webhook", "--port", str(port), "--db", str(db_path), "--sink", sink_url,
                    "--log", str(tmp / f"server-{n}.log"), "--threads", threads_in_server,
                    *(["--database-url", args.database_url] if args.database_url else []),
                    *(["--profile"] if args.profile else []),
                ]
            )
            for n, port in enumerate(hook_ports)
        ]  # fmt: skip
        worker_env = dict(
            os.environ,
            STRATEGY_BOT_DB=str(db_path),
            LINE_CHANNEL_SECRET=SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
            LINE_API_BASE_URL=sink_url,
            USER_HASH_KEY="bench",
            SCHEDULER_ENABLED="0",
            **({"DATABASE_URL": args.database_url} if args.database_url else {}),
        )
        exe = Path(sys.executable).with_name("strategy-bot")
        workers = [
            subprocess.Popen(
                [str(exe), "worker"],
                env=worker_env,
                stderr=(tmp / f"worker-{n}.log").open("wb"),
                stdout=subprocess.DEVNULL,
            )
            for n in range(args.workers)
        ]
        startup: list[float] = []
        try:
            await _wait_port(bare_port)
            for port in hook_ports:
                await _wait_port(port)
                startup.append(time.perf_counter() - spawned)
            warm_bare = build_requests("/bare", bare_port, WARM_UP, signed=False)
            await run_load("warm-up", bare_port, warm_bare, args.concurrency, 10)

            def hook_requests(count: int, first: int) -> list[list[bytes]]:
                share = max(1, count // len(hook_ports))
                return [
                    build_requests("/line/webhook", port, share, signed=True, first=first + n * share)
                    for n, port in enumerate(hook_ports)
                ]

            warm = hook_requests(WARM_UP, 0)
            await run_spread("warm-up", hook_ports, warm, args.concurrency, 20)
            await sink.wait_for(sum(map(len, warm)), 120)
            sink.count = 0
            # Alternate short bursts, bare then webhook, and let the webhook's answers drain before the
            # next bare burst: both see the same machine, even if other work on it comes and goes.
            per_round = max(1, args.requests // args.rounds)
            bare_rounds: list[RunResult] = []
            hook_rounds: list[RunResult] = []
            first = WARM_UP
            pids = [p.pid for p in [*hooks, *workers]]
            cpu0 = [_cpu_split(pid) for pid in pids]
            answering = 0.0
            for _ in range(args.rounds):
                reqs = build_requests("/bare", bare_port, per_round, signed=False)
                bare_rounds.append(
                    await run_load("bare POST", bare_port, reqs, args.concurrency, args.duration)
                )
                spread = hook_requests(per_round, first)
                first += per_round
                planned = sum(map(len, spread))
                expected = sink.count + planned
                start = time.perf_counter()
                result = await run_spread("LINE webhook", hook_ports, spread, args.concurrency, args.duration)
                expected -= planned - result.sent
                done = await sink.wait_for(expected, 120)
                result.answered_at = (done - start) if done else None
                answering += result.answered_at or float("nan")
                hook_rounds.append(result)
            threads: dict[str, float] = {}
            for pid, before in zip(pids, cpu0, strict=True):
                for k, v in _cpu_split(pid).items():
                    threads[k] = threads.get(k, 0.0) + v - before.get(k, 0.0)
            memory = {"bare": _peak_rss_mb(bare.pid)}
            memory |= {f"server {n}": _peak_rss_mb(p.pid) for n, p in enumerate(hooks)}
            memory |= {f"worker {n}": _peak_rss_mb(p.pid) for n, p in enumerate(workers)}
            server_cpu = sum(threads.values())
            replies = sink.count
        finally:
            _stop(bare)
            for proc in [*hooks, *workers]:
                _stop(proc, timeout=300 if args.profile else 30)  # profiles take a while to print
        log_lines = [
            line
            for n in range(args.servers)
            for line in (tmp / f"server-{n}.log").read_text(encoding="utf-8").splitlines()
        ]
        problems = [line for line in log_lines if " WARNING " in line or " ERROR " in line]
        answer_ms = sorted(float(m.group(1)) for line in log_lines if (m := _ANSWER_MS.search(line)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    bare_result, hook_result = _merge("bare POST", bare_rounds), _merge("LINE webhook", hook_rounds)
    ratios = sorted(h.rate / b.rate for b, h in zip(bare_rounds, hook_rounds, strict=True) if b.rate)
    ratio = ratios[len(ratios) // 2] if ratios else 0.0
    sent = hook_result.sent
    answered_rate = sent / answering if answering == answering and answering > 0 else 0.0  # nan-safe
    where = "PostgreSQL" if args.database_url else "SQLite"
    answered_by = f"{args.workers} worker process(es)" if args.workers else "the servers' threads"
    print(
        f"\n{args.concurrency} connections, loopback, uvicorn (h11, asyncio), {args.servers} webhook "
        f"server process(es), answered by {answered_by}, {where}; {args.rounds} alternating rounds"
    )
    header = ("endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms")
    print("{:14} {:>8} {:>6} {:>8} {:>7} {:>7}".format(*header))
    for r in (bare_result, hook_result):
        p50, p99 = r.pct(0.5), r.pct(0.99)
        print(f"{r.name:14} {r.sent:8d} {r.errors:6d} {r.rate:8.0f} {p50:7.1f} {p99:7.1f}")
    print(
        f"webhook / bare per round: {', '.join(f'{x:.0%}' for x in ratios)}; median {ratio:.0%} (goal >= 25%)"
    )
    print(
        f"answering capacity: {answered_rate:.0f} webhooks/s answered at the sink "
        f"({answered_rate / bare_result.rate if bare_result.rate else 0:.0%} of bare); "
        f"replies received: {replies} of {sent}"
    )
    if sent:
        print(
            f"webhook server CPU: {server_cpu / sent * 1000:.2f} ms per webhook ("
            + ", ".join(f"{name} {sec / sent * 1000:.2f} ms" for name, sec in threads.items())
            + ")"
        )
    if answer_ms:
        mid, p99 = (
            answer_ms[len(answer_ms) // 2],
            answer_ms[min(len(answer_ms) - 1, int(0.99 * len(answer_ms)))],
        )
        print(f"answer + render inside the server: median {mid:.1f} ms, p99 {p99:.1f} ms")
    print("peak memory (VmHWM): " + ", ".join(f"{k} {v:.0f} MB" for k, v in memory.items()))
    print("web server start-up (spawn → port open): " + ", ".join(f"{t:.2f} s" for t in startup))
    print(f"server log: {len(log_lines)} lines, {len(problems)} warnings/errors")
    for line in problems[:5]:
        print(f"  {line[:200]}")
    ok = (
        ratio >= 0.25
        and hook_result.errors == 0
        and bare_result.errors == 0
        and hook_result.pct(0.99) < 100
        and replies == sent
    )
    print("goal met" if ok else "goal NOT met")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=6000, help="requests per endpoint (bound)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating bare/webhook bursts")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint (bound)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of the server")
    parser.add_argument("--servers", type=int, default=1, help="webhook server processes")
    parser.add_argument("--workers", type=int, default=0, help="strategy-bot worker processes")
    parser.add_argument("--database-url", default="", help="postgresql://… (default: the SQLite file)")
    parser.add_argument("--threads", default="8", help=argparse.SUPPRESS)
    parser.add_argument(
        "--role", choices=["client", "bare", "webhook"], default="client", help=argparse.SUPPRESS
    )
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--sink", help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "bare":
        serve_bare(args.port)
    elif args.role == "webhook":
        serve_webhook(
            args.port, args.db, args.sink, args.log, args.profile, int(args.threads), args.database_url
        )
    else:
        sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
