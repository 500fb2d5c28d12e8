"""Royalties' coded refusals."""

from core.exceptions import DomainError, InvalidInput


class RoyaltiesError(DomainError):
    """Base of royalties' coded refusals."""


class RoyaltiesInvalid(InvalidInput):
    """A field of a royalties rule is wrong (named in `fields`)."""

    code = "royalties_invalid"


class SplitSumInvalid(InvalidInput):
    """A split's shares do not sum to exactly 100% (10000 basis points)."""

    code = "split_sum_not_100"
    message = "The shares of a split must sum to exactly 100%."


class SplitOverlap(RoyaltiesError):
    """Another split of the same film and scope (model, territory) is in force over some of the same dates."""

    code = "split_overlap"
    http_status = 409
    message = "Another split of this film, model and territory covers some of these dates: end it first."


class PeriodNotOver(RoyaltiesError):
    code = "period_not_over"
    http_status = 409
    message = "A month is closed only once it has ended."


class PeriodOrder(RoyaltiesError):
    """Months close in order: none after a closed month may be skipped, none before it closed late."""

    code = "period_order"
    http_status = 409
    message = "Months are closed in order."


class StatementClosed(RoyaltiesError):
    code = "statement_closed"
    http_status = 409
    message = "A closed statement never changes; a correction lands in the next month as an adjustment."
