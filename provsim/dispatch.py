"""Dispatching a joint task down to a city platform (``POST /_dispatch``), as the province does.

Body ``{"platform": "http://HOST:PORT", "api_key": "…", "task": {…联合监管任务…}}``: the simulator sends the task
(status 分发) to the platform's intake, ``POST {platform}/api/v1/exchange/joint_task/records`` with the key in
``X-API-Key``, as any reporting system does, and answers ``{"status", "answer"}`` with the platform's reply. A task
the platform accepted (or already held) is remembered, so that the units' feedback coming back in batches of
``joint_feedback`` may name it (``unknown_task`` otherwise, checks.py). ``POST /_dispatched`` remembers a task
dispatched by other means.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from typing import Any

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
FIELDS = frozenset({"platform", "api_key", "task"})
TIMEOUT = 60.0


def _refuse(code: str, message: str, field: str) -> tuple[int, dict[str, str]]:
    return 400, {"code": code, "message": message, "field": field}


def _post(platform: str, api_key: str, task: dict[str, Any]) -> tuple[int, Any]:
    url = platform.rstrip("/") + "/api/v1/exchange/joint_task/records"
    body = json.dumps([task], ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - http(s) checked
        "Content-Type": "application/json; charset=utf-8", "X-API-Key": api_key})
    try:
        with _DIRECT.open(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        with e:
            raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode("utf-8", "replace")[:500]


def dispatch(server: Any, body: Any) -> tuple[int, Any]:
    """Send one task down and remember it when the platform took it."""
    if not isinstance(body, dict) or set(body) - FIELDS:
        return _refuse("bad_shape", "请求体应为 {platform, api_key, task}", "")
    platform, api_key, task = body.get("platform"), body.get("api_key"), body.get("task")
    if not isinstance(platform, str) or not platform.startswith(("http://", "https://")):
        return _refuse("bad_platform", "platform 应为城市平台的 http(s) 地址", "platform")
    if not isinstance(api_key, str) or not api_key:
        return _refuse("bad_api_key", "api_key 应为城市平台发给省级平台的接口密钥", "api_key")
    if not isinstance(task, dict) or not str(task.get("task_no") or "").strip():
        return _refuse("bad_task", "task 应为带任务编号（task_no）的联合监管任务", "task")
    task = {**task, "status": task.get("status") or "分发"}
    try:
        status, answer = _post(platform, api_key, task)
    except OSError as e:
        return 502, {"code": "platform_unreachable", "message": f"无法连接城市平台：{e}", "field": "platform"}
    taken = status == 200 and isinstance(answer, dict) and not answer.get("rejected")
    if taken:
        server.store.dispatched_add(str(task["task_no"]), platform=platform,
                                    at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), answer=answer)
    return 200, {"status": status, "answer": answer, "dispatched": taken}


def remember(server: Any, body: Any) -> tuple[int, Any]:
    """``POST /_dispatched {"task_no", "platform"}``: remember a task dispatched by other means (the demo's seed
    records the province's batch through the platform's intake before the simulator runs), so that its feedback is
    accepted like that of a task sent by ``/_dispatch``."""
    if not isinstance(body, dict) or set(body) - {"task_no", "platform"} or not str(body.get("task_no") or "").strip():
        return _refuse("bad_shape", "请求体应为 {task_no, platform}", "task_no")
    server.store.dispatched_add(str(body["task_no"]).strip(), platform=str(body.get("platform") or ""),
                                at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), answer={"remembered": True})
    return 200, {"task_no": str(body["task_no"]).strip(), "dispatched": True}
