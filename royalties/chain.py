"""Tamper evidence: each closed statement's canonical content (JSON with sorted keys, no spaces, integer amounts,
rates as decimal strings, times in ISO 8601) is hashed with sha256, and the content includes the hash of the payee's
previous statement (across currencies, in closing order: `sequence`), so that editing any closed statement, or
removing one, breaks every hash after it. `chains_verify` recomputes every chain (manage.py royalties_verify, the
admin's chain check). Anchoring the chain on a public ledger is left for later: someone able to rewrite every
statement of a payee and every hash after it is not caught here."""

import hashlib
import json
from dataclasses import dataclass, field

from royalties.models import Statement

GENESIS = "0" * 64
VERSION = 1


def content_of(statement: Statement) -> dict:
    """The statement's canonical content: every stored field but its own hash and the email timestamp."""
    return {
        "v": VERSION,
        "payee_id": statement.payee_id,
        "period": statement.period.isoformat()[:7],
        "currency": statement.currency,
        "sequence": statement.sequence,
        "opening_minor": statement.opening_minor,
        "earnings_minor": statement.earnings_minor,
        "adjustments_minor": statement.adjustments_minor,
        "withholding_minor": statement.withholding_minor,
        "payouts_minor": statement.payouts_minor,
        "closing_minor": statement.closing_minor,
        "lines": statement.lines,
        "display_currency": statement.display_currency,
        "rates_on": statement.rates_on.isoformat() if statement.rates_on else "",
        "rate": statement.rate,
        "display_rate": statement.display_rate,
        "closed_at": statement.closed_at.isoformat(),
        "previous_hash": statement.previous_hash,
    }


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def hash_of(statement: Statement) -> str:
    return hashlib.sha256(canonical(content_of(statement))).hexdigest()


@dataclass(frozen=True)
class Break:
    payee_id: int
    payee_name: str
    statement_id: int | None
    label: str  # "2026-10 PGK (#3)"
    what: str  # "hash", "previous_hash", "sequence"
    expected: str
    stored: str

    def describe(self) -> str:
        return (f"payee {self.payee_id} ({self.payee_name}), statement {self.statement_id} {self.label}: {self.what} "
                f"expected {self.expected}, stored {self.stored}")


@dataclass
class ChainReport:
    payees: int = 0
    statements: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first_break(self) -> Break | None:
        return self.breaks[0] if self.breaks else None


def chains_verify(*, payee_id: int | None = None) -> ChainReport:
    """Recompute every payee's chain (or one payee's) in sequence order; report each payee's first break (a
    recomputed hash differing from the stored one, a previous_hash that is not the previous statement's hash, a gap
    in the sequence: a statement removed). Reads the statements in one query, payee by payee in id order."""
    report = ChainReport()
    rows = Statement.objects.select_related("payee").order_by("payee_id", "sequence")
    if payee_id is not None:
        rows = rows.filter(payee_id=payee_id)
    current, previous, expected_sequence, broken = None, GENESIS, 1, False
    for statement in rows.iterator(chunk_size=2000):
        if statement.payee_id != current:
            current, previous, expected_sequence, broken = statement.payee_id, GENESIS, 1, False
            report.payees += 1
        report.statements += 1
        if broken:
            continue
        label = f"{statement.period:%Y-%m} {statement.currency} (#{statement.sequence})"
        found = None
        if statement.sequence != expected_sequence:
            found = ("sequence", str(expected_sequence), str(statement.sequence))
        elif statement.previous_hash != previous:
            found = ("previous_hash", previous, statement.previous_hash)
        else:
            recomputed = hash_of(statement)
            if recomputed != statement.hash:
                found = ("hash", recomputed, statement.hash)
        if found is not None:
            report.breaks.append(Break(statement.payee_id, statement.payee.name, statement.pk, label, *found))
            broken = True
            continue
        previous, expected_sequence = statement.hash, expected_sequence + 1
    return report
