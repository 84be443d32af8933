"""Hot ticket drop benchmark: many concurrent authenticated buyers, one ticket type.

Run from the repo root:  make bench   (or: cd backend && uv run python ../bench/hot_drop.py)

It creates a scratch database on the local PostgreSQL, migrates it, seeds one published event with
one ticket type (``--seats``, default 2000) and ``--buyers`` verified customers with access
tokens, starts the real app (uvicorn, ``--workers`` processes, default 1) on a loopback port, and fires bookings from
``--concurrency`` connections until the seats are gone plus ``--extra`` more requests (sold-out
rejections). Then it measures the raw-asyncpg ceiling of the same SQL in the same run: the best
rate over several session counts (a hot row's throughput collapses when many sessions queue on it).

Prints one JSON object. Loopback only, bounded in time, cleans up after itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
sys.path.insert(0, str(BACKEND))

PG_SERVER = os.environ.get("BOXOFFICE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BOXOFFICE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_SERVER)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def migrate(db_url: str) -> None:
    env = {**os.environ, "BOXOFFICE_DATABASE_URL": db_url}
    subprocess.run(
        [sys.executable, "-m", "boxoffice.cli", "migrate"], cwd=BACKEND, env=env, check=True, capture_output=True
    )


async def add_ticket_type(db_url: str, event_id: str, capacity: int, sold: int = 0) -> str:
    conn = await asyncpg.connect(db_url)
    try:
        tt = uuid.uuid4()
        await conn.execute(
            "INSERT INTO ticket_types (id, event_id, name, description, price_minor, currency, capacity, sold, held, "
            "min_per_order, max_per_order, sort_order, hidden, pricing_rules) VALUES ($1, $2, $3, '', 4500, 'EUR', "
            "$4, $5, 0, 1, 10, 1, false, '[]')",
            tt,
            uuid.UUID(event_id),
            f"T{capacity}",
            capacity,
            sold,
        )
        return str(tt)
    finally:
        await conn.close()


async def seed(db_url: str, seats: int, buyers: int, secret: str) -> tuple[str, str, list[str]]:
    from boxoffice.auth.tokens import issue_access_token

    conn = await asyncpg.connect(db_url)
    try:
        organizer = uuid.uuid4()
        await conn.execute(
            "INSERT INTO users (id, email, full_name, role, is_active, email_verified_at) "
            "VALUES ($1, 'bench-org@example.com', 'Bench Organizer', 'organizer', true, now())",
            organizer,
        )
        event, tt = uuid.uuid4(), uuid.uuid4()
        starts = datetime.now(UTC) + timedelta(days=30)
        await conn.execute(
            "INSERT INTO events (id, organizer_id, title, slug, summary, description_md, category, tags, starts_at, "
            "ends_at, timezone, status, visibility, currency, version) VALUES ($1, $2, 'Hot drop', 'hot-drop', '', '', "
            "'music', '{}', $3, $4, 'UTC', 'published', 'public', 'EUR', 1)",
            event,
            organizer,
            starts,
            starts + timedelta(hours=3),
        )
        await conn.execute(
            "INSERT INTO ticket_types (id, event_id, name, description, price_minor, currency, capacity, sold, held, "
            "min_per_order, max_per_order, sort_order, hidden, pricing_rules) VALUES ($1, $2, 'GA', '', 4500, 'EUR', "
            "$3, 0, 0, 1, 10, 0, false, '[]')",
            tt,
            event,
            seats,
        )
        tokens = []
        users = [(uuid.uuid4(), uuid.uuid4()) for _ in range(buyers)]
        await conn.executemany(
            "INSERT INTO users (id, email, full_name, role, is_active, email_verified_at) "
            "VALUES ($1, $2, 'Buyer', 'customer', true, now())",
            [(u, f"buyer-{i}@example.com") for i, (u, _) in enumerate(users)],
        )
        await conn.executemany(
            "INSERT INTO auth_sessions (id, user_id, device_label, user_agent, login_method, expires_at) "
            "VALUES ($1, $2, 'bench', 'bench', 'password', now() + interval '1 day')",
            [(s, u) for u, s in users],
        )
        for user_id, session_id in users:
            token, _ = issue_access_token(
                user_id=user_id, session_id=session_id, role="customer", secret=secret, ttl_seconds=3600
            )
            tokens.append(token)
        return str(event), str(tt), tokens
    finally:
        await conn.close()


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its direct children (uvicorn --workers), from
    Linux /proc, to express cost per request."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine (all cores, everything but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(f"{base}/health/ready") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the app did not become ready")


async def drive(
    base: str, event_id: str, tt_id: str, tokens: list[str], seats: int, concurrency: int, extra: int, time_limit: float
) -> dict[str, Any]:
    body = json.dumps({"event_id": event_id, "items": [{"ticket_type_id": tt_id, "quantity": 1}]})
    ok_latency: list[float] = []
    sold_out_latency: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    total_requests = seats + extra
    first_sold_out: float | None = None
    deadline = time.monotonic() + time_limit
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker(index: int) -> None:
            nonlocal issued, first_sold_out
            while issued < total_requests and time.monotonic() < deadline:
                issued += 1
                token = tokens[(index + issued) % len(tokens)]
                started = time.perf_counter()
                async with http.post(
                    f"{base}/api/bookings",
                    data=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                ) as response:
                    payload = await response.read()
                    elapsed = time.perf_counter() - started
                    if response.status == 201:
                        ok_latency.append(elapsed)
                    elif response.status == 409 and b'"sold_out"' in payload:
                        sold_out_latency.append(elapsed)
                        if first_sold_out is None:
                            first_sold_out = time.monotonic()
                    else:
                        key = f"{response.status}"
                        errors[key] = errors.get(key, 0) + 1

        started_at = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        finished_at = time.monotonic()
    selling_seconds = ((first_sold_out or finished_at) - started_at) or 1e-9
    sold_out_seconds = (finished_at - first_sold_out) if first_sold_out else 0.0
    return {
        "bookings": len(ok_latency),
        "bookings_per_second": round(len(ok_latency) / selling_seconds, 1),
        "latency_ms": {
            "p50": round(percentile(ok_latency, 0.5) * 1000, 1),
            "p99": round(percentile(ok_latency, 0.99) * 1000, 1),
            "mean": round(statistics.fmean(ok_latency) * 1000, 1) if ok_latency else 0,
        },
        "sold_out_rejections": len(sold_out_latency),
        "sold_out_rejections_per_second": round(len(sold_out_latency) / sold_out_seconds, 1)
        if sold_out_seconds
        else None,
        "sold_out_latency_ms": {
            "p50": round(percentile(sold_out_latency, 0.5) * 1000, 1),
            "p99": round(percentile(sold_out_latency, 0.99) * 1000, 1),
        },
        "other_responses": errors,
    }


WRK_SCRIPT = r"""
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  created, soldout, other, n = 0, 0, 0, 0
  tokens = {}
  for line in io.lines(args[1]) do table.insert(tokens, line) end
  body = args[2]
end
function request()
  n = n + 1
  local token = tokens[((n * 7 + id) % #tokens) + 1]
  return wrk.format("POST", "/api/bookings",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then soldout = soldout + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local c, s, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); s = s + t:get("soldout"); o = o + t:get("other")
  end
  io.write(string.format('WRK {"created": %d, "sold_out": %d, "other": %d, "duration_s": %.3f, '
    .. '"p50_ms": %.2f, "p99_ms": %.2f, "mean_ms": %.2f, "errors": %d}\n',
    c, s, o, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def run_wrk(base: str, tokens_file: Path, body: str, concurrency: int, seconds: int) -> dict[str, Any]:
    script = tokens_file.with_suffix(".lua")
    script.write_text(WRK_SCRIPT)
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(concurrency),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
            "--",
            str(tokens_file),
            body,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    result: dict[str, Any] = json.loads(line[4:])
    return result


async def raw_ceiling(db_url: str, event_id: str, concurrency: int, seconds: float) -> dict[str, Any]:
    """The app's SQL for one booking (the session check, the event-and-offers read, the atomic
    placement function; the very statements, imported from the app) on raw asyncpg, one booking at
    a time per session, no HTTP, no ORM: the ceiling this hardware allows for that SQL."""
    from boxoffice.auth.dependencies import _PRINCIPAL
    from boxoffice.bookings.inventory import _PLACE
    from boxoffice.bookings.service import _SALE_READ

    conn = await asyncpg.connect(db_url)
    tt = uuid.uuid4()
    await conn.execute(
        "INSERT INTO ticket_types (id, event_id, name, description, price_minor, currency, capacity, sold, held, "
        "min_per_order, max_per_order, sort_order, hidden, pricing_rules) VALUES ($1, $2, 'RAW', '', 4500, 'EUR', "
        "1000000, 0, 0, 1, 10, 1, false, '[]')",
        tt,
        uuid.UUID(event_id),
    )
    users = await conn.fetch("SELECT u.id AS uid, s.id AS sid FROM users u JOIN auth_sessions s ON s.user_id = u.id")
    await conn.close()
    pool = await asyncpg.create_pool(db_url, min_size=concurrency, max_size=concurrency)
    assert pool is not None
    done = 0
    latencies: list[float] = []
    event_uuid = uuid.UUID(event_id)
    deadline = time.monotonic() + seconds

    async def worker(index: int) -> None:
        nonlocal done
        user = users[index % len(users)]
        async with pool.acquire() as c:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                await c.fetch(_PRINCIPAL, user["uid"], user["sid"])
                await c.fetch(_SALE_READ, event_uuid, [tt])
                items = json.dumps(
                    [
                        {
                            "id": str(uuid.uuid4()),
                            "ticket_type_id": str(tt),
                            "position": 0,
                            "quantity": 1,
                            "unit_price_minor": 4500,
                            "attendees": [{"name": "", "email": None}],
                        }
                    ]
                )
                now = datetime.now(UTC)
                await c.fetch(
                    _PLACE,
                    uuid.uuid4(),
                    user["uid"],
                    event_uuid,
                    "EUR",
                    4500,
                    0,
                    4500,
                    None,
                    None,
                    None,
                    None,
                    now + timedelta(minutes=10),
                    now,
                    items,
                )
                latencies.append(time.perf_counter() - started)
                done += 1

    started_at = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = time.monotonic() - started_at
    await pool.close()
    return {
        "bookings": done,
        "bookings_per_second": round(done / elapsed, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
        },
    }


async def verify(db_url: str, tt_id: str) -> dict[str, int]:
    conn = await asyncpg.connect(db_url)
    try:
        row = await conn.fetchrow("SELECT capacity, sold, held FROM ticket_types WHERE id = $1", uuid.UUID(tt_id))
        booked = await conn.fetchval(
            "SELECT coalesce(sum(quantity), 0) FROM booking_items WHERE ticket_type_id = $1", uuid.UUID(tt_id)
        )
    finally:
        await conn.close()
    assert row is not None
    return {
        "capacity": row["capacity"],
        "held": row["held"],
        "booked": int(booked),
        "oversold": max(0, int(booked) - row["capacity"]),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seats", type=int, default=2000)
    parser.add_argument("--buyers", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--extra", type=int, default=1000, help="requests after the sell-out")
    parser.add_argument("--time-limit", type=float, default=90.0)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk phase")
    # One API process: on a 2-core machine the other core runs PostgreSQL, Redis and the load
    # generator; a second API process made every booking cost more CPU in both (measured ~1.05-1.3k/s
    # with 2 against ~1.3-1.4k/s with 1). Try --workers 2 on bigger machines.
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--no-wrk", action="store_true", help="use the Python client only")
    args = parser.parse_args()

    db_name = f"boxoffice_bench_{os.getpid()}"
    db_url = PG_SERVER.rsplit("/", 1)[0] + f"/{db_name}"
    secret = "bench-secret-" + uuid.uuid4().hex
    await admin(f'CREATE DATABASE "{db_name}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        migrate(db_url)
        event_id, tt_id, tokens = await seed(db_url, args.seats, args.buyers, secret)
        import redis.asyncio as redis_asyncio

        r = redis_asyncio.Redis.from_url(REDIS_URL)
        await r.flushdb()
        await r.aclose()
        port = free_port()
        env = {
            **os.environ,
            "BOXOFFICE_DATABASE_URL": db_url,
            "BOXOFFICE_REDIS_URL": REDIS_URL,
            "BOXOFFICE_JWT_SECRET": secret,
            "BOXOFFICE_LOG_LEVEL": "WARNING",
            "BOXOFFICE_MAINTENANCE_INTERVAL_SECONDS": "0",
            "BOXOFFICE_JOB_BROKER": "memory",
            # Connection pools, placement batching and the rest: the shipped defaults.
            # A few hundred buyers hammer for a minute: the per-account limit (still checked) must not bite.
            "BOXOFFICE_BOOKING_RATE_PER_USER": "1000000/minute",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "boxoffice.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                "--workers",
                str(args.workers),
            ],
            cwd=BACKEND,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base)
        if os.environ.get("BENCH_PROFILE_PID_FILE"):  # lets a profiler attach to the server
            Path(os.environ["BENCH_PROFILE_PID_FILE"]).write_text(str(server.pid))
            await asyncio.sleep(2)
        body = json.dumps({"event_id": event_id, "items": [{"ticket_type_id": "TT", "quantity": 1}]})
        tokens_file = Path(f"/tmp/boxoffice-bench-{os.getpid()}.tokens")
        tokens_file.write_text("\n".join(tokens) + "\n")
        use_wrk = shutil.which("wrk") is not None and not args.no_wrk
        # A. Throughput while seats remain (a ticket type too big to sell out during the run).
        big = await add_ticket_type(db_url, event_id, 10_000_000)
        # B. Sold-out rejections (a ticket type already sold out).
        gone = await add_ticket_type(db_url, event_id, 1, sold=1)
        if use_wrk:
            # Warm up (not measured): fill the connection pools and prepared-statement caches, as on
            # a server that has been up for a while. A cold pool costs ~10% of a 10 s run.
            run_wrk(base, tokens_file, body.replace("TT", big), args.concurrency, 3)
            api_cpu, machine_cpu = process_cpu_seconds(server.pid), machine_busy_seconds()
            selling = run_wrk(base, tokens_file, body.replace("TT", big), args.concurrency, args.seconds)
            api_cpu = process_cpu_seconds(server.pid) - api_cpu
            machine_cpu = machine_busy_seconds() - machine_cpu
            rejecting = run_wrk(
                base, tokens_file, body.replace("TT", gone), args.concurrency, max(3, args.seconds // 2)
            )
            throughput = {
                "driver": "wrk",
                "bookings_per_second": round(selling["created"] / selling["duration_s"], 1),
                "latency_ms": {"p50": selling["p50_ms"], "p99": selling["p99_ms"], "mean": selling["mean_ms"]},
                "bookings": selling["created"],
                "unexpected": selling["other"] + selling["sold_out"] + selling["errors"],
                "sold_out_rejections_per_second": round(rejecting["sold_out"] / rejecting["duration_s"], 1),
                "sold_out_latency_ms": {"p50": rejecting["p50_ms"], "p99": rejecting["p99_ms"]},
                # CPU cost per booking: the API process alone, and the whole machine (API, PostgreSQL,
                # Redis, the load generator). With 2 cores, 2000 / machine ms is the best possible rate.
                "api_cpu_ms_per_booking": round(1000 * api_cpu / max(1, selling["created"]), 2),
                "machine_cpu_ms_per_booking": round(1000 * machine_cpu / max(1, selling["created"]), 2),
            }
        else:
            throughput = {"driver": "aiohttp (install wrk for lower client overhead)"}
        # C. The actual drop: exactly --seats seats, rushed, plus --extra requests after the sell-out.
        rush = await drive(base, event_id, tt_id, tokens, args.seats, args.concurrency, args.extra, args.time_limit)
        if not use_wrk:
            throughput.update(
                bookings_per_second=rush["bookings_per_second"],
                latency_ms=rush["latency_ms"],
                sold_out_rejections_per_second=rush["sold_out_rejections_per_second"],
                sold_out_latency_ms=rush["sold_out_latency_ms"],
            )
        tokens_file.unlink(missing_ok=True)
        tokens_file.with_suffix(".lua").unlink(missing_ok=True)
        server.terminate()
        server.wait(timeout=30)
        server = None
        integrity = await verify(db_url, tt_id)
        # The ceiling is the best the same SQL does on raw asyncpg at any client count: PostgreSQL hands
        # a hot row's lock over slowly when many sessions queue on it (throughput collapses from ~1.6k/s
        # at 4-8 sessions to ~0.2k/s at 64), which is why the app sends at most
        # BOXOFFICE_PLACEMENT_CONCURRENCY placement statements at a time per process, each carrying the
        # bookings that arrived meanwhile (boxoffice/batching.py). Comparing against the collapsed
        # 64-session figure would flatter the app.
        raw_by_sessions = {
            sessions: await raw_ceiling(db_url, event_id, sessions, max(3, args.seconds // 2))
            for sessions in sorted({4, 8, 16, args.concurrency})
        }
        best_sessions = max(raw_by_sessions, key=lambda n: raw_by_sessions[n]["bookings_per_second"])
        raw = {"sessions": best_sessions, **raw_by_sessions[best_sessions]}
        result = {
            "benchmark": "hot_drop",
            "concurrency": args.concurrency,
            "workers": args.workers,
            "app": throughput,
            "drop": {"seats": args.seats, **rush},
            "raw_asyncpg_ceiling": raw,
            "raw_asyncpg_by_sessions": {str(n): r["bookings_per_second"] for n, r in raw_by_sessions.items()},
            "ratio_of_raw_ceiling": round(throughput["bookings_per_second"] / raw["bookings_per_second"], 3)
            if raw["bookings_per_second"]
            else None,
            "integrity": integrity,
            "oversold": integrity["oversold"],
            "cpu_count": os.cpu_count(),
        }
        print(json.dumps(result, indent=2))
    finally:
        if server is not None:
            server.kill()
        await admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
