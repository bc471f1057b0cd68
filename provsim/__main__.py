"""``jianguan-provsim`` / ``python -m provsim``: start the provincial platform simulator.

Prints one line ``provsim listening on http://HOST:PORT`` on standard output once it accepts calls (``--port 0``
picks a free port), logs calls to standard error, and stops cleanly on SIGTERM or SIGINT: no new calls, stalled
calls answered 503, calls in flight finished, the store closed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from pathlib import Path

from provsim import checks
from provsim.server import Options, Simulator
from provsim.signing import Signer, load_or_create_seed, parse_seed

TOKEN_FILE = "token"  # noqa: S105 - the name of the file, not a secret


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jianguan-provsim",
                                description="省级平台模拟器 — provincial platform simulator (stands in for the city "
                                            "sharing platform and the province)")
    p.add_argument("--host", default=os.environ.get("PROVSIM_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PROVSIM_PORT", "8765")),
                   help="0 picks a free port (printed on start)")
    p.add_argument("--data", type=Path, default=Path(os.environ.get("PROVSIM_DATA", "var/provsim")),
                   help="directory of the SQLite store, the signing key and the token it creates")
    p.add_argument("--token", default=os.environ.get("PROVSIM_TOKEN", ""),
                   help="bearer token callers must send; without it one is created in DATA/token")
    p.add_argument("--signing-seed", default=os.environ.get("PROVSIM_SIGNING_SEED", ""),
                   help="64 hex digits: a fixed Ed25519 key (tests); without it the key is kept in DATA/signing_key")
    p.add_argument("--stall-limit", type=float, default=30.0,
                   help="the longest a stalled call waits, in seconds (default 30)")
    p.add_argument("--timeliness-days", type=int, default=checks.DEFAULT_TIMELINESS_DAYS,
                   help="days allowed between the action date and 报送时间 (default %(default)s)")
    p.add_argument("--max-records", type=int, default=checks.MAX_RECORDS,
                   help="records allowed in one batch (default %(default)s)")
    p.add_argument("--quiet", action="store_true", help="do not log each call")
    return p


def _token(data_dir: Path) -> str:
    """The token kept in the data directory, created on first start (readable by the owner only)."""
    path = data_dir / TOKEN_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(24) + "\n")
    return path.read_text(encoding="ascii").strip()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.stall_limit < 0 or args.timeliness_days < 0 or args.max_records < 1:
        _parser().error("--stall-limit and --timeliness-days must not be negative, --max-records at least 1")
    data_dir: Path = args.data
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        seed = parse_seed(args.signing_seed) if args.signing_seed else load_or_create_seed(data_dir)
    except ValueError as e:
        _parser().error(str(e))
    token = args.token
    if not token:
        token = _token(data_dir)
        sys.stderr.write(f"provsim token kept in {data_dir / TOKEN_FILE}\n")
    options = Options(host=args.host, port=args.port, data_dir=data_dir, token=token, stall_limit=args.stall_limit,
                      timeliness_days=args.timeliness_days, max_records=args.max_records,
                      log_requests=not args.quiet)
    try:
        server = Simulator(options, Signer(seed))
    except OSError as e:
        sys.stderr.write(f"provsim cannot listen on {args.host}:{args.port}: {e}\n")
        return 1

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="provsim")
    worker.start()
    print(f"provsim listening on {server.url}", flush=True)
    while not stop.wait(0.5):
        pass
    server.close()
    worker.join()
    sys.stderr.write("provsim stopped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
