"""Serializer: Huey pickles task messages and results by default (Serializer -> pickle.HIGHEST_PROTOCOL,
protocol 5 on Python 3.8+). The raw message in the Redis list starts with the pickle opcode b"\\x80\\x05"
and is not JSON. Formats are switched by passing `serializer=` a Serializer (subclass): built in are
gzip/zlib compression (`compression=True`) and an HMAC-signed pickle (`SignedSerializer`); JSON would be
your own subclass. Anyone who can write to the Redis list can make the consumer unpickle anything.

Proves: serializer. Reads the raw messages straight from Redis while no consumer runs.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle

from huey import RedisHuey
from huey.serializer import SignedSerializer

NS = os.environ.get("WQ_NAMESPACE", "demo")
URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")

# --8<-- [start:example]
# clean_name=False: keep the namespace's dashes, so every Redis key carries it verbatim.
huey = RedisHuey(f"{NS}-ser", url=URL, clean_name=False)  # default serializer: pickle
gzipped = RedisHuey(f"{NS}-ser-gz", url=URL, clean_name=False, compression=True)
signed = RedisHuey(f"{NS}-ser-signed", url=URL, clean_name=False, serializer=SignedSerializer(secret="change-me"))


@huey.task()
def greet(name: str) -> str:
    return f"hello {name}"


@gzipped.task()
def greet_gzipped(name: str) -> str:
    return f"hello {name}"


@signed.task()
def greet_signed(name: str) -> str:
    return f"hello {name}"


# --8<-- [end:example]


def raw_message(instance: RedisHuey) -> bytes:
    """The serialized task exactly as it sits in the Redis list (huey.redis.<name>)."""
    (data,) = instance.storage.conn.lrange(instance.storage.queue_key, 0, -1)
    return data


if __name__ == "__main__":
    from _worker import purge

    try:
        greet("pickle")  # no consumer runs: the messages stay in Redis for us to read
        greet_gzipped("gzip")
        greet_signed("signed")

        raw = raw_message(huey)
        assert huey.storage.conn.type(huey.storage.queue_key) == b"list"
        assert raw[:2] == b"\x80\x05", f"expected pickle protocol 5, got {raw[:8]!r}"
        message = pickle.loads(raw)  # a huey.registry.Message namedtuple
        assert type(message).__name__ == "Message" and message.args == ("pickle",), message
        try:
            json.loads(raw)
            raise AssertionError("the default message should not be JSON")
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass

        raw_gz = raw_message(gzipped)
        assert raw_gz[:2] == b"\x1f\x8b", f"compression=True should gzip: {raw_gz[:4]!r}"
        assert pickle.loads(gzip.decompress(raw_gz)).args == ("gzip",), "gzip wraps a pickle"

        raw_signed = raw_message(signed)
        body, signature = raw_signed.rsplit(b":", 1)
        assert len(signature) == 40 and pickle.loads(body).args == ("signed",), "pickle + ':' + HMAC-SHA1 hex"
        print(
            f"OBSERVED: default message {len(raw)} bytes starting {raw[:2]!r} (pickle protocol 5, "
            f"{type(message).__name__} namedtuple, not JSON); compression=True -> gzip {raw_gz[:2]!r}; "
            f"SignedSerializer -> pickle + ':' + 40-char HMAC"
        )
    finally:
        purge(huey), purge(gzipped), purge(signed)
