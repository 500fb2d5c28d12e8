from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payouts"
    verbose_name = "Payouts"

    def ready(self) -> None:
        from payouts import checks  # noqa: F401  (registers the production checks)
