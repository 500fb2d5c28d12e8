from django.contrib.admin.apps import AdminConfig


class ConsoleAdminConfig(AdminConfig):
    """django.contrib.admin with the console's site as the default one, so that every app's admin.py registers on
    it and the index is the console's overview. Its own module: console.apps may declare one AppConfig only."""

    default_site = "console.sites.ConsoleAdminSite"
