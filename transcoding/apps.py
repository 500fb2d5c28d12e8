from django.apps import AppConfig


class TranscodingConfig(AppConfig):
    name = "transcoding"
    verbose_name = "Transcoding"

    def ready(self) -> None:
        # Register the Celery tasks in every process, not only in a worker (which discovers them): services.py sends
        # transcoding.run_job by name, and a registered task honours CELERY_TASK_ALWAYS_EAGER where send_task would not.
        from transcoding import (
            checks,  # noqa: F401, PLC0415  (registers the production key-master check)
            tasks,  # noqa: F401, PLC0415
        )
