"""Advances recouped first from a film's pool, in one currency, nothing stored but the allocations themselves.

An advance's recouped-to-date is always the function of the film's pool allocated since the advance's first month
(`pool`, from past Allocation rows plus this close's so far):

    recouped = min(advance, recoup_bps x max(0, pool - what earlier advances of the film and currency recouped))

rounded down. Each allocation's recoupment is that function's change: a sale recoups (its recoup_bps share, until the
advance is recouped), and a refund gives back only what the pool's fall below the advance's threshold takes back; a
refund of a sale made after the advance was recouped comes out of the splits alone. The recouped amount so far is
the sum of the advance's `recoup` rows, which always equals the function: there is no counter to drift."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Sum

from royalties.arithmetic import portion_down
from royalties.models import Advance, Allocation

POOL_KINDS = (Allocation.Kind.SHARE, Allocation.Kind.RECOUP)
POOL_SECTIONS = (Allocation.Section.EARNINGS, Allocation.Section.ADJUSTMENT)


class Recoupment:
    """The advances of these films in force for a close ending at `end` (their first month not after it)."""

    def __init__(self, *, film_ids: set[int], end: datetime):
        self.advances: dict[tuple, list[Advance]] = defaultdict(list)
        found = list(Advance.objects.filter(film_id__in=film_ids, starts_on__lt=end.date()).order_by("starts_on", "id"))
        for advance in found:
            self.advances[(advance.film_id, advance.currency)].append(advance)
        self.recouped = {advance.pk: 0 for advance in found}
        self.recouped.update(
            Allocation.objects.filter(advance__in=found, kind=Allocation.Kind.RECOUP).values_list("advance_id")
            .annotate(total=Sum("amount_minor")).order_by()
        )
        allocated = (
            Allocation.objects.filter(film_id__in={a.film_id for a in found}, kind__in=POOL_KINDS,
                                      section__in=POOL_SECTIONS)
            .values_list("film_id", "currency", "period").annotate(total=Sum("amount_minor")).order_by()
        )
        self.pool = {advance.pk: 0 for advance in found}
        for film_id, currency, period, total in allocated:
            for advance in self.advances.get((film_id, currency), []):
                if period >= advance.starts_on.replace(day=1):
                    self.pool[advance.pk] += total

    def take(self, *, film_id: int | None, currency: str, amount: int) -> list[tuple[Advance, int]]:
        """Add `amount` (any sign) to the film's pool; return what each advance recoups of it (any sign)."""
        taken, earlier = [], 0
        for advance in self.advances.get((film_id, currency), []):
            self.pool[advance.pk] += amount
            target = min(advance.amount_minor,
                         max(0, portion_down(self.pool[advance.pk] - earlier, advance.recoup_bps)))
            change = target - self.recouped[advance.pk]
            self.recouped[advance.pk] = target
            earlier += target
            if change:
                taken.append((advance, change))
        total = sum(change for _, change in taken)
        if not (0 <= total <= amount or amount <= total <= 0):  # the function's change never exceeds the amount
            raise AssertionError(f"recoupment {total} out of the pool's {amount} (film {film_id} {currency})")
        return taken


def recouped_to_date(*, advance_ids: list[int]) -> dict[int, int]:
    """{advance id: what it has recouped in closed and closing months} (one query); an advance with nothing yet is
    left out."""
    return dict(Allocation.objects.filter(advance_id__in=advance_ids, kind=Allocation.Kind.RECOUP)
                .values_list("advance_id").annotate(total=Sum("amount_minor")).order_by())
