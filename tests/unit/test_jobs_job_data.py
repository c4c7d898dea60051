"""Job data the enhancer reads from the posting's words when the board's fields are wrong
or missing: pay ranges, years, level labels, unpaid posts and places abroad."""

from __future__ import annotations

import pytest

from aremu.jobs.models import RawJob
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer, salary_in_text

ENHANCER = OfflineEnhancer()


def posting(description: str = "Handle client work.", **values: str) -> RawJob:
    row = {
        "id": "in-1",
        "site": "indeed",
        "job_url": "https://ng.indeed.com/viewjob?jk=1",
        "title": "Lawyer",
        "company": "Ade & Co",
        "location": "Lekki, LA, NG",
        "job_type": "fulltime",
        "description": description,
    }
    row.update(values)
    return to_raw_job(row)


# JobSpy's Indeed pay for "₦100,000 - ₦300,000 per month": its midpoint +-12%, a year's worth.
MIDPOINT_PAY = {"min_amount": "2118061", "max_amount": "2681938", "interval": "yearly"}


def test_the_descriptions_pay_range_replaces_the_boards_midpoint_range() -> None:
    # Given a board range that lost the top of the posting's stated range
    job = posting("Pay: ₦100,000.00 - ₦300,000.00 per month", **MIDPOINT_PAY)

    # When it is enhanced
    salary = ENHANCER.fields(job).salary

    # Then the posting's own range stands, top included
    assert salary is not None
    assert (salary.monthly_min, salary.monthly_max) == (100_000, 300_000)


def test_the_boards_pay_stands_when_the_description_states_none() -> None:
    salary = ENHANCER.fields(posting("Litigation work.", **MIDPOINT_PAY)).salary

    assert salary is not None
    assert salary.monthly_max == 223_495


def test_a_description_figure_unrelated_to_the_boards_pay_does_not_replace_it() -> None:
    # Given a pay line that does not overlap the board's range (another figure entirely)
    job = posting("Salary: ₦5,000,000 per month bonus pool", **MIDPOINT_PAY)

    salary = ENHANCER.fields(job).salary

    assert salary is not None
    assert salary.monthly_max == 223_495


def test_a_salary_line_without_a_currency_sign_is_read_in_naira_for_a_nigerian_job() -> None:
    salary = ENHANCER.fields(posting("Salary Range: 1,000,000 - 1,700,000")).salary

    assert salary is not None
    assert (salary.currency, salary.monthly_min, salary.monthly_max) == (
        "NGN",
        1_000_000,
        1_700_000,
    )


def test_a_salary_line_without_a_currency_sign_is_not_read_without_a_currency() -> None:
    assert salary_in_text("Salary Range: 1,000,000 - 1,700,000") is None


def test_a_misgrouped_first_figure_leaves_the_ranges_top_standing() -> None:
    # "N120,0000" has a digit too many: the range would read 1.2M down to 150k
    salary = salary_in_text("N120,0000 – N150,000 Monthly.")

    assert salary is not None
    assert (salary.monthly_min, salary.monthly_max) == (None, 150_000)


def test_years_before_a_hyphenated_word_are_read() -> None:
    fields = ENHANCER.fields(posting("• Minimum 5 years post-fellowship experience."))

    assert fields.experience.min_years == 5


def test_years_of_practice_are_years_of_experience() -> None:
    fields = ENHANCER.fields(posting("Registered with MDCN, with at least 5 years practice."))

    assert fields.experience.min_years == 5


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("• 10\\+ years in financial leadership, 5\\+ in fintech or banking.", 10),
        ("✔ 3+ years of marketing/sales experience (printing industry is a plus)", 3),
    ],
)
def test_years_with_a_plus_are_asked_for_without_the_word_experience(
    text: str, years: float
) -> None:
    fields = ENHANCER.fields(posting(text))

    assert fields.experience.min_years == years


@pytest.mark.parametrize(
    "text",
    [
        "We have served clients for 10 years in Lagos.",
        "We have served clients for 10+ years in Lagos.",
        "A trusted name in logistics for over 15+ years of growth.",
    ],
)
def test_years_a_company_has_traded_are_not_asked_of_the_candidate(text: str) -> None:
    fields = ENHANCER.fields(posting(text))

    assert fields.experience.min_years is None


def test_the_first_years_a_posting_asks_for_are_its_requirement() -> None:
    text = "• 8+ years in hotel operations, including 4 years experience as a manager."

    fields = ENHANCER.fields(posting(text))

    assert fields.experience.min_years == 8


def test_the_boards_experience_length_stands_when_the_text_states_no_years() -> None:
    text = "• Experience Level : Senior level\n• Experience Length : 5 years\nDiagnose patients."

    fields = ENHANCER.fields(posting(text))

    assert fields.experience.min_years == 5


def test_the_texts_years_outrank_the_boards_experience_length() -> None:
    text = "• Experience Length : 10 years\n• 3–10 years’ experience in sales"

    fields = ENHANCER.fields(posting(text))

    assert (fields.experience.min_years, fields.experience.max_years) == (3, 10)


def test_an_entry_level_label_asking_a_year_makes_an_entry_level_job() -> None:
    text = "• Experience Level : Entry level\n• Experience Length : 1 year\nAssist the manager."

    assert ENHANCER.fields(posting(text, title="Personal Assistant")).level == "entry"


def test_an_entry_level_label_asking_two_years_is_judged_by_the_years() -> None:
    text = "• Experience Level : Entry level\n• Experience Length : 2 years\nAssist the manager."

    assert ENHANCER.fields(posting(text, title="Personal Assistant")).level == "junior"


def test_a_description_that_calls_the_post_a_volunteer_role_makes_it_unpaid() -> None:
    # Given a part-time listing whose text says it is a volunteer role
    text = "This is a volunteer remote role for a Medical Doctor."
    job = posting(text, title="Medical Doctor", job_type="parttime")

    # Then it is a volunteer post, whatever the listing says
    assert ENHANCER.fields(job).employment_type == "volunteer"


def test_unpaid_compensation_makes_the_post_unpaid() -> None:
    job = posting("Compensation: Unpaid (with potential for future paid roles)")

    assert ENHANCER.fields(job).employment_type == "volunteer"


def test_an_unpaid_internship_with_a_stipend_is_not_a_volunteer_post() -> None:
    job = posting("This is an unpaid internship with a monthly stipend.", job_type="internship")

    assert ENHANCER.fields(job).employment_type == "internship"


def test_a_title_naming_a_us_state_puts_the_job_abroad_whatever_the_board_says() -> None:
    job = posting(title="On-Site Project Manager - Indiana", location="Lagos, LA, NG")

    location = ENHANCER.fields(job).location

    assert (location.country, location.state) == ("US", None)


def test_a_title_naming_a_city_abroad_is_not_read_as_a_nigerian_state_code() -> None:
    # Given "ZA, NG", which reads as Zamfara, for a Cape Town post
    job = posting(title="DISTRIBUTION SUPERVISOR (CAPE TOWN)", location="ZA, NG")

    location = ENHANCER.fields(job).location

    assert (location.city, location.state, location.country) == ("Cape Town", None, "ZA")


def test_a_title_naming_places_at_home_and_abroad_keeps_the_boards_place() -> None:
    job = posting(title="Sales Lead - Lagos or Nairobi", location="Lagos, LA, NG")

    location = ENHANCER.fields(job).location

    assert (location.city, location.country) == ("Lagos", "NG")


def test_a_post_for_serving_corps_members_is_an_interns_job() -> None:
    text = (
        "Job Title: Architect (NYSC)\nRequirements:\n* Current NYSC corps member posted to Lagos."
    )
    job = posting(text, title="Architect", job_type="fulltime")

    assert ENHANCER.fields(job).level == "intern"


def test_a_post_asking_for_nysc_done_is_not_an_interns_job() -> None:
    text = "Requirements:\n* Must have served (NYSC)\n* 3 years of recruitment experience"
    job = posting(text, title="Recruiter")

    assert ENHANCER.fields(job).level == "mid"


def test_a_contest_with_a_prize_is_not_paid_work() -> None:
    text = (
        "Step into the house, unleash your skills, and compete for a life-changing "
        "₦25,000,000! House Life & Reality TV Drama."
    )
    job = posting(text, title="Hairstylist", job_type="temporary")

    assert ENHANCER.fields(job).employment_type == "volunteer"


def test_a_competitive_salary_is_not_a_contest() -> None:
    job = posting("We offer a competitive salary. Compete in a fast market.", title="Sales Rep")

    assert ENHANCER.fields(job).employment_type == "full_time"


def test_a_pay_label_on_its_own_line_is_read_with_the_figures_below_it() -> None:
    text = "Work Mode: on site\n**Renumeration:**\n₦65,000 - ₦100,000\n**How to Apply:**"

    salary = salary_in_text(text)

    assert salary is not None
    assert (salary.monthly_min, salary.monthly_max) == (65_000, 100_000)


def test_a_heading_ending_in_a_colon_does_not_take_the_next_lines_figures_as_pay() -> None:
    text = "Requirements:\n5 years of experience managing 20,000 customers"

    assert salary_in_text(text) is None


def test_a_programme_that_trains_new_graduates_is_an_interns_job_whatever_its_length() -> None:
    text = (
        "Experience Level : Entry level\n* Experience Length : 2 years\n"
        "The ONE SAIL (Shipping Apprenticeship & International Learning) program is your "
        "solution! This is a 2 year program."
    )
    job = posting(text, title="Program Specialist")

    assert ENHANCER.fields(job).level == "intern"


def test_pay_by_the_piece_is_freelance_work() -> None:
    text = "This is a paid, remote contract role. We pay per script, with rates based on length."

    fields = ENHANCER.fields(posting(text, job_type="contract"))

    assert fields.employment_type == "freelance"


def test_a_posting_that_calls_itself_freelance_is_freelance_work() -> None:
    fields = ENHANCER.fields(posting("This is a freelance role.", job_type=""))

    assert fields.employment_type == "freelance"


def test_commission_per_sale_is_a_sellers_pay_not_piece_work() -> None:
    text = "Basic salary plus commission paid per sale."

    fields = ENHANCER.fields(posting(text, job_type="fulltime"))

    assert fields.employment_type == "full_time"
