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
        checks.register(_webhook_secret_check, checks.Tags.security)


def _channels_check(app_configs, **kwargs):
    from notifications.registry import unconfigured

    return [
        checks.Warning(f"The {name} notification channel's adapter cannot be loaded: nothing is sent by {name}.",
                       hint="Fix NOTIFICATIONS_CHANNELS or install the adapter.", id="notifications.W001")
        for name in unconfigured()
    ]


PUBLISHED_WEBHOOK_SECRET = "wans-anymail:local-webhook-secret-not-for-production"  # base.py's default


def _webhook_secret_check(app_configs, **kwargs):
    """In production with an email provider, its tracking webhooks (bounces suppress addresses) must not accept the
    published basic-auth secret."""
    from django.conf import settings

    if not (settings.WANS_PRODUCTION and settings.NOTIFICATIONS_EMAIL_ESP):
        return []
    if settings.ANYMAIL.get("WEBHOOK_SECRET") in ("", None, PUBLISHED_WEBHOOK_SECRET):
        return [checks.Warning("The email provider's tracking webhooks take the published basic-auth secret: anyone "
                               "could report bounces and suppress addresses.",
                               hint="Set ANYMAIL_WEBHOOK_SECRET (user:password) and give the provider that URL.",
                               id="notifications.W002")]
    return []
