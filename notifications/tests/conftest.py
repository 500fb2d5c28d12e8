import pytest

from notifications.tests import adapters

ADAPTERS = "notifications.tests.adapters"


@pytest.fixture(autouse=True)
def channels(settings):
    """Email through Django's (locmem) backend; SMS and push through recording adapters of the contract."""
    adapters.reset()
    settings.NOTIFICATIONS_CHANNELS = {
        "email": "notifications.channels.email.EmailChannel",
        "sms": f"{ADAPTERS}.RecordingSms",
        "push": f"{ADAPTERS}.RecordingPush",
    }
    yield adapters
    adapters.reset()


@pytest.fixture
def reachable(db):
    """reachable(user, phone=..., push=True): give a person a phone number and a push subscription."""
    from notifications import services

    def make(user, *, phone="+67571234567", push=True):
        services.delivery_settings_update(user=user, time_zone="Pacific/Port_Moresby", quiet_start=None,
                                          quiet_end=None, language="", phone=phone)
        if push:
            services.push_subscription_save(user=user, endpoint=f"https://push.example.test/sub/{user.pk}",
                                            p256dh="BPublicKeyOfTheBrowser", auth="authsecret")
        return user

    return make

