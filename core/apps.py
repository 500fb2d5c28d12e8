from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import folders, strict_text

        strict_text.install()
        folders.local_folders_make()  # start-up, not settings import: reading the settings makes no folder
