"""Roles are Django groups, so the admin console manages them. Each role's permissions are declared here once."""

from enum import StrEnum

from django.contrib.auth.models import Group, Permission


class Role(StrEnum):
    VIEWER = "viewer"
    CREATOR = "creator"
    ADMIN = "admin"
    SUPER_ADMIN = "super admin"


# app_label.codename. Later apps add their own lines (catalog: add_film for creators, and so on).
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.VIEWER: [],
    Role.CREATOR: ["accounts.view_creatorprofile", "accounts.change_creatorprofile"],
    Role.ADMIN: [
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_profile",
        "accounts.change_profile",
        "accounts.view_device",
        "accounts.change_device",
        "accounts.view_creatorprofile",
        "accounts.add_creatorprofile",
        "accounts.change_creatorprofile",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "catalog.view_film",
        "catalog.change_film",
        "catalog.view_genre",
        "catalog.add_genre",
        "catalog.change_genre",
        "catalog.view_person",
        "catalog.add_person",
        "catalog.change_person",
        "catalog.view_tag",
        "catalog.add_tag",
        "catalog.change_tag",
        "billing.view_plan",
        "billing.change_plan",
        "billing.view_planprice",
        "billing.add_planprice",
        "billing.change_planprice",
        "billing.view_coupon",
        "billing.add_coupon",
        "billing.change_coupon",
        "billing.view_couponamount",
        "billing.add_couponamount",
        "billing.change_couponamount",
        "billing.view_subscription",
        "billing.view_payment",
        "billing.change_payment",
        "billing.view_entitlement",
        "billing.view_ledgertransaction",
        "billing.view_ledgeraccount",
        "billing.view_providerevent",
        "billing.view_royaltyrule",
        "billing.add_royaltyrule",
        "billing.change_royaltyrule",
        "billing.view_watchtime",
        "playback.view_qoeevent",
        "console.view_overview",
        "console.view_pending",
        "console.review_film",
        "console.manage_jobs",
        "console.view_health",
        "console.manage_people",
        "console.grant_access",
        "console.export_person",
        "auditlog.view_logentry",
        # notifications (issue 15): the outbox and its dead letters (send again), previews, suppressed addresses
        "notifications.view_notification",
        "notifications.change_notification",
        "notifications.view_suppression",
        "notifications.add_suppression",
        "notifications.delete_suppression",
        "notifications.view_preference",
        "notifications.view_deliverysettings",
        "notifications.view_pushsubscription",
        "notifications.view_follow",
        # Payouts (issue 14): accounts and holds, runs (prepare, approve someone else's, execute, confirm the bank's
        # answers). Four eyes: payouts.services refuses the preparer's own approval whatever the permissions.
        "royalties.view_payee",
        "payouts.view_payeeaccount",
        "payouts.add_payeeaccount",
        "payouts.verify_payeeaccount",
        "payouts.view_payouthold",
        "payouts.add_payouthold",
        "payouts.change_payouthold",
        "payouts.view_payeethreshold",
        "payouts.add_payeethreshold",
        "payouts.change_payeethreshold",
        "payouts.delete_payeethreshold",
        "payouts.view_payoutrun",
        "payouts.prepare_payoutrun",
        "payouts.approve_payoutrun",
        "payouts.execute_payoutrun",
        "payouts.confirm_payoutrun",
        "payouts.view_payout",
    ],
    Role.SUPER_ADMIN: [],  # superusers hold every permission (console.erase_person is theirs alone)
}
STAFF_ROLES = {Role.ADMIN, Role.SUPER_ADMIN}
# Highest first: a user in several groups shows as the highest.
ROLE_ORDER = [Role.SUPER_ADMIN, Role.ADMIN, Role.CREATOR, Role.VIEWER]


def roles_sync() -> dict[Role, Group]:
    """Create the role groups and set their permissions to exactly what ROLE_PERMISSIONS says. Idempotent."""
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:  # an app not migrated yet gets its permissions on its own migrate
                wanted.append(permission)
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def roles_sync_after_migrate(*, app_config=None, **kwargs) -> None:
    """post_migrate is sent once per app, in INSTALLED_APPS order, each time after that app's permissions are made.
    Sync on the last app's signal, so that the roles get the permissions of apps listed after accounts too."""
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is None or app_config is last:
        roles_sync()
