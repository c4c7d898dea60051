"""Reading python-jobspy CSV text: rows, skipped rows with reasons, and files that are not one."""

from __future__ import annotations

import csv
import io

import pytest

from aremu.jobs.csv_source import JOBSPY_COLUMNS, NotAJobSpyCsv, read_jobspy_csv


def jobspy_csv(*rows: dict[str, str], columns: tuple[str, ...] = JOBSPY_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def posting(number: int = 1, **values: str) -> dict[str, str]:
    row = {
        "id": f"in-{number}",
        "site": "indeed",
        "job_url": f"https://ng.indeed.com/viewjob?jk={number}",
        "title": "Sales Executive",
        "company": "Kola Foods",
        "location": "Lagos, LA, NG",
    }
    row.update(values)
    return row


def test_rows_come_back_keyed_by_jobspy_column() -> None:
    read = read_jobspy_csv(jobspy_csv(posting(1), posting(2, title="Accountant")))

    assert [row["title"] for _, row in read.rows] == ["Sales Executive", "Accountant"]
    assert read.skipped == []
    assert read.missing_columns == []


def test_absent_optional_columns_read_as_empty_and_are_listed() -> None:
    text = jobspy_csv(posting(), columns=("id", "site", "job_url", "title"))

    read = read_jobspy_csv(text)

    assert read.rows[0][1].get("company", "") == ""
    assert "company" in read.missing_columns
    assert "description" in read.missing_columns


def test_a_row_with_the_wrong_number_of_fields_is_skipped_with_its_reason() -> None:
    text = jobspy_csv(posting(1)) + "garbage,row\n" + jobspy_csv(posting(2)).split("\n", 1)[1]

    read = read_jobspy_csv(text)

    assert len(read.rows) == 2
    assert len(read.skipped) == 1
    assert read.skipped[0].row == 2
    assert "fields where the header has 34" in read.skipped[0].reason


def test_blank_lines_are_not_rows() -> None:
    read = read_jobspy_csv(jobspy_csv(posting()) + "\n\n")

    assert len(read.rows) == 1
    assert read.skipped == []


def test_a_byte_order_mark_does_not_hide_the_first_column() -> None:
    read = read_jobspy_csv("\ufeff" + jobspy_csv(posting()))

    assert read.rows[0][1]["id"] == "in-1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ('{"jobs": [1, 2, 3]}', "lacks title, job_url"),
        ("name,phone\nAda,0803\n", "not a python-jobspy CSV"),
        ("\x00\x01\x02binary", "binary"),
    ],
)
def test_a_file_that_is_not_a_jobspy_csv_is_refused_with_a_clear_message(
    text: str, expected: str
) -> None:
    with pytest.raises(NotAJobSpyCsv, match=expected):
        read_jobspy_csv(text)
