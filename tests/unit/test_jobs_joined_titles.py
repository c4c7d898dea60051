"""A title that joins two jobs counts as the job its duties mostly describe."""

from __future__ import annotations

from aremu.jobs.joined_titles import joined_parts
from aremu.jobs.normalise import to_raw_job
from aremu.jobs.offline_enhancer import OfflineEnhancer
from aremu.matching import JobView, job_view

ENHANCER = OfflineEnhancer()

CLEANING = """Responsibilities:
• Cleaning and maintaining office premises: floors, furniture and surfaces.
• Cleaning restrooms and kitchen areas; emptying trash.
• Restocking cleaning supplies and reporting cleaning issues.
• Maintaining cleaning equipment.
"""

NURSING = """Responsibilities:
• Provide nursing care and patient care to clients at home.
• Support midwifery care for new mothers.
"""


def view_of(title: str, description: str) -> JobView:
    row = {
        "id": "in-1",
        "site": "indeed",
        "job_url": "https://ng.indeed.com/viewjob?jk=1",
        "title": title,
        "company": "Acme",
        "location": "Ikeja, LA, NG",
        "description": description,
    }
    return job_view(ENHANCER.fields(to_raw_job(row)), "in-1")


def test_a_one_word_part_shares_the_first_parts_leading_words() -> None:
    assert joined_parts("Office Cleaner/Assistant") == ["Office Cleaner", "Office Assistant"]
    assert joined_parts("Video Producer & Editor") == ["Video Producer", "Video Editor"]


def test_a_title_joining_nothing_has_no_parts() -> None:
    assert joined_parts("Sales Executive (Lagos)") == []


def test_a_joined_title_whose_duties_are_one_job_reads_as_that_job_alone() -> None:
    # Given "Office Assistant / Cleaner" whose duties are all cleaning
    view = view_of("Office Assistant / Cleaner", CLEANING)

    # Then it is a cleaner's job, and the office assistant reading is gone
    assert view.title == "Cleaner"
    assert "office assistant" not in view.titles


def test_a_joined_title_of_one_occupation_keeps_both_readings() -> None:
    # Given a nurse-and-midwife post whose duties are both
    view = view_of("Registered Nurse & Midwife", NURSING)

    assert {"nurse", "midwife"} <= view.titles


def test_a_joined_title_with_no_clear_winner_keeps_both_readings() -> None:
    view = view_of("Driver/Logistics", "Drive the van and keep logistics records.")

    assert {"driver", "logistics officer"} <= view.titles


def test_a_shared_word_reading_names_the_job_a_candidate_asked_for() -> None:
    view = view_of("Video Producer & Editor", "Edit videos and produce short films.")

    assert "video editor" in view.titles


def test_a_one_word_part_before_a_longer_last_part_shares_its_trailing_words() -> None:
    assert joined_parts("Tax & Treasury Manager") == ["Tax Manager", "Treasury Manager"]
    assert joined_parts("HR & Admin Officer") == ["HR Officer", "Admin Officer"]


def test_joined_jobs_of_one_function_are_read_as_the_one_the_duties_describe() -> None:
    # Given a tax-and-treasury post (both finance) whose duties are mostly tax
    duties = (
        "Taxation management: tax calculations, tax returns, tax audits and tax planning; "
        "corporate tax and tax reporting; liaise with tax authorities on tax matters. "
        "Treasury: cash flow forecasts."
    )
    view = view_of("Tax & Treasury Manager", duties)

    assert view.title == "Tax Consultant"
    assert "treasury officer" not in view.titles


def test_a_seller_who_attends_to_customers_is_read_as_the_sales_job() -> None:
    # Given a "Customer Service/Sales Representative" on a shop floor: "customer" is who
    # the work is for, and "selling" is the sales job's own word
    duties = (
        "Attend to customers warmly. Analyse customer buying patterns. Arrange products on "
        "the shelves. Assist in compiling the sales report. Keep the shop floor ready for "
        "sales. Assist customers in their purchases. Cross-selling and up-selling products."
    )
    view = view_of("Customer Service/Sales Representative", duties)

    assert view.title == "Sales Representative"
    assert "customer service representative" not in view.titles


def test_a_care_desk_that_also_sells_keeps_the_customer_service_reading() -> None:
    duties = (
        "Handle customer complaints and inquiries by phone and email. Provide customer "
        "service and after-sales support. Escalate service issues."
    )
    view = view_of("Customer Service/Sales Representative", duties)

    assert "customer service representative" in view.titles


def test_an_accounts_and_sales_coordinator_doing_the_books_is_an_accounts_job() -> None:
    duties = (
        "Prepare customer invoices. Inventory reconciliation and bank reconciliation. "
        "Handle payments to vendors. Check expenses against budget with the accounts "
        "executive. Keep accounts payable records and book entries in the accounts."
    )
    view = view_of("Accounts / Sales Coordinator", duties)

    assert view.title == "Accountant"
    assert "sales representative" not in view.titles


def test_a_customer_service_post_whose_duties_are_selling_is_a_sellers_job() -> None:
    duties = (
        "Make outbound calls to assigned customers. Achieve sales targets. Present, promote "
        "and sell services to prospective customers. Selling and upselling our products; "
        "sales reports weekly. Two years of sales experience."
    )
    view = view_of("Customer Service Representative", duties)

    assert view.title == "Sales Representative"


def test_a_customer_service_post_that_mentions_sales_stays_customer_service() -> None:
    duties = (
        "Resolve customer complaints and inquiries; provide customer service by phone and "
        "email; log service requests; support the sales team with order updates."
    )
    view = view_of("Customer Service Representative", duties)

    assert view.title == "Customer Service Representative"


def test_an_account_manager_whose_duties_are_project_delivery_runs_projects() -> None:
    duties = (
        "Own the project plan for each client: scope projects, set project schedules and "
        "budgets, track project milestones and deliver projects on time. Report project "
        "risks to stakeholders. Project management certification is a plus."
    )
    view = view_of("Account Manager (Tech / SaaS)", duties)

    assert view.title == "Project Manager"


def test_an_account_manager_who_grows_client_accounts_stays_a_seller() -> None:
    duties = (
        "Manage a portfolio of key accounts, grow revenue from each account, negotiate "
        "renewals and upsell; run a quarterly project review with one client."
    )
    view = view_of("Account Manager", duties)

    assert view.title == "Key Account Manager"
