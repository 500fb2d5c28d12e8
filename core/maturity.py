"""The maturity scale shared by profiles (their limit) and films (their rating). Ordered: lower is milder."""

from django.db import models


class Maturity(models.IntegerChoices):
    G = 0, "G"
    PG = 10, "PG"
    M = 20, "M"
    MA15 = 30, "MA15+"
    R18 = 40, "R18+"


KIDS_MAX = Maturity.PG
