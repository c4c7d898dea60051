"""Read postings in python-jobspy's CSV layout (its 34 columns) without pandas.

The stdlib reader keeps pandas (about 200 MB with numpy) off every path but the scraper.
A file whose header lacks JobSpy's identifying columns is rejected whole; a row that
cannot be a posting is skipped with its reason, and the rest of the file still loads.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources

JOBSPY_COLUMNS: tuple[str, ...] = (
    "id",
    "site",
    "job_url",
    "job_url_direct",
    "title",
    "company",
    "location",
    "date_posted",
    "job_type",
    "salary_source",
    "interval",
    "min_amount",
    "max_amount",
    "currency",
    "is_remote",
    "job_level",
    "job_function",
    "listing_type",
    "emails",
    "description",
    "company_industry",
    "company_url",
    "company_logo",
    "company_url_direct",
    "company_addresses",
    "company_num_employees",
    "company_revenue",
    "company_description",
    "skills",
    "experience_range",
    "company_rating",
    "company_reviews_count",
    "vacancy_count",
    "work_from_home_type",
)
# JobPost requires these two; without them a row cannot be a posting.
REQUIRED_COLUMNS: tuple[str, ...] = ("title", "job_url")

# Descriptions run to tens of kilobytes; the stdlib default (128 KiB) is close enough to
# real postings that one long row would otherwise end the whole read.
_FIELD_SIZE_LIMIT = 4 * 1024 * 1024

Row = dict[str, str]


class NotAJobSpyCsv(ValueError):
    """The text is not a CSV with python-jobspy's columns."""


@dataclass(frozen=True)
class SkippedRow:
    row: int  # 1-based data row (the header is row 0)
    reason: str


@dataclass
class CsvRead:
    rows: list[tuple[int, Row]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)


def read_jobspy_csv(text: str) -> CsvRead:
    """Rows keyed by JobSpy column (absent columns read as ""), plus rows skipped and why."""
    if "\x00" in text[:4096]:
        raise NotAJobSpyCsv("this is a binary file, not a CSV of job postings")
    csv.field_size_limit(min(_FIELD_SIZE_LIMIT, sys.maxsize))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = _read_header(reader)
    result = CsvRead(missing_columns=[name for name in JOBSPY_COLUMNS if name not in header])
    index = {name: position for position, name in enumerate(header) if name in JOBSPY_COLUMNS}
    for row_number, cells in enumerate(_rows(reader), start=1):
        if isinstance(cells, csv.Error):
            result.skipped.append(SkippedRow(row_number, f"unreadable CSV row: {cells}"))
        elif len(cells) != len(header):
            reason = f"has {len(cells)} fields where the header has {len(header)}"
            result.skipped.append(SkippedRow(row_number, reason))
        else:
            row = {name: cells[position] for name, position in index.items()}
            result.rows.append((row_number, row))
    return result


def sample_jobs_csv() -> str:
    """The demo's postings (written for the project) in JobSpy's CSV layout."""
    return (resources.files("aremu") / "data" / "sample_jobs.csv").read_text(encoding="utf-8")


def _rows(reader: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    """Data rows, blank lines dropped; a malformed row yields its error instead of ending."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield error
            continue
        if any(cell.strip() for cell in cells):
            yield cells


def _read_header(reader: Iterator[list[str]]) -> list[str]:
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise NotAJobSpyCsv("the file is empty; expected a CSV of python-jobspy postings") from None
    except csv.Error as error:
        raise NotAJobSpyCsv(f"the file is not a readable CSV: {error}") from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        shown = ", ".join(header[:6]) or "nothing"
        raise NotAJobSpyCsv(
            f"not a python-jobspy CSV: the header lacks {', '.join(missing)} "
            f"(found {shown}); expected JobSpy's columns {', '.join(JOBSPY_COLUMNS[:8])}, ..."
        )
    return header
