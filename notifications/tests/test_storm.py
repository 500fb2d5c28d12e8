"""The storm (issue 15): 1,000 events, 30 % of them raised again, from 8 threads on Postgres, while tasks are
duplicated and retried at random, the sweep runs beside them and the SMS gateway fails now and then: every
notification is delivered exactly once per channel."""

import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications import selectors, services
from notifications.channels.base import ChannelError
from notifications.models import Notification
from notifications.tests import adapters

EVENTS, DUPLICATES, THREADS, PEOPLE = 1000, 0.3, 8, 40
pytestmark = [
    pytest.mark.slow,  # about 25 s on a shared 2-core machine
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="8 writers at once: Postgres"),
]


class FlakySms(adapters.RecordingSms):
    """The gateway answers 503 one time in ten (before anything is sent)."""

    def send(self, message):
        if random.random() < 0.1:
            raise ChannelError("gateway answered 503", retryable=True)
        return super().send(message)


class Email(adapters.RecordingEmail):
    pass


def test_storm_delivers_each_notification_exactly_once_per_channel(settings, make_user):
    settings.NOTIFICATIONS_CHANNELS = {"email": f"{__name__}.Email", "sms": f"{__name__}.FlakySms",
                                       "push": "notifications.tests.adapters.RecordingPush"}
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 20
    settings.NOTIFICATIONS_DAILY_CAP = 10_000
    people = []
    for n in range(PEOPLE):
        user = make_user("viewer")
        services.delivery_settings_update(user=user, time_zone="Pacific/Port_Moresby", quiet_start=None,
                                          quiet_end=None, language="", phone=f"+6757{n:07d}")
        services.push_subscription_save(user=user, endpoint=f"https://push.example.test/{n}", p256dh="k", auth="a")
        people.append(user)
    adapters.reset()
    rng = random.Random(15)
    unique = [(f"storm-{i}", rng.choice(people)) for i in range(int(EVENTS * (1 - DUPLICATES)))]
    raises = unique + [rng.choice(unique) for _ in range(EVENTS - len(unique))]
    rng.shuffle(raises)
    lock, errors, extra_tasks = threading.Lock(), [], Counter()

    def worker(share):
        local = random.Random(threading.get_ident())
        try:
            for key, user in share:
                with transaction.atomic():  # the owning app's transaction; sending follows its commit
                    services.notify(event="payment_failed", user=user, key=key, context={
                        "reference": key, "amount_minor": 2500, "currency": "PGK", "item": "Standard",
                        "reason": "Declined."})
                if local.random() < 0.3:  # a duplicated or retried task for some row
                    row = selectors.notifications_of(user=user).exclude(channel="in_app").order_by("?").first()
                    if row is not None:
                        services.notification_send(notification_id=row.pk)
                        with lock:
                            extra_tasks["send"] += 1
                if local.random() < 0.02:  # beat's sweep running beside them
                    services.outbox_sweep(now=timezone.now() + timezone.timedelta(minutes=2))
                    with lock:
                        extra_tasks["sweep"] += 1
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(raises[n::THREADS],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for _ in range(40):  # the retries the gateway's failures left: due now, swept until none is left
        pending = Notification.objects.exclude(status__in=["sent"])
        if not pending.exists():
            break
        pending.filter(status="failed").update(next_attempt_at=timezone.now())
        services.outbox_sweep(now=timezone.now() + timezone.timedelta(minutes=2))
    seconds = time.monotonic() - started

    rows = Counter(Notification.objects.filter(event="payment_failed").values_list("channel", "status"))
    delivered = Counter(message.channel for message in adapters.SENT)
    per_message = Counter(adapters.COUNTS.values())
    print(f"\nstorm: {len(raises)} events ({len(unique)} distinct) from {THREADS} threads in {seconds:.1f} s; "
          f"{extra_tasks['send']} extra send tasks, {extra_tasks['sweep']} concurrent sweeps; rows {dict(rows)}; "
          f"delivered {dict(delivered)}; deliveries per (message, address): {dict(per_message)}")
    assert rows == {(channel, "sent"): len(unique) for channel in ("email", "sms", "push", "in_app")}
    assert delivered == {"email": len(unique), "sms": len(unique), "push": len(unique)}
    assert per_message == {1: 3 * len(unique)}
