"""Channel adapters for the outbox's tests: they record what they were handed (thread-safe, for the storm test) and
can be told to fail. The real SMS and web-push adapters (notifications/channels/sms.py, push.py) are tested on their
own against their fakes; here the outbox's side of the contract (notifications/channels/base.py) is what is tested."""

import threading
from collections import Counter

from notifications.channels.base import ChannelError, Outgoing, Sent

SENT: list[Outgoing] = []
COUNTS: Counter = Counter()
_LOCK = threading.Lock()
FAIL: dict[str, ChannelError | None] = {"sms": None, "push": None, "email": None}


def reset() -> None:
    with _LOCK:
        SENT.clear()
        COUNTS.clear()
    FAIL.update({"sms": None, "push": None, "email": None})


class _Recording:
    name = ""

    def send(self, message: Outgoing) -> Sent:
        failure = FAIL.get(self.name)
        if failure is not None:
            raise failure
        with _LOCK:
            SENT.append(message)
            COUNTS[(message.idempotency_key, message.to)] += 1
        return Sent(provider_id=f"{self.name}-{len(SENT)}", segments=1 if self.name == "sms" else None)


class RecordingSms(_Recording):
    name = "sms"


class RecordingPush(_Recording):
    name = "push"


class RecordingEmail(_Recording):
    name = "email"
