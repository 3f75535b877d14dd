"""Job arguments are stored as JSON, in a ``jsonb`` column of PostgreSQL; pickle is not an option.

Proves: the raw ``args`` of a deferred job, read with SQL, is a ``jsonb`` value equal to the
keyword arguments; a non-JSON argument (a ``datetime``) is refused at defer time with the default
encoder; ``PsycopgConnector(json_dumps=...)`` swaps in a custom JSON encoder (still JSON).
"""

from __future__ import annotations

import datetime
import json
import os
import re

import procrastinate
import psycopg

NS = re.sub(r"[^A-Za-z0-9_-]", "_", os.environ.get("WQ_NAMESPACE", "demo"))
DB_URL = os.environ.get("BROKER_URL", "")
if not DB_URL.startswith("postgres"):  # Procrastinate runs on PostgreSQL only
    DB_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Keep queue names <= 40 characters: each is also a NOTIFY channel ("procrastinate_queue_v1#" + name, 63 max).
QUEUE = f"{NS}-serializer"

# --8<-- [start:example]
app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=DB_URL))


@app.task(name="greet", queue=QUEUE)
def greet(name: str, tags: list[str], when: object = None) -> None:
    print(name, tags, when)


# A custom encoder is plugged into the connector: still JSON, but it can encode more types.
custom_app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(conninfo=DB_URL, json_dumps=lambda obj: json.dumps(obj, default=str))
)


@custom_app.task(name="greet_custom", queue=QUEUE)
def greet_custom(name: str, when: object) -> None:
    print(name, when)


# --8<-- [end:example]


def prepare_database() -> None:
    """Create Procrastinate's tables if this database does not have them yet."""
    with psycopg.connect(DB_URL) as conn:
        exists = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()[0]
    if not exists:
        app.schema_manager.apply_schema()


def raw_args(job_id: int) -> tuple[str, str]:
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(
            "select pg_typeof(args)::text, args::text from procrastinate_jobs where id = %s", (job_id,)
        ).fetchone()


if __name__ == "__main__":
    when = datetime.datetime(2030, 1, 2, 3, 4, 5)
    with app.open():
        prepare_database()
        job_id = greet.defer(name="Ada", tags=["x", "y"])
        try:
            greet.defer(name="Ada", tags=[], when=when)
            refused = ""
        except Exception as exc:  # the default encoder cannot write a datetime
            refused = f"{type(exc).__name__}: {exc}"
    with custom_app.open():
        custom_id = greet_custom.defer(name="Ada", when=when)

    column_type, raw = raw_args(job_id)
    _, custom_raw = raw_args(custom_id)
    assert column_type == "jsonb", column_type
    assert json.loads(raw) == {"name": "Ada", "tags": ["x", "y"]}, raw
    assert "not JSON serializable" in refused, f"datetime should be refused, got {refused!r}"
    assert json.loads(custom_raw)["when"] == "2030-01-02 03:04:05", custom_raw
    print(
        f"OBSERVED: args column is {column_type}, raw value {raw}; a datetime argument is refused by the default "
        f"encoder ({refused.splitlines()[0][:80]}); with json_dumps=json.dumps(default=str) it is stored as {custom_raw}"
    )
