"""Split rules: how a film's rights holders' share is divided between its payees. One rule set per film and scope
(model or every model, territory or every territory) at a time; at a sale's date the most specific in force wins:
model and territory, then model alone, then territory alone, then the film's catch-all. No rule set: all of it to
the film creator's own payee (services.payee_for_user)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from royalties.errors import RoyaltiesInvalid, SplitOverlap, SplitSumInvalid
from royalties.models import FULL_BPS, MODELS, Payee, SplitRuleSet

MODEL_CODES = {code for code, _ in MODELS}


@dataclass(frozen=True)
class RuleSet:
    id: int
    model: str
    territory: str
    valid_from: date
    valid_until: date | None
    shares: tuple[tuple[int, int], ...]  # (payee id, basis points), by payee id

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def specificity(self, *, model: str, territory: str | None) -> int | None:
        """How closely the set fits a sale (3: model and territory ... 0: catch-all), None if it does not apply."""
        if self.model and self.model != model:
            return None
        if self.territory and self.territory != territory:
            return None
        return 2 * bool(self.model) + bool(self.territory)


def split_check(
    *,
    film_id: int,
    model: str,
    territory: str,
    valid_from: date | None,
    valid_until: date | None,
    shares: list[tuple[int, int]],
    exclude_id: int | None = None,
) -> None:
    """Refuse a rule set that cannot stand: RoyaltiesInvalid naming the fields (unknown model, territory not a
    country code, no start, end not after start, a share outside 1..10000, a payee twice or unknown),
    SplitSumInvalid when the shares do not sum to exactly 10000 basis points, SplitOverlap when another set of the
    same film and scope is in force over some of the same dates (`exclude_id`: the set being edited)."""
    fields: dict[str, list[str]] = {}
    if model and model not in MODEL_CODES:
        fields["model"] = [f"Use one of: {', '.join(sorted(MODEL_CODES))}, or leave it blank for every model."]
    if territory and not (len(territory) == 2 and territory.isalpha() and territory.isupper()):
        fields["territory"] = ["Use a two-letter country code (PG), or leave it blank for every territory."]
    if valid_from is None:
        fields["valid_from"] = ["Give the first day the split applies to."]
    elif valid_until is not None and valid_until <= valid_from:
        fields["valid_until"] = ["The end must come after the start."]
    payee_ids = [payee_id for payee_id, _ in shares]
    if not shares:
        fields["shares"] = ["Give at least one payee's share."]
    elif len(set(payee_ids)) != len(payee_ids):
        fields["shares"] = ["A payee appears twice."]
    elif any(not 1 <= bps <= FULL_BPS for _, bps in shares):
        fields["shares"] = ["Each share is between 0.01% and 100% (1 to 10000 basis points)."]
    elif Payee.objects.filter(pk__in=payee_ids).count() != len(payee_ids):
        fields["shares"] = ["An unknown payee."]
    if fields:
        raise RoyaltiesInvalid(fields=fields)
    total = sum(bps for _, bps in shares)
    if total != FULL_BPS:
        raise SplitSumInvalid(
            f"The shares sum to {total / 100:g}%, not 100%.",
            fields={"shares": [f"They sum to {total} basis points; make them 10000."]},
            extra={"sum_bps": total},
        )
    overlapping = SplitRuleSet.objects.filter(film_id=film_id, model=model, territory=territory).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=valid_from)
    )
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lt=valid_until)
    if exclude_id is not None:
        overlapping = overlapping.exclude(pk=exclude_id)
    other = overlapping.order_by("valid_from").first()
    if other is not None:
        raise SplitOverlap(
            f"The split #{other.pk} of this film for the same model and territory runs from {other.valid_from}"
            f"{f' to {other.valid_until}' if other.valid_until else ''}: end it before this one starts.",
            fields={"valid_from": ["Overlaps another split of the same scope."]},
            extra={"rule_set_id": other.pk},
        )


def rule_sets_for(*, film_ids) -> dict[int, list[RuleSet]]:
    """Every rule set of these films with its shares (two queries)."""
    out: dict[int, list[RuleSet]] = defaultdict(list)
    for rule_set in SplitRuleSet.objects.filter(film_id__in=list(film_ids)).prefetch_related("shares"):
        out[rule_set.film_id].append(RuleSet(
            id=rule_set.pk, model=rule_set.model, territory=str(rule_set.territory or ""),
            valid_from=rule_set.valid_from, valid_until=rule_set.valid_until,
            shares=tuple(sorted((share.payee_id, share.share_bps) for share in rule_set.shares.all())),
        ))
    return out


def rule_set_for(rule_sets: list[RuleSet], *, model: str, territory: str | None, day: date) -> RuleSet | None:
    """The most specific rule set in force on `day` for a sale of `model` in `territory` (None: the film has none,
    so the creator's own payee takes all)."""
    best, best_fit = None, -1
    for rule_set in rule_sets:
        if not rule_set.in_force(day):
            continue
        fit = rule_set.specificity(model=model, territory=territory)
        if fit is not None and fit > best_fit:
            best, best_fit = rule_set, fit
    return best
