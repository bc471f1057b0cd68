"""A Mosquitto broker as a child process, for the demo and the tests: `broker = start(directory)`, `broker.stop()`.

It listens on the loopback interface only and lets anyone connect (a development broker: a deployment runs its own
Mosquitto with passwords or certificates and points `JIANGUAN_REMOTE_MQTT_HOST` at it). Keeps nothing on disk but its
configuration and log in `directory`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


class BrokerError(RuntimeError):
    pass


@dataclass
class Broker:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def start(directory: Path, *, port: int = 0, host: str = "127.0.0.1", timeout: float = 10.0) -> Broker:
    """Start `mosquitto` on `host:port` (0: a free port) and wait until it accepts connections."""
    binary = shutil.which("mosquitto") or next((p for p in ("/usr/sbin/mosquitto",) if os.path.exists(p)), None)
    if binary is None:
        raise BrokerError("未找到 Mosquitto：请先运行 scripts/system-packages mosquitto")
    directory.mkdir(parents=True, exist_ok=True)
    port = port or free_port(host)
    config, log = directory / "mosquitto.conf", directory / "mosquitto.log"
    lines = [f"listener {port} {host}", "allow_anonymous true", "persistence false", "log_dest stderr",
             "log_type error", "log_type warning", "max_queued_messages 100000",
             "max_inflight_messages 1000"]
    if os.geteuid() == 0:  # as root Mosquitto would switch to its own user
        lines.append("user root")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with log.open("ab") as out:
        process = subprocess.Popen([binary, "-c", str(config)], stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    broker = Broker(host, port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrokerError(f"Mosquitto 启动失败：{log.read_text(errors='replace')[-500:]}")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return broker
        except OSError:
            time.sleep(0.05)
    broker.stop()
    raise BrokerError(f"Mosquitto 未在 {timeout} 秒内开始监听 {host}:{port}")
