"""The HTTP side: a threading HTTP/1.0 server with JSON handlers.

``/api/…`` is the platform's interface (subject to the fail and stall modes); ``/_control``, ``/_stats`` and
``/_records`` are for tests and the demo and are never failed or stalled. Every endpoint but
``GET /api/public-key`` needs ``Authorization: Bearer <token>``. Errors are ``{"code", "message", "field"}``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from provsim import checks, dispatch
from provsim.signing import Signer, canonical_json
from provsim.store import Store

MODES = ("ok", "fail", "stall", "reject_all")
CONTROL_FIELDS = frozenset({"mode", "stall_seconds", "fail_next"})
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: Path = Path("var/provsim")
    token: str = ""
    stall_limit: float = 30.0  # seconds; the longest a stalled call waits, whatever stall_seconds says
    timeliness_days: int = checks.DEFAULT_TIMELINESS_DAYS
    max_records: int = checks.MAX_RECORDS
    max_body_bytes: int = 64 * 1024 * 1024
    log_requests: bool = True


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


@dataclass
class Control:
    """The behaviour switches set through ``POST /_control``."""

    stall_limit: float
    mode: str = "ok"
    stall_seconds: float = 0.0
    fail_next: int = 0
    stalled: int = 0  # calls waiting in a stall right now (lets a test act while one is held)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"mode": self.mode, "stall_seconds": self.stall_seconds, "fail_next": self.fail_next,
                    "stall_limit": self.stall_limit, "stalled": self.stalled}

    def update(self, body: Any) -> dict[str, Any]:
        """Apply the given keys (each optional); the rest stay as they are."""
        if not isinstance(body, dict):
            raise HttpError(400, "bad_shape", "请求体必须是 JSON 对象")
        for key in body:
            if key not in CONTROL_FIELDS:
                raise HttpError(400, "unknown_field", f"不认识的字段：{key}", key)
        mode = body.get("mode", None)
        if mode is not None and mode not in MODES:
            raise HttpError(400, "bad_mode", f"模式必须是 {'、'.join(MODES)} 之一", "mode")
        stall = body.get("stall_seconds", None)
        if stall is not None and (isinstance(stall, bool) or not isinstance(stall, int | float) or stall < 0):
            raise HttpError(400, "bad_stall_seconds", "stall_seconds 必须是非负数", "stall_seconds")
        fail_next = body.get("fail_next", None)
        if fail_next is not None and (isinstance(fail_next, bool) or not isinstance(fail_next, int) or fail_next < 0):
            raise HttpError(400, "bad_fail_next", "fail_next 必须是非负整数", "fail_next")
        with self.lock:
            if mode is not None:
                self.mode = mode
            if stall is not None:
                self.stall_seconds = float(stall)
            if fail_next is not None:
                self.fail_next = fail_next
        return self.snapshot()

    def outage(self) -> tuple[bool, float]:
        """For one ``/api`` call: (answer 503?, seconds to stall first). A pending ``fail_next`` is used up here."""
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return True, 0.0
            if self.mode == "fail":
                return True, 0.0
            if self.mode == "stall":
                return False, min(self.stall_seconds, self.stall_limit)
            return False, 0.0

    def hold(self, seconds: float, stopping: threading.Event) -> bool:
        """Stall one call for ``seconds``; False when the simulator started stopping meanwhile."""
        with self.lock:
            self.stalled += 1
        try:
            return not stopping.wait(seconds)
        finally:
            with self.lock:
                self.stalled -= 1


class Simulator(ThreadingHTTPServer):
    """The server with its state; ``close()`` ends in-flight calls (stalls are cut short) and the store."""

    daemon_threads = False
    block_on_close = True  # server_close() waits for the calls in flight, so no batch is cut in half

    def __init__(self, options: Options, signer: Signer) -> None:
        self.options = options
        self.signer = signer
        self.store = Store(options.data_dir)
        self.control = Control(stall_limit=options.stall_limit)
        self.stopping = threading.Event()
        super().__init__((options.host, options.port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        """Stop accepting, cut stalls short, wait for calls in flight, close the store."""
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self.store.close()

    def receive(self, batch: checks.Batch) -> dict[str, Any]:
        now = dt.datetime.now(CHINA).replace(microsecond=0)
        reject_all = self.control.snapshot()["mode"] == "reject_all"

        def check(record: checks.Record, inspection_known) -> list[dict[str, str]]:
            if reject_all:
                return [checks.rejected_by_platform()]
            ctx = checks.Context(received_on=now.date(), timeliness_days=self.options.timeliness_days,
                                 inspection_known=inspection_known, task_known=self.store.dispatched_known)
            return checks.check_record(batch.standard, record, ctx)

        receipt, _ = self.store.receive(batch, received_at=now.isoformat(), check=check, seal=self.signer.sign)
        return receipt


class Handler(BaseHTTPRequestHandler):
    server: Simulator
    server_version = "provsim/1"
    timeout = 60  # a client that stops sending does not hold a thread for ever

    # --- plumbing -------------------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.options.log_requests:
            sys.stderr.write(f"provsim {self.address_string()} {format % args}\n")

    def _send(self, status: int, payload: Any) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            body = self._read_body() if method in ("POST", "PUT") else b""
            status, payload = self._route(method, url.path, body)
        except HttpError as e:
            status, payload = e.status, {"code": e.code, "message": e.message, "field": e.field}
        self._send(status, payload)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise HttpError(411, "length_required", "请求须带 Content-Length，不支持分块传输")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise HttpError(411, "length_required", "请求须带 Content-Length") from None
        if length < 0:
            raise HttpError(400, "bad_length", "Content-Length 无效")
        if length > self.server.options.max_body_bytes:
            raise HttpError(413, "payload_too_large", f"请求体超过 {self.server.options.max_body_bytes} 字节")
        return self.rfile.read(length)

    def _json(self, body: bytes) -> Any:
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise HttpError(400, "bad_json", "请求体不是有效的 JSON（UTF-8）") from None

    def _authorize(self) -> None:
        header = self.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        token = self.server.options.token
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise HttpError(401, "unauthorized", "缺少访问令牌或令牌错误")

    def _outage(self) -> None:
        """Apply the fail and stall modes to one ``/api`` call."""
        fail, stall = self.server.control.outage()
        if fail:
            raise HttpError(503, "unavailable", "省级平台暂时不可用（模拟故障），请稍后重试")
        if stall > 0 and not self.server.control.hold(stall, self.server.stopping):
            raise HttpError(503, "shutting_down", "省级平台正在停止，请稍后重试")

    # --- routes ---------------------------------------------------------------------------------------------------

    def _route(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        if path.startswith("/api/"):
            self._outage()
            if path == "/api/public-key":
                self._allow(method, "GET")
                return 200, {"key_id": self.server.signer.key_id, "public_key": self.server.signer.public_key_b64}
            self._authorize()
            if path == "/api/batches":
                self._allow(method, "POST")
                return self._post_batch(body)
            if path.startswith("/api/receipts/") and path.count("/") == 3:
                self._allow(method, "GET")
                return self._get_receipt(unquote(path.rsplit("/", 1)[1]))
        elif path == "/_dispatch":
            self._authorize()
            self._allow(method, "POST")
            return dispatch.dispatch(self.server, self._json(body))
        elif path == "/_dispatched":
            self._authorize()
            self._allow(method, "POST")
            return dispatch.remember(self.server, self._json(body))
        elif path in ("/_control", "/_stats", "/_records"):
            self._authorize()
            if path == "/_control":
                self._allow(method, "GET", "POST")
                control = self.server.control
                return 200, control.snapshot() if method == "GET" else control.update(self._json(body))
            self._allow(method, "GET")
            if path == "/_stats":
                return 200, self.server.store.stats()
            history = self.query.get("history", "") in ("1", "true")
            return 200, self.server.store.records(standard=self.query.get("standard", ""),
                                                  source=self.query.get("source", ""), history=history)
        raise HttpError(404, "not_found", "没有这个地址")

    def _allow(self, method: str, *allowed: str) -> None:
        if method not in allowed:
            raise HttpError(405, "method_not_allowed", f"此地址只接受 {'、'.join(allowed)} 请求")

    def _post_batch(self, body: bytes) -> tuple[int, Any]:
        try:
            batch = checks.parse_batch(self._json(body), max_records=self.server.options.max_records)
        except checks.EnvelopeError as e:
            raise HttpError(e.status, e.code, e.message, e.field) from None
        return 200, canonical_json(self.server.receive(batch))

    def _get_receipt(self, batch: str) -> tuple[int, Any]:
        source = self.query.get("source", "")
        if not source:
            raise HttpError(400, "missing_source", "须用 ?source= 指明报送方", "source")
        receipt = self.server.store.receipt(source, batch)
        if receipt is None:
            raise HttpError(404, "not_found", f"报送方 {source} 没有批次 {batch} 的回执")
        return 200, canonical_json(receipt)
