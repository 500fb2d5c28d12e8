from django.db import models


class Console(models.Model):
    """No table: the holder of the console's permissions, which roles give (accounts/roles.py) and every panel and
    action checks. Admins get the panels; super admins (superusers) everything."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_overview", "See the console's overview"),
            ("view_pending", "See the pending actions"),
            ("review_film", "Approve or reject films"),
            ("manage_jobs", "Watch, retry and cancel transcoding jobs"),
            ("view_health", "See system health"),
            ("manage_people", "Find people, suspend, reactivate and sign them out"),
            ("grant_access", "Grant a complimentary subscription or film access"),
            ("export_person", "Download a person's data"),
            ("erase_person", "Erase a person's personal data"),
        ]

    def __str__(self) -> str:
        return "console"
