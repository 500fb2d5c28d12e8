"""Every staff action of the console in django-auditlog's log: who (actor, address), when, what (the object and the
action's name), before/after (auditlog's `changes`: {field: [before, after]}) and why. Read in the admin under
Auditlog > Log entries (auditlog's read-only, filterable list)."""

from auditlog.models import LogEntry


def staff_action_record(*, request, action: str, target, before: dict, after: dict, why: str = "") -> LogEntry:
    changes = {field: [str(before.get(field)), str(after.get(field))] for field in sorted(set(before) | set(after))}
    return LogEntry.objects.log_create(
        target,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes=changes,
        actor=request.user,
        remote_addr=request.META.get("REMOTE_ADDR"),
        additional_data={"action": action, "why": why[:2000]},
    )
