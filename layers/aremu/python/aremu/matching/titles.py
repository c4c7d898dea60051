"""How close two job titles are, beyond the vocabulary's families.

A vocabulary family is broad on purpose (it groups titles for extraction): `health` holds
Nurse and Doctor, `sales` a Merchandiser and an Area Sales Manager. A Nurse does not want
a Doctor's job, so for matching two titles are close only when they share a small group
below (a title may sit in several). Groups cross families where Nigerian postings do
("Admin/HR Officer", sales and business development). A title in no group is close only
to itself; sharing just the family counts for less (see `scoring`).

Each title gets "close keys": two titles are close when their keys meet. The index files
candidates under these keys, so the prefilter and the score read one definition.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aremu.domain.vocabulary.roles import SENIORITY_LEVELS, role_for_title, seniority_of

CLOSE_GROUPS: tuple[tuple[str, ...], ...] = (
    # health
    ("Nurse", "Midwife"),
    ("Caregiver", "Community Health Worker"),
    ("Pharmacist", "Pharmacy Technician"),
    ("Medical Laboratory Scientist", "Laboratory Technician"),
    ("Dentist", "Dental Nurse"),
    ("Public Health Officer", "Community Health Worker", "Monitoring and Evaluation Officer"),
    ("Medical Receptionist", "Receptionist"),
    # engineering and construction
    ("Engineer", "Project Engineer"),
    ("Civil Engineer", "Site Engineer", "Project Engineer"),
    ("Mechanical Engineer", "Maintenance Engineer"),
    ("Electrical Engineer", "Instrumentation Engineer", "Maintenance Engineer"),
    ("Architect", "Draughtsman"),
    ("Land Surveyor", "Estate Surveyor"),
    ("Petroleum Engineer", "Drilling Engineer"),
    # creative and writing
    ("Graphic Designer", "UI/UX Designer", "Web Designer"),
    ("Video Editor", "Videographer", "Animator"),
    ("Photographer", "Videographer"),
    ("Content Writer", "Copywriter", "Editor", "Technical Writer"),
    ("Translator", "Transcriptionist"),
    ("Journalist", "Broadcaster"),
    ("Content Creator", "Social Media Manager"),
    # trades: a title that only says "Technician" names no trade, so it is close to none
    ("Electrician", "Solar Installer", "Generator Technician"),
    ("Electrician", "CCTV Technician"),
    ("Mechanic", "Generator Technician"),
    # hospitality, facilities, retail
    ("Chef", "Cook", "Caterer"),
    ("Baker", "Caterer"),
    ("Waiter", "Bartender"),
    ("Hotel Manager", "Restaurant Manager"),
    ("Cleaner", "Housekeeper"),
    ("Cashier", "Shop Attendant"),
    # logistics and procurement
    ("Driver", "Dispatch Rider"),
    ("Logistics Officer", "Logistics Manager", "Supply Chain Officer", "Clearing Agent"),
    ("Warehouse Officer", "Storekeeper", "Forklift Operator"),
    ("Procurement Officer", "Procurement Manager", "Supply Chain Officer"),
    # finance and banking
    ("Accountant", "Accounts Assistant", "Bookkeeper", "Finance Officer", "Finance Manager",
     "Payroll Officer", "Tax Consultant", "Auditor", "Chief Financial Officer",
     "Treasury Officer"),
    ("Financial Analyst", "Investment Analyst", "Risk Analyst", "Finance Officer",
     "Credit Analyst"),
    ("Financial Adviser", "Investment Analyst"),
    ("Relationship Manager", "Loan Officer", "Banking Operations Officer"),
    ("Bank Teller", "Banking Operations Officer", "Cashier"),
    ("Credit Analyst", "Loan Officer", "Collections Officer", "Risk Analyst"),
    ("Compliance Officer", "Risk Analyst"),
    ("Underwriter", "Claims Officer"),
    # software: a generic developer title is close to every kind; the kinds meet only where
    # the work does (a Python developer does not want a .NET job)
    *(("Software Developer", "Software Engineer", kind) for kind in (
        "Python Developer", "Java Developer", "JavaScript Developer", "PHP Developer",
        ".NET Developer", "Frontend Developer", "Backend Developer", "Full Stack Developer",
        "Mobile Developer", "Web Developer", "Game Developer", "Blockchain Developer")),
    ("Frontend Developer", "Full Stack Developer", "JavaScript Developer", "Web Developer"),
    *(("Backend Developer", kind) for kind in (
        "Full Stack Developer", "Python Developer", "Java Developer", "PHP Developer",
        ".NET Developer", "JavaScript Developer")),
    ("PHP Developer", "Web Developer"),
    ("DevOps Engineer", "Cloud Engineer", "Solutions Architect", "System Administrator"),
    ("Data Analyst", "Business Intelligence Analyst", "Statistician", "Data Scientist",
     "Business Analyst"),
    ("Data Scientist", "Machine Learning Engineer", "Data Engineer"),
    ("Data Engineer", "Database Administrator"),
    ("IT Support Specialist", "System Administrator", "Network Engineer", "IT Manager"),
    # education, legal, agriculture, NGOs, manufacturing
    ("Teacher", "Teaching Assistant", "Tutor", "Head Teacher"),
    ("Lawyer", "Legal Officer", "Company Secretary"),
    ("Paralegal", "Legal Officer"),
    ("Agronomist", "Farm Manager"),
    ("Farm Manager", "Farm Worker"),
    ("Monitoring and Evaluation Officer", "Programme Officer", "Project Coordinator"),
    ("Production Supervisor", "Machine Operator", "Factory Worker"),
    # sales and business development
    ("Sales Representative", "Sales Executive", "Sales Officer", "Van Sales Representative",
     "Medical Sales Representative"),
    ("Sales Supervisor", "Sales Manager", "Area Sales Manager", "Key Account Manager"),
    ("Sales Executive", "Account Executive", "Key Account Manager",
     "Business Development Executive"),
    ("Sales Manager", "Business Development Manager"),
    ("Business Development Executive", "Business Development Manager", "Partnerships Manager"),
    ("Merchandiser", "Brand Ambassador", "Sales Representative"),
    ("Telesales Agent", "Call Centre Agent", "Sales Representative"),
    # customer service, front office, admin, HR
    ("Customer Service Representative", "Call Centre Agent", "Customer Success Manager",
     "Customer Service Manager"),
    ("Receptionist", "Guest Relations Officer", "Front Office Manager"),
    # Front desk and back office meet only in the office assistant who does a bit of both.
    ("Receptionist", "Office Assistant"),
    ("Administrative Assistant", "Office Assistant"),
    ("Administrative Officer", "Administrative Assistant", "Office Manager", "Secretary",
     "Personal Assistant"),
    ("Personal Assistant", "Virtual Assistant", "Secretary"),
    ("Data Entry Clerk", "Administrative Assistant", "Virtual Assistant"),
    ("HR Officer", "HR Assistant", "HR Manager", "Recruiter"),
    ("HR Officer", "Learning and Development Officer"),
    # marketing
    # Digital marketing is a trade of its own: a generic marketing role (field marketing,
    # trade promotion) relates to it only by family, where the skills decide.
    ("Marketing Executive", "Marketing Manager", "Brand Manager"),
    ("Digital Marketer", "Social Media Manager", "Community Manager"),
    ("Digital Marketer", "SEO Specialist", "E-commerce Executive"),
    ("Public Relations Officer", "Marketing Executive"),
    # operations and management
    ("Operations Officer", "Operations Manager", "Branch Manager"),
    ("General Manager", "Managing Director", "Chief Operating Officer", "Operations Manager"),
    ("Project Manager", "Project Coordinator", "Scrum Master"),
    ("Security Guard", "Security Supervisor"),
)  # fmt: skip

# Developer titles that name a language: the job needs it. A candidate close to the title
# (a "Backend Developer") who lists skills but none of these is not its candidate.
LANGUAGE_TITLES: dict[str, frozenset[str]] = {
    "Java Developer": frozenset({"Java"}),
    ".NET Developer": frozenset({"C#/.NET"}),
    "PHP Developer": frozenset({"PHP"}),
    "Python Developer": frozenset({"Python"}),
    "JavaScript Developer": frozenset({"JavaScript", "TypeScript"}),
}

_LEVEL_RANK = {level: rank for rank, level in enumerate(SENIORITY_LEVELS)}
NO_LEVEL = -1


# Words that give a title a rank above the staff who do the work.
_RANKED = re.compile(
    r"\b(?:manager|head|lead|director|chief|supervisor|principal|architect|president|partner)\b",
    re.IGNORECASE,
)


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


@lru_cache(maxsize=1)
def _groups_of() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for number, group in enumerate(CLOSE_GROUPS):
        for title in group:
            groups.setdefault(title_key(title), []).append(f"g{number}")
    return {title: tuple(keys) for title, keys in groups.items()}


@lru_cache(maxsize=8192)
def family_of(title: str, family: str | None = None) -> str | None:
    """The vocabulary's family for a canonical title, else the family given with it."""
    role = role_for_title(title)
    return role.family if role is not None else family


@lru_cache(maxsize=8192)
def close_keys(title: str) -> tuple[str, ...]:
    """Keys that meet for close titles: its groups, and itself (so an exact title always
    meets, even one outside the vocabulary)."""
    key = title_key(title)
    return (*_groups_of().get(key, ()), f"t:{key}")


@lru_cache(maxsize=8192)
def is_staff_title(title: str) -> bool:
    """Whether a canonical title names the work and no rank ("HR Officer", not "HR Manager")."""
    return _RANKED.search(title) is None


def level_rank(level: str | None) -> int:
    """0 (intern) to 7 (director), or NO_LEVEL."""
    return _LEVEL_RANK.get(level, NO_LEVEL) if level else NO_LEVEL


@lru_cache(maxsize=8192)
def stated_level(title: str) -> int:
    """The level a canonical title itself states ("Sales Manager" -> manager), or NO_LEVEL."""
    return level_rank(seniority_of(title))


def level_from_years(years: float | None) -> int:
    """The level a candidate's years put them at: entry, junior, mid, senior, lead."""
    if years is None:
        return NO_LEVEL
    if years < 1:
        return _LEVEL_RANK["entry"]
    if years < 3:
        return _LEVEL_RANK["junior"]
    if years < 6:
        return _LEVEL_RANK["mid"]
    if years < 10:
        return _LEVEL_RANK["senior"]
    return _LEVEL_RANK["lead"]
