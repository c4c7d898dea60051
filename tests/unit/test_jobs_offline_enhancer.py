"""The offline enhancer reads a posting's own words into the enhanced-job model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aremu.jobs.models import SUMMARY_MAX_CHARS, RawJob
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer

ENHANCER = OfflineEnhancer()

DESCRIPTION = """**About Us**

Kola Foods is a leading FMCG company and beverage maker with retail and hospitality clients.

**Job Summary**

We are looking for a results-driven Sales Executive to grow our customer base in Lagos.

**Key Responsibilities**

* Identify prospective customers and close deals
* Build strong customer relationships and handle complaints
* Prepare weekly sales reports

**Requirements**

* 3\\-5 years of sales experience
* Excellent communication and negotiation skills
* Proficiency in Microsoft Excel

**Nice to have**

* Experience with CRM software such as HubSpot

**Salary:** ₦150,000 \\- ₦200,000 per month

Send your CV to careers@kolafoods.example or WhatsApp 0803 123 4567.
"""


def posting(**values: str) -> RawJob:
    row = {
        "id": "in-1",
        "site": "indeed",
        "job_url": "https://ng.indeed.com/viewjob?jk=1",
        "title": "Sales Executive - Lagos (Urgent)",
        "company": "Kola Foods Ltd",
        "location": "Ikeja, LA, NG",
        "job_type": "fulltime",
        "description": DESCRIPTION,
    }
    row.update(values)
    return to_raw_job(row)


def test_skills_come_from_the_role_sections_in_order() -> None:
    fields = ENHANCER.fields(posting())

    assert fields.required_skills[:2] == ["Sales", "Customer relationship management"]
    assert {"Communication", "Negotiation", "Microsoft Excel", "Complaint handling"} <= set(
        fields.required_skills
    )


def test_skills_named_only_as_a_plus_are_preferred() -> None:
    fields = ENHANCER.fields(posting())

    assert fields.preferred_skills == ["CRM software"]


def test_the_company_blurb_does_not_add_skills() -> None:
    fields = ENHANCER.fields(posting())

    assert "Retail sales" not in fields.skills
    assert "Hospitality" not in fields.skills


def test_function_industry_and_level_are_filled() -> None:
    fields = ENHANCER.fields(posting())

    assert fields.job_function == "Sales"
    assert fields.industry == "FMCG & Consumer Goods"
    assert fields.experience.min_years == 3
    assert fields.experience.max_years == 5
    assert fields.level == "mid"


def test_the_title_loses_its_place_and_urgency() -> None:
    fields = ENHANCER.fields(posting())

    assert fields.normalised_title == "Sales Executive"
    assert "Sales Executive - Lagos (Urgent)" in fields.title_variants


def test_a_salary_stated_in_the_text_is_normalised_to_month_and_year() -> None:
    salary = ENHANCER.fields(posting()).salary

    assert salary is not None
    assert (salary.currency, salary.monthly_min, salary.monthly_max) == ("NGN", 150_000, 200_000)
    assert (salary.yearly_min, salary.yearly_max) == (1_800_000, 2_400_000)


def test_a_listed_yearly_range_is_normalised_to_months() -> None:
    job = posting(
        description="Sell.",
        interval="yearly",
        min_amount="1200000",
        max_amount="2400000",
        currency="USD",
    )

    salary = ENHANCER.fields(job).salary

    assert salary is not None
    assert (salary.currency, salary.monthly_min, salary.monthly_max) == ("NGN", 100_000, 200_000)


def test_a_big_number_that_is_not_pay_is_not_a_salary() -> None:
    job = posting(description="Win ₦25,000,000 and career-launching exposure!")

    assert ENHANCER.fields(job).salary is None


def test_how_to_apply_has_the_email_and_the_whatsapp_number() -> None:
    apply = ENHANCER.fields(posting()).how_to_apply

    assert apply.email == "careers@kolafoods.example"
    assert apply.whatsapp == "+2348031234567"
    assert apply.url == "https://ng.indeed.com/viewjob?jk=1"


def test_location_employment_and_arrangement_are_read() -> None:
    fields = ENHANCER.fields(posting())

    assert (fields.location.city, fields.location.state, fields.location.country) == (
        "Ikeja",
        "Lagos",
        "NG",
    )
    assert fields.employment_type == "full_time"
    assert fields.work_arrangement == "onsite"


def test_a_posting_that_says_the_work_is_remote_is_remote() -> None:
    text = DESCRIPTION + "\nThis is a fully remote role."
    fields = ENHANCER.fields(posting(location="NG", is_remote="True", description=text))

    assert fields.work_arrangement == "remote"
    assert fields.location.remote


def test_the_boards_remote_flag_alone_does_not_make_a_posting_remote() -> None:
    # Indeed flags any posting that mentions remote work at all.
    text = DESCRIPTION + "\nFlexible hours and a remote-friendly culture."
    fields = ENHANCER.fields(posting(is_remote="True", description=text))

    assert fields.work_arrangement == "onsite"
    assert not fields.location.remote


def test_a_job_type_label_far_down_the_posting_makes_it_remote() -> None:
    # The label often stands after the duties, past where the opening lines are read.
    text = DESCRIPTION + "Padding line.\n" * 300 + "Job Type: Remote (International Contractor)\n"
    fields = ENHANCER.fields(posting(location="NG", is_remote="True", description=text))

    assert fields.work_arrangement == "remote"


def test_a_work_mode_label_that_only_allows_remote_work_is_not_remote() -> None:
    for label in ("Work Mode: Remote-friendly", "Work Mode: Remote or on-site"):
        fields = ENHANCER.fields(posting(description=f"{DESCRIPTION}\n{label}\n"))

        assert fields.work_arrangement == "onsite", label


def test_a_za_listing_is_south_africa_unless_the_posting_names_zamfara() -> None:
    # Indeed lists South African jobs as "ZA, NG", which reads as Zamfara State
    abroad = ENHANCER.fields(posting(location="ZA, NG"))
    zamfara = ENHANCER.fields(posting(location="ZA, NG", description=DESCRIPTION + "Gusau.\n"))

    assert (abroad.location.country, abroad.location.state) == ("ZA", None)
    assert zamfara.location.country == "NG"


def test_a_post_the_text_names_a_heads_is_read_as_that_head() -> None:
    text = "As Head of Operations, you will run the brand's sales, finance and supply chain.\n"
    fields = ENHANCER.fields(posting(title="Fashion Sales Manager", description=text))

    assert fields.normalised_title == "Operations Manager"
    assert fields.level == "director"
    assert fields.title_variants == ["Head of Operations"]


def test_the_pay_period_is_the_one_named_first_after_the_figures() -> None:
    text = DESCRIPTION.replace(
        "**Salary:** ₦150,000 \\- ₦200,000 per month",
        "Salary: N100,000 - N150,000 Monthly + Weekly Commission",
    )
    fields = ENHANCER.fields(posting(description=text))

    assert fields.salary is not None
    assert (fields.salary.monthly_min, fields.salary.monthly_max) == (100_000, 150_000)


@pytest.mark.parametrize(
    ("line", "monthly"),
    [
        ("• Competitive salary - 150,000 NGN per month", 150_000),
        ("Salary & Benefits:\n• N300K p.m", 300_000),
        ("Pay is 75,000 naira monthly.", 75_000),
    ],
)
def test_pay_stated_in_other_ways_is_read(line: str, monthly: int) -> None:
    text = DESCRIPTION.replace("**Salary:** ₦150,000 \\- ₦200,000 per month", line)
    fields = ENHANCER.fields(posting(description=text))

    assert fields.salary is not None
    assert fields.salary.monthly_min == monthly


def test_a_time_of_day_is_not_pay() -> None:
    text = DESCRIPTION.replace(
        "**Salary:** ₦150,000 \\- ₦200,000 per month", "Hours: 9 a.m - 5 p.m"
    )

    assert ENHANCER.fields(posting(description=text)).salary is None


def test_the_summary_fits_whatsapp_and_leads_with_the_job() -> None:
    fields = ENHANCER.fields(posting(description=DESCRIPTION + "More words. " * 400))

    assert len(fields.summary) <= SUMMARY_MAX_CHARS
    assert fields.summary.startswith("*Sales Executive* at Kola Foods Ltd")
    assert "₦150,000–₦200,000 a month" in fields.summary
    assert "careers@" not in fields.summary


def test_an_offline_enhancement_is_marked_offline_with_any_fallback_reason() -> None:
    now = datetime(2025, 8, 14, tzinfo=UTC)

    result = ENHANCER.enhance(posting(), fallback_reason="rate_limited", now=now)

    assert result.enhancement.source == "offline"
    assert result.enhancement.fallback_reason == "rate_limited"
    assert result.enhancement.enhanced_at == now


def test_a_posting_with_no_description_still_enhances() -> None:
    fields = ENHANCER.fields(posting(description="", title="Accountant"))

    assert fields.normalised_title == "Accountant"
    assert fields.job_function == "Finance & Accounting"
    assert fields.required_skills == ["Accounting"]


def test_a_country_wide_posting_takes_the_state_its_job_board_line_names() -> None:
    job = posting(
        location="NG",
        title="Teacher",
        description="**Teacher**\n\nRest of Nigeria (Ondo) Full Time\n\nTeach maths.",
    )

    location = ENHANCER.fields(job).location

    assert (location.city, location.state, location.country) == (None, "Ondo", "NG")


def test_a_country_wide_posting_takes_the_place_its_title_ends_with() -> None:
    job = posting(location="NG", title="Client Support Representative – Lagos, Nigeria")

    location = ENHANCER.fields(job).location

    assert (location.city, location.state) == ("Lagos", "Lagos")


def test_a_country_wide_posting_takes_the_place_of_its_location_line() -> None:
    job = posting(
        location="NG",
        title="Sales Executive",
        description="Location: Akure, Ondo State, Nigeria\n\nSell.",
    )

    location = ENHANCER.fields(job).location

    assert (location.city, location.state) == ("Akure", "Ondo")


def test_a_posting_naming_places_in_two_states_stays_country_wide() -> None:
    job = posting(
        location="NG",
        title="Distribution Planner - Aba & Ikorodu",
        description="Rest of Nigeria (Ekiti) Full Time\n\nPlan routes.",
    )

    location = ENHANCER.fields(job).location

    assert (location.city, location.state, location.country) == (None, None, "NG")


def test_a_located_posting_keeps_its_listed_place_whatever_the_text_says() -> None:
    job = posting(description="Rest of Nigeria (Ondo) Full Time\n\nSell.")

    location = ENHANCER.fields(job).location

    assert (location.city, location.state) == ("Ikeja", "Lagos")


def test_the_job_boards_pay_band_line_is_a_salary() -> None:
    job = posting(
        description="Sales\n\nLagos Full Time\nRetail, Fashion & FMCG NGN 75,000 - 150,000"
    )

    salary = ENHANCER.fields(job).salary

    assert salary is not None
    assert (salary.currency, salary.monthly_min, salary.monthly_max) == ("NGN", 75_000, 150_000)


def test_a_range_of_loan_sizes_is_not_a_salary() -> None:
    job = posting(description="You will give out loans of NGN 50,000 - 500,000 to traders.")

    assert ENHANCER.fields(job).salary is None


def test_a_posting_listed_as_an_internship_is_an_interns_job() -> None:
    job = posting(title="Video Editor", job_type="internship", description="Edit videos.")

    assert ENHANCER.fields(job).level == "intern"


def test_a_description_that_mentions_nysc_does_not_make_an_internship_level() -> None:
    job = posting(title="Accountant", job_type="", description="Must have completed NYSC.")

    assert ENHANCER.fields(job).level is None


BOOKS_OF_ACCOUNT = """**Responsibilities**

* Prepare bank reconciliations every month
* Manage accounts payable and receivable
* Support the annual audit and payroll
"""


def test_an_account_officer_who_keeps_the_books_is_an_accountant() -> None:
    fields = ENHANCER.fields(posting(title="Account Officer", description=BOOKS_OF_ACCOUNT))

    assert fields.normalised_title == "Accountant"
    assert "Account Officer" not in fields.title_variants


def test_an_account_officer_who_sells_to_clients_stays_a_relationship_manager() -> None:
    job = posting(
        title="Account Officer",
        description="Grow the bank's deposit base and manage client relationships.",
    )

    assert ENHANCER.fields(job).normalised_title == "Relationship Manager"


def test_a_title_that_says_volunteer_is_a_volunteer_post_whatever_the_listing() -> None:
    job = posting(title="Corporate Partnerships Manager (Volunteer)", job_type="parttime")

    assert ENHANCER.fields(job).employment_type == "volunteer"


def test_a_volunteer_coordinator_is_a_paid_job() -> None:
    job = posting(title="Volunteer Coordinator", job_type="fulltime")

    assert ENHANCER.fields(job).employment_type == "full_time"


def test_permission_to_work_from_home_is_a_perk_not_remote_work() -> None:
    text = DESCRIPTION + "\nBenefits: Permission to work from home (return to office for training)."
    fields = ENHANCER.fields(posting(is_remote="True", description=text))

    assert fields.work_arrangement == "onsite"
