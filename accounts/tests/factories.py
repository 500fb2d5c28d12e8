import factory
from allauth.account.models import EmailAddress

from accounts import services
from accounts.models import User

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified viewer with one profile, made through the same service sign-up uses."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")

    @classmethod
    def _create(cls, model_class, *args, verified=True, **kwargs):
        user = services.user_create(
            email=kwargs["email"], password=kwargs.pop("password", PASSWORD), display_name=kwargs["display_name"]
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
        return user
