"""Serializer: Celery sends task messages as JSON by default; read the raw message from the broker.

Proves: with default settings the message's content type is application/json and its body is plain JSON
`[args, kwargs, embed]`; `accept_content` is ["json"] so a worker refuses pickle unless you opt in; a call
can switch format (`serializer="pickle"`), which shows up in the raw message too. No worker is needed.
"""

import base64
import json
import os

from celery import Celery

NS = os.environ.get("WQ_NAMESPACE", "demo")
BROKER_URL = os.environ.get("BROKER_URL", "redis://127.0.0.1:6379/0")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"{NS}-serializer"

# --8<-- [start:example]
app = Celery("serializer", broker=BROKER_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_transport_options={"global_keyprefix": f"{NS}:"},
    result_backend_transport_options={"global_keyprefix": f"{NS}:"},
)


@app.task
def greet(name: str, punctuation: str = "!") -> str:
    return f"hello {name}{punctuation}"


def read_raw(queue: str) -> tuple[str, bytes]:
    """Take one message off the broker queue, undecoded: (content type, body bytes)."""
    with app.connection_for_read() as conn:
        if conn.transport_cls == "redis":
            # Redis: the message is a JSON envelope in a list; the body inside is base64 text.
            client = conn.default_channel.client
            envelope = json.loads(client.rpop(queue))
            return envelope["content-type"], base64.b64decode(envelope["body"])
        message = conn.default_channel.basic_get(queue, no_ack=True)  # AMQP: the raw frame body
        body = message.body  # py-amqp hands utf-8 bodies over as str
        return message.content_type, body.encode() if isinstance(body, str) else body


if __name__ == "__main__":
    greet.delay("ada", punctuation="?")  # default settings
    content_type, body = read_raw(QUEUE)
    # --8<-- [end:example]
    assert content_type == "application/json", content_type
    args, kwargs, _embed = json.loads(body)
    assert args == ["ada"] and kwargs == {"punctuation": "?"}, body
    assert app.conf.task_serializer == "json" and list(app.conf.accept_content) == ["json"], (
        app.conf.task_serializer,
        app.conf.accept_content,
    )

    greet.apply_async(("bob",), serializer="pickle")  # opt-in per call (or task_serializer)
    pickled_type, pickled_body = read_raw(QUEUE)
    assert pickled_type == "application/x-python-serialize", pickled_type
    assert pickled_body[:1] == b"\x80", pickled_body[:10]  # pickle protocol marker

    print(
        f"OBSERVED: default content-type {content_type}, body {body.decode()}; "
        f"accept_content {list(app.conf.accept_content)}; serializer='pickle' gives {pickled_type}"
    )
