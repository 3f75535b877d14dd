"""The verifier against the real local brokers, on the small fixture data set.

Covers: pass / fail / error classification, timeouts that kill a snippet's whole process tree, output
floods, clean-up of Redis keys and RabbitMQ vhosts, a broker that is down, Ctrl-C, and --repeat.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from whichqueue import brokers
from whichqueue.results import read_all
from whichqueue.verify import VerifyOptions, run_verify

pytestmark = pytest.mark.brokers
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def verify(layout, **kw):
    messages: list[str] = []
    code = run_verify(layout, VerifyOptions(progress=False, **kw), say=messages.append)
    return code, "\n".join(messages)


def results_by_id(layout):
    return {sid: r for f in read_all(layout.results) for sid, r in f.results.items()}


def processes_with(text: str) -> list[str]:
    """Command lines (from the process table, untruncated) that contain `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(f"{entry.name} {cmdline}")
    return found


def test_process_probe_sees_a_live_process():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        assert processes_with("time.sleep(300)")
    finally:
        sleeper.kill()
        sleeper.wait()


def redis_keys(pattern: str) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        return list(client.scan_iter(match=pattern, count=1000))
    finally:
        client.close()


def test_pass_fail_and_error_are_told_apart(mini):
    code, out = verify(mini, snippets=("alpha/ok", "alpha/fails", "alpha/crashes"))
    assert code == 1, out
    got = results_by_id(mini)
    assert got["alpha/ok"].status == "pass" and got["alpha/ok"].observed == "3 attempts"
    assert got["alpha/fails"].status == "fail" and got["alpha/fails"].message == "expected 3 attempts, saw 2"
    assert got["alpha/crashes"].status == "error" and "ModuleNotFoundError" in got["alpha/crashes"].message
    assert "Traceback" in got["alpha/crashes"].log_tail


def test_hanging_snippet_is_killed_with_all_its_children(mini):
    started = time.monotonic()
    code, out = verify(mini, snippets=("alpha/hangs",))
    elapsed = time.monotonic() - started
    assert code == 1, out
    result = results_by_id(mini)["alpha/hangs"]
    assert result.status == "error" and "timed out after 2 s" in result.message
    assert "children started" in result.log_tail
    assert elapsed < 15, f"took {elapsed:.1f} s for a 2 s timeout"
    time.sleep(0.2)
    assert processes_with("time.sleep(300)") == []


def test_output_flood_does_not_block_and_only_a_tail_is_kept(mini):
    code, out = verify(mini, snippets=("alpha/chatty",))
    assert code == 0, out
    result = results_by_id(mini)["alpha/chatty"]
    assert result.status == "pass" and result.observed == "20000 lines written"
    assert len(result.log_tail) < 50_000


def test_run_removes_its_redis_keys_and_escaped_processes(mini):
    before = set(redis_keys("*wq-*"))
    code, out = verify(mini, snippets=("alpha/keys",))
    assert code == 0, out
    assert set(redis_keys("*wq-*")) - before == set()
    assert "cleaned up 2 leftover Redis key(s) of this run" in out  # the snippet did write them
    assert processes_with("time.sleep(300)") == []


def test_results_file_names_the_environment(mini):
    verify(mini, snippets=("alpha/keys", "alpha/ok"))
    names = sorted(p.name for p in mini.results.glob("*.json"))
    assert "alpha-1.1.0__none__py3.11.json" in names or any(n.startswith("alpha-1.1.0__none__py") for n in names)
    redis_file = next(p for p in mini.results.glob("alpha-1.1.0__redis-*.json"))
    env = json.loads(redis_file.read_text())["env"]
    assert env["broker"] == "redis" and env["broker_version"] == brokers.redis_version(REDIS)
    assert env["version"] == "1.1.0" and env["python"].count(".") == 2


def test_partial_run_keeps_other_evidence(mini):
    verify(mini, snippets=("alpha/ok", "alpha/fails"))
    first = results_by_id(mini)["alpha/fails"]
    verify(mini, snippets=("alpha/ok",))
    assert results_by_id(mini)["alpha/fails"] == first


def test_broker_down_is_reported_fast_and_nothing_is_written(mini, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    started = time.monotonic()
    code, out = verify(mini, snippets=("alpha/keys",))
    assert code == 2
    assert time.monotonic() - started < 5
    assert "Redis is not reachable at 127.0.0.1:1" in out
    assert "docker compose up -d --wait redis" in out
    assert not mini.results.exists() or list(mini.results.iterdir()) == []


def test_unknown_snippet_is_a_usage_error(mini):
    code, out = verify(mini, snippets=("alpha/nope",))
    assert code == 2 and "unknown snippet alpha/nope" in out


def test_repeat_records_flakiness(mini, tmp_path):
    flaky = mini.root / "snippets/alpha/ok.py"
    counter = tmp_path / "count"
    flaky.write_text(
        "from pathlib import Path\n"
        f"p = Path({str(counter)!r})\n"
        "n = int(p.read_text()) if p.exists() else 0\n"
        "p.write_text(str(n + 1))\n"
        "# --8<-- [start:example]\n# --8<-- [end:example]\n"
        "assert n % 2 == 0, f'run {n} failed'\n"
    )
    code, _ = verify(mini, snippets=("alpha/ok",), repeat=4, jobs=1)
    assert code == 1
    result = results_by_id(mini)["alpha/ok"]
    assert result.status == "fail" and result.message.startswith("2 of 4 runs not passing")


def test_rabbitmq_vhost_is_created_and_removed():
    url = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
    name = f"wq-test-{os.getpid()}"
    vhost = brokers.create_vhost(url, name)
    assert vhost is not None
    assert vhost.url().endswith(f"/{name}")
    assert brokers.amqp_version(vhost.url()).count(".") >= 1  # the vhost accepts connections
    assert brokers.delete_vhost(vhost)


@pytest.mark.skipif(sys.platform != "linux", reason="uses the Linux process table")
def test_ctrl_c_kills_everything_and_writes_nothing(mini):
    env = dict(os.environ, WHICHQUEUE_ROOT=str(mini.root))
    proc = subprocess.Popen(
        [sys.executable, "-m", "whichqueue.cli", "verify", "--snippet", "alpha/hangs", "--snippet", "alpha/ok"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not processes_with("time.sleep(300)") and time.monotonic() < deadline:
        time.sleep(0.1)
    if not processes_with("time.sleep(300)"):
        proc.kill()
        pytest.fail("the hanging snippet never started:\n" + proc.communicate()[0])
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130, out
    assert "Nothing was written to results/" in out
    time.sleep(0.2)
    assert processes_with("time.sleep(300)") == []
    assert not any(Path(mini.results).glob("*.json"))


def test_postgres_database_per_job_is_created_and_dropped():
    import psycopg

    base = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"wq-test-{os.getpid()}"
    url = brokers.create_database(base, name)
    with psycopg.connect(url) as conn:  # the new database accepts connections and tables
        conn.execute("CREATE TABLE t (x int)")
        held = psycopg.connect(url)  # a connection left open by a killed snippet must not block the drop
    assert brokers.drop_database(base, name)
    held.close()
    with psycopg.connect(base) as conn:
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()[0] == 0


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs a redis-server binary for a throwaway broker")
def test_broker_stopped_mid_run_is_reported_and_nothing_is_left(mini, monkeypatch, tmp_path):
    port = 6390 + os.getpid() % 200
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode != 0:
            assert time.monotonic() < deadline, "throwaway redis-server did not start"
            time.sleep(0.1)
        monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/0")
        stopper = threading.Timer(2.0, server.kill)  # the broker dies while the snippet talks to it
        stopper.start()
        code, out = verify(mini, snippets=("alpha/slow_keys",))
        stopper.join()
    finally:
        server.kill()
        server.wait()
    assert code == 1, out
    result = results_by_id(mini)["alpha/slow_keys"]
    assert result.status == "error" and "Connection" in result.message, result
    assert "could not delete this run's Redis keys" in out
    assert processes_with("slow_keys.py") == []


def test_start_order_takes_turns_between_queues_and_spreads_repeats():
    from types import SimpleNamespace

    from whichqueue.verify import start_order

    a1, a2, b1 = (SimpleNamespace(queue=q, id=f"{q}/{n}") for q, n in (("a", 1), ("a", 2), ("b", 1)))
    pairs = [(a1, "redis"), (a2, "redis"), (b1, "postgres")]
    assert [s.id for s, _ in start_order(pairs)] == ["a/1", "b/1", "a/2"]
    assert [s.id for s, _ in start_order(pairs, repeat=2)] == ["a/1", "b/1", "a/2", "b/1", "a/1", "a/2"]
