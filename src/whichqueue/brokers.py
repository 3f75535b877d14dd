"""Talk to the brokers the verifier needs: reachability, version, per-run isolation and clean-up.

Only what a run created is removed: Redis keys carrying the run's namespace and the run's own RabbitMQ
vhost. Nothing is ever flushed.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from . import model as m


def resolve_url(broker: m.Broker) -> str:
    """The broker's URL: its environment variable if set, else the default from data/brokers.yaml."""
    return os.environ.get(broker.env, broker.url) if broker.env else broker.url


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    default = {"redis": 6379, "amqp": 5672, "postgresql": 5432}.get(parts.scheme, 0)
    return parts.hostname or "127.0.0.1", parts.port or default


def probe(broker: m.Broker, url: str, timeout: float = 2.0) -> str | None:
    """None when the broker answers; otherwise a message naming the problem and how to start it."""
    host, port = _host_port(url)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            if broker.id == "redis":
                sock.settimeout(timeout)
                sock.sendall(b"PING\r\n")
                reply = sock.recv(64)
                if not reply.startswith((b"+PONG", b"-NOAUTH")):
                    raise OSError(f"unexpected reply {reply[:30]!r}")
    except OSError as exc:
        return (
            f"{broker.name} is not reachable at {host}:{port} ({exc}).\n"
            f"  Start it with: {broker.start}\n"
            f"  or point {broker.env} at a running {broker.name}."
        )
    return None


def compose_up(root: Path, say: Callable[[str], None], timeout: float = 180) -> bool:
    """Start the brokers of docker-compose.yml when a Docker engine is there; False when it is not."""
    docker = shutil.which("docker")
    if not docker or not (root / "docker-compose.yml").is_file():
        say("(no docker command: cannot start the brokers automatically)")
        return False
    try:
        engine = subprocess.run([docker, "info"], capture_output=True, timeout=10, check=False)
        if engine.returncode != 0:
            say("(docker is installed but no Docker engine answers: cannot start the brokers automatically)")
            return False
        say("starting brokers: docker compose up -d --wait ...")
        done = subprocess.run([docker, "compose", "up", "-d", "--wait"], cwd=root, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        say("(docker compose did not finish in time)")
        return False
    return done.returncode == 0


def unreachable(catalog: m.Catalog, urls: dict[str, str]) -> list[str]:
    """Problems (with how to start each broker) for every broker in `urls` that does not answer."""
    return [problem for bid, url in urls.items() if (problem := probe(catalog.brokers[bid], url))]


def redis_version(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=3)
    try:
        return str(client.info("server")["redis_version"])
    finally:
        client.close()


def amqp_version(url: str, timeout: float = 3.0) -> str:
    """The server's version from the AMQP 0-9-1 Connection.Start frame (no client library needed)."""
    host, port = _host_port(url)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(b"AMQP\x00\x00\x09\x01")
        header = _recv_exactly(sock, 7)
        size = struct.unpack(">I", header[3:7])[0]
        payload = _recv_exactly(sock, size)
    # class/method (4 bytes), version major/minor (2 bytes), then the server-properties table
    table_len = struct.unpack(">I", payload[6:10])[0]
    props = _field_table(payload[10 : 10 + table_len])
    return str(props.get("version", "unknown"))


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise OSError("connection closed during AMQP handshake")
        data += chunk
    return data


def _field_table(data: bytes) -> dict[str, object]:
    out: dict[str, object] = {}
    i = 0
    while i < len(data):
        key_len = data[i]
        key = data[i + 1 : i + 1 + key_len].decode()
        i += 1 + key_len
        kind = chr(data[i])
        i += 1
        if kind in "SF":
            length = struct.unpack(">I", data[i : i + 4])[0]
            raw = data[i + 4 : i + 4 + length]
            out[key] = raw.decode(errors="replace") if kind == "S" else _field_table(raw)
            i += 4 + length
        elif kind == "t":
            out[key] = bool(data[i])
            i += 1
        else:  # a type the Start frame does not use for the fields we read: stop rather than misparse
            break
    return out


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url, connect_timeout=3) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "unknown"


def broker_version(broker: m.Broker, url: str) -> str:
    try:
        if broker.id == "redis":
            return redis_version(url)
        if broker.id == "rabbitmq":
            return amqp_version(url)
        if broker.id == "postgres":
            return postgres_version(url)
    except (OSError, ValueError, KeyError, IndexError, struct.error):
        return "unknown"
    return "unknown" if broker.id != "none" else ""


# --- isolation ---------------------------------------------------------------------------------------


@dataclass
class Vhost:
    """A RabbitMQ vhost created for one run; deleting it removes every queue and exchange of the run."""

    name: str
    base_url: str
    via: str  # "rabbitmqctl" | "http"

    def url(self) -> str:
        parts = urlsplit(self.base_url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + quote(self.name, safe=""), "", ""))


def _ctl(*args: str) -> bool:
    ctl = shutil.which("rabbitmqctl")
    if not ctl:
        return False
    done = subprocess.run([ctl, "-q", *args], capture_output=True, text=True, timeout=60, check=False)
    return done.returncode == 0


def _http(method: str, base_url: str, path: str, body: dict[str, str] | None = None) -> bool:
    parts = urlsplit(base_url)
    user, password = parts.username or "guest", parts.password or "guest"
    request = urllib.request.Request(
        f"http://{parts.hostname}:15672/api/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "content-type": "application/json",
            "authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode(),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10):
            return True
    except (urllib.error.URLError, OSError):
        return False


def create_vhost(base_url: str, name: str) -> Vhost | None:
    """A fresh vhost via the local rabbitmqctl, else the management API; None when neither works."""
    user = urlsplit(base_url).username or "guest"
    host = urlsplit(base_url).hostname or "127.0.0.1"
    if (
        host in ("127.0.0.1", "localhost", "::1")
        and _ctl("add_vhost", name)
        and _ctl("set_permissions", "-p", name, user, ".*", ".*", ".*")
    ):
        return Vhost(name, base_url, "rabbitmqctl")
    if _http("PUT", base_url, f"vhosts/{quote(name, safe='')}", {}) and _http(
        "PUT",
        base_url,
        f"permissions/{quote(name, safe='')}/{quote(user, safe='')}",
        {"configure": ".*", "write": ".*", "read": ".*"},
    ):
        return Vhost(name, base_url, "http")
    return None


def delete_vhost(vhost: Vhost) -> bool:
    if vhost.via == "rabbitmqctl":
        return _ctl("delete_vhost", vhost.name)
    return _http("DELETE", vhost.base_url, f"vhosts/{quote(vhost.name, safe='')}")


def database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(name, safe=""), parts.query, ""))


def create_database(base_url: str, name: str) -> str:
    """A fresh PostgreSQL database for one snippet run (dropped afterwards); returns its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(base_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(base_url, name)


def drop_database(base_url: str, name: str) -> bool:
    """Drop a run's database, disconnecting anything a killed snippet left connected."""
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(base_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        return True
    except psycopg.Error:
        return False


def delete_redis_keys(url: str, pattern: str) -> int:
    """Delete keys matching `pattern` (SCAN, never FLUSH): what the run's namespaces created."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        deleted = 0
        batch: list[bytes] = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                deleted += int(client.delete(*batch))
                batch.clear()
        if batch:
            deleted += int(client.delete(*batch))
        return deleted
    finally:
        client.close()
