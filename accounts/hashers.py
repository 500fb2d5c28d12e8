from django.contrib.auth.hashers import BCryptPasswordHasher


class BCrypt12PasswordHasher(BCryptPasswordHasher):
    """Plain bcrypt at 12 rounds, as imported accounts carry it. Accepted at login, then upgraded to Argon2id."""

    rounds = 12
