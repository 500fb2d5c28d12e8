from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from anymail.signals import tracking

        from notifications import tasks  # noqa: F401  (registers the tasks in every process)
        from notifications.tracking import on_tracking

        tracking.connect(on_tracking, dispatch_uid="notifications.tracking")
        checks.register(_channels_check)


def _channels_check(app_configs, **kwargs):
    from notifications.registry import unconfigured

    return [
        checks.Warning(f"The {name} notification channel's adapter cannot be loaded: nothing is sent by {name}.",
                       hint="Fix NOTIFICATIONS_CHANNELS or install the adapter.", id="notifications.W001")
        for name in unconfigured()
    ]
