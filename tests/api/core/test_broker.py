"""The embedded broker: messages written while a reader polls arrive whole, every one."""

from __future__ import annotations

import threading

from kombu import Connection

from api.core.broker import Transport

MESSAGES = 100
# Large enough that writing one takes a while: kombu's stock transport fails this test within the
# first few messages (a reader catches a file half written and cannot decode it).
PADDING = "x" * 200_000


def test_a_reader_polling_while_messages_are_written_gets_every_message_whole(tmp_path):
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "store_processed": False,
        "polling_interval": 0,
    }
    received: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        with Connection(transport=Transport, transport_options=options) as connection:
            queue = connection.SimpleQueue("jobs")
            try:
                while len(received) < MESSAGES:
                    message = queue.get(timeout=10)
                    received.append(message.payload["n"])
                    message.ack()
            except BaseException as exc:  # the thread reports whatever stopped it
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    with Connection(transport=Transport, transport_options=options) as connection:
        queue = connection.SimpleQueue("jobs")
        for number in range(MESSAGES):
            queue.put({"n": number, "padding": PADDING})
    reader.join(timeout=60)

    assert errors == []
    assert sorted(received) == list(range(MESSAGES))
    assert not [name for name in (p.name for p in tmp_path.iterdir()) if name.startswith(".put-")]
