from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401  (registers the OpenAPI auth scheme)
        from accounts.roles import roles_sync_after_migrate

        # Bootstrap, like Django's own permissions: role groups exist after every migrate. Not limited to this app's
        # signal: the handler waits for the last app's, when every app's permissions exist.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts.roles_sync")
