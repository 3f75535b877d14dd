"""No chain, group or chord API: a task passes its result on by deferring the next task itself.

Proves: the ``procrastinate`` package exports nothing like chain/group/chord/pipeline (checked at
run time) and return values are not stored, so a pipeline is written by hand: ``fetch`` defers
``parse`` with its output, ``parse`` defers ``store``; the three jobs run in order and the final
argument is the value computed along the way. Fan-in (wait for N jobs) has no built-in join either.
"""

from __future__ import annotations

import os
import re
import time

import procrastinate
import psycopg

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-chains"

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


# --8<-- [start:example]
@app.task(name="fetch", queue=QUEUE)
async def fetch(url: str) -> None:
    body = f"<p>{url}</p>"
    await parse.defer_async(body=body)  # the "chain": defer the next step with this step's output


@app.task(name="parse", queue=QUEUE)
async def parse(body: str) -> None:
    await store.defer_async(text=body.removeprefix("<p>").removesuffix("</p>").upper())


@app.task(name="store", queue=QUEUE)
async def store(text: str) -> None:
    print("stored", text)


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def finished() -> list[tuple[str, dict]]:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select task_name, args from procrastinate_jobs where queue_name = %s and status = 'succeeded' order by id",
            (QUEUE,),
        ).fetchall()


if __name__ == "__main__":
    from _worker import start_worker

    workflow_api = [n for n in dir(procrastinate) if re.search(r"chain|group|chord|pipe|canvas|workflow", n, re.I)]
    assert workflow_api == [], workflow_api

    with app.open():
        prepare_database()
        with start_worker("chains.app", queues=[QUEUE]):
            fetch.defer(url="example.org")
            deadline = time.monotonic() + 15
            while len(finished()) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
        done = finished()

    assert [t for t, _ in done] == ["fetch", "parse", "store"], done
    assert done[2][1] == {"text": "EXAMPLE.ORG"}, done[2]
    print(
        f"OBSERVED: no chain/group/chord names in procrastinate; a hand-made pipeline fetch -> parse -> store "
        f"ran in order, the last job received {done[2][1]}"
    )
