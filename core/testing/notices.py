"""What an event raised for a person (issue 15), for every app's tests: {(event, channel): status}."""


def notices(user, event: str | None = None) -> dict[tuple[str, str], str]:
    from notifications import selectors

    return {(row.event, row.channel): row.status for row in selectors.notifications_of(user=user, event=event)}
