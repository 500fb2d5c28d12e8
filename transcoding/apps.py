from django.apps import AppConfig


class TranscodingConfig(AppConfig):
    name = "transcoding"
    verbose_name = "Transcoding"

    def ready(self) -> None:
        from transcoding import checks  # noqa: F401  (registers the production key-master check)
