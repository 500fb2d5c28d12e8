"""Bank files: the payouts of a run on the bank rail, written in the layout the platform's bank imports for a bulk
payment, and the bank's confirmation read back. BSP's first (docs/payouts.md, "The bank file"); another bank is a
subclass of BankFileAdapter registered in BANK_FILE_FORMATS and chosen by PAYOUTS_BANK_FILE_FORMAT."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from payouts.errors import PayoutsInvalid


@dataclass(frozen=True)
class BankLine:
    reference: str
    bank: str
    branch_code: str
    account_number: str
    account_name: str
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class Confirmation:
    """One line of the bank's answer: the payout with our reference was paid or returned."""

    reference: str
    status: str  # paid or returned
    bank_ref: str
    reason: str


def major(amount_minor: int) -> str:
    """Minor units as the bank writes an amount: 123450 -> "1234.50" (integer arithmetic, never a float)."""
    return f"{amount_minor // 100}.{amount_minor % 100:02d}"


_NOT_ALLOWED = re.compile(r"[^A-Z0-9 ./&-]")


def clean(text: str, length: int) -> str:
    """Upper-case ASCII letters, digits and ` ./&-`, at most `length` characters, never starting with a sign (a
    spreadsheet would read `-x` or `=x` as a formula)."""
    value = _NOT_ALLOWED.sub(" ", text.upper())
    return re.sub(r"\s+", " ", value).strip().lstrip("-+=@ ")[:length].strip()


class BankFileAdapter:
    code = ""
    label = ""
    content_type = "text/csv"

    def filename(self, *, run_reference: str, value_date: date) -> str:
        raise NotImplementedError

    def render(self, *, run_reference: str, value_date: date, lines: list[BankLine]) -> bytes:
        raise NotImplementedError

    def parse_confirmation(self, *, content: bytes) -> list[Confirmation]:
        raise NotImplementedError


class BspBankFile(BankFileAdapter):
    """BSP's bulk payment import, as a CSV of three record types (docs/payouts.md has every column):

        H,<originator>,<debit account>,<batch reference>,<value date YYYYMMDD>,<currency>,<count>,<total>
        D,<sequence>,<bank>,<branch code>,<account number>,<account name>,<amount>,<reference>,<narrative>
        T,<count>,<total>

    Amounts in kina with two decimals; names and narratives upper-case ASCII. The confirmation BSP returns (or staff
    key from its report) is `reference,status,bank_ref,reason` with status PAID or RETURNED, a header line allowed."""

    code = "bsp"
    label = "BSP bulk payment (CSV)"

    def __init__(self, *, originator: str | None = None, debit_account: str | None = None):
        self.originator = clean(originator or settings.PAYOUTS_BANK_ORIGINATOR, 32)
        self.debit_account = re.sub(r"\D", "", debit_account or settings.PAYOUTS_BANK_DEBIT_ACCOUNT)

    def filename(self, *, run_reference: str, value_date: date) -> str:
        return f"bsp-{run_reference.lower()}-{value_date:%Y%m%d}.csv"

    def render(self, *, run_reference: str, value_date: date, lines: list[BankLine]) -> bytes:
        currencies = {line.currency for line in lines}
        if currencies - {"PGK"}:
            raise PayoutsInvalid(f"A BSP bank file pays kina only, not {', '.join(sorted(currencies - {'PGK'}))}.")
        total = sum(line.amount_minor for line in lines)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["H", self.originator, self.debit_account, clean(run_reference, 16), f"{value_date:%Y%m%d}",
                         "PGK", len(lines), major(total)])
        for sequence, line in enumerate(lines, start=1):
            writer.writerow([
                "D", sequence, line.bank, line.branch_code, line.account_number, clean(line.account_name, 32),
                major(line.amount_minor), line.reference, clean(f"WANS ROYALTIES {run_reference}", 30),
            ])
        writer.writerow(["T", len(lines), major(total)])
        return out.getvalue().encode("ascii")

    def parse_confirmation(self, *, content: bytes) -> list[Confirmation]:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PayoutsInvalid("The confirmation file is not text (UTF-8 CSV).",
                                 fields={"confirmation": ["Not a UTF-8 CSV file."]}) from exc
        found, problems = [], []
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells) or (number == 1 and cells[0].lower() == "reference"):
                continue
            if len(cells) < 2 or cells[1].upper() not in ("PAID", "RETURNED"):
                problems.append(f"line {number}: expected reference,PAID|RETURNED,bank_ref,reason")
                continue
            cells += [""] * (4 - len(cells))
            found.append(Confirmation(reference=cells[0].upper()[:16], status=cells[1].lower(),
                                      bank_ref=cells[2][:100], reason=cells[3][:300]))
        if problems:
            raise PayoutsInvalid("; ".join(problems[:5]), fields={"confirmation": problems[:20]})
        return found


BANK_FILE_FORMATS: dict[str, type[BankFileAdapter]] = {BspBankFile.code: BspBankFile}
