from core.exceptions import DomainError


class RoyaltiesError(DomainError):
    """Base of royalties' coded refusals."""
