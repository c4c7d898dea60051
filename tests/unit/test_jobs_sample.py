"""The demo sample: JobSpy's 34 columns in order, covering what the demo candidates want."""

from __future__ import annotations

import csv
import io

from aremu.jobs.csv_source import JOBSPY_COLUMNS, read_jobspy_csv, sample_jobs_csv
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer


def test_the_sample_has_jobspys_34_columns_in_order() -> None:
    header = next(csv.reader(io.StringIO(sample_jobs_csv())))

    assert tuple(header) == JOBSPY_COLUMNS
    assert len(header) == 34


def test_the_sample_covers_the_demo_roles_and_places() -> None:
    read = read_jobspy_csv(sample_jobs_csv())
    enhancer = OfflineEnhancer()
    fields = [enhancer.fields(to_raw_job(row, "NG")) for _, row in read.rows]

    functions = {f.job_function for f in fields}
    places = {f.location.city for f in fields} | {"remote" for f in fields if f.location.remote}
    assert len(read.rows) >= 60
    assert {
        "Sales",
        "Customer Service",
        "Software Engineering",
        "Data & Analytics",
        "Finance & Accounting",
        "Human Resources & Recruitment",
        "Marketing & Communications",
    } <= functions
    assert {"Abuja", "Port Harcourt", "Ibadan", "remote"} <= places
    assert places & {"Lagos", "Ikeja", "Lekki", "Victoria Island", "Yaba"}
    assert all(len(f.skills) >= 3 for f in fields)
