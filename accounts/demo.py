"""Demo accounts: a viewer, a creator, an admin and a second member of staff, each with a verified email. Safe to run
again."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts import services
from accounts.models import Profile, User
from accounts.roles import Role
from core.maturity import Maturity

DEMO_PASSWORD = "wans-demo-2026"
DEMO_USERS = [
    ("viewer@wans.demo", "Demo Viewer", Role.VIEWER),
    ("creator@wans.demo", "Demo Creator", Role.CREATOR),
    ("admin@wans.demo", "Demo Admin", Role.SUPER_ADMIN),
    # A second member of staff: a payout run admin@wans.demo prepares is approved by someone else (four eyes).
    ("finance@wans.demo", "Demo Finance", Role.ADMIN),
]


@transaction.atomic
def seed() -> list[str]:
    lines = []
    for email, name, role in DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = services.user_create(email=email, password=DEMO_PASSWORD, display_name=name)
        elif not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        services.user_set_role(user=user, role=role)
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        lines.append(f"{role.value:>12}: {email} / {DEMO_PASSWORD}")
    viewer = User.objects.get(email="viewer@wans.demo")
    if not Profile.objects.filter(user=viewer, name="Kids").exists():
        services.profile_create(user=viewer, name="Kids", is_kids=True, maturity_limit=int(Maturity.G))
    return lines
