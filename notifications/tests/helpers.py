"""Small helpers of the notifications tests."""


def rows(user, **filters):
    """{(event, channel): status} of a person's notifications."""
    from notifications.models import Notification

    return {(row.event, row.channel): row.status for row in Notification.objects.filter(user=user, **filters)}
