"""The embedded default's broker: kombu's filesystem transport, with messages written atomically.

Kombu's own transport creates a message file and then writes it, while a worker moves and reads
files without taking their lock: a worker polling at that instant reads an empty file, fails to
decode it, and stops. Here a message is written to a hidden temporary file in the same folder and
renamed into place, so that a reader only ever sees whole messages.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from typing import Any

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # kombu-stubs disagree between the two base classes; this matches filesystem.Channel.
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        # Named as kombu names messages, so that they are read in the order they were sent.
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        descriptor, temporary = tempfile.mkstemp(prefix=".put-", dir=self.data_folder_out)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(temporary, os.path.join(self.data_folder_out, name))
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise


class Transport(filesystem.Transport):
    Channel = Channel
