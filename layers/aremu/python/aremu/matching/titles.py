"""How two job titles relate, beyond the vocabulary's families.

A vocabulary family is broad on purpose (it groups titles for extraction): `health` holds
Nurse and Doctor, `finance` an Accountant and an Auditor. Matching follows the labelling
standard (docs/matching_relevance.md), which asks whether a recruiter would put the
candidate forward without hesitation, so titles relate in three ways:

- the same occupation (`SAME_GROUPS`): other names for the same work, or the same work a
  rank up or down ("Customer Care Executive" and "Customer Service Representative",
  "Accountant" and "Finance Officer"; the rank is the seniority rules' business);
- adjacent (`ADJACENT_GROUPS`): the same department, different work (an Accountant and
  an Auditor, Logistics and Procurement, a Social Media Manager and a Digital Marketer).
  Not the candidate's job, unless they list the skill that defines the posting's title
  among their own (`SPECIALISM_SKILLS`): a Digital Marketer who lists SEO would take an
  SEO job, one who does not would not;
- family only: no relation known, so the skills decide (see `scoring`).

Each title gets "same keys": two titles are the same occupation when their keys meet; the
index files candidates under these keys, so the prefilter and the score read one
definition. Adjacent titles meet on "adjacent keys", which only the score reads.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aremu.domain.vocabulary.roles import SENIORITY_LEVELS, role_for_title, seniority_of

_DEVELOPER_KINDS = (
    "Python Developer", "Java Developer", "JavaScript Developer", "PHP Developer",
    ".NET Developer", "Frontend Developer", "Backend Developer", "Full Stack Developer",
    "Mobile Developer", "Web Developer", "Game Developer", "Blockchain Developer",
)  # fmt: skip

SAME_GROUPS: tuple[tuple[str, ...], ...] = (
    # health, engineering, creative, writing, trades
    ("Medical Receptionist", "Receptionist"),
    ("Civil Engineer", "Site Engineer", "Project Engineer"),
    ("Mechanical Engineer", "Maintenance Engineer"),
    ("Petroleum Engineer", "Drilling Engineer"),
    ("Content Writer", "Copywriter"),
    # Nigerian postings join these in one job ("Social Media Manager & Content Creator").
    ("Content Creator", "Social Media Manager"),
    ("Social Media Manager", "Community Manager"),
    ("Electrician", "Solar Installer"),
    # hospitality, facilities, retail, security
    ("Chef", "Cook"),
    ("Cleaner", "Housekeeper"),
    ("Cashier", "Shop Attendant"),
    ("Security Guard", "Security Supervisor"),
    # logistics and procurement: the officer and the manager of the same work
    ("Logistics Officer", "Logistics Manager"),
    ("Warehouse Officer", "Storekeeper"),
    ("Procurement Officer", "Procurement Manager"),
    # finance and banking: keeping the books, at any rank
    ("Accountant", "Accounts Assistant", "Bookkeeper", "Finance Officer", "Finance Manager",
     "Chief Financial Officer"),
    # Microfinance loan officers win and keep the clients, as relationship managers do.
    ("Relationship Manager", "Loan Officer"),
    # software: a generic developer title is every kind; the kinds meet only where the work
    # does (a Python developer does not want a .NET job)
    *(("Software Developer", "Software Engineer", kind) for kind in _DEVELOPER_KINDS),
    ("Frontend Developer", "JavaScript Developer", "Web Developer"),
    *(("Backend Developer", kind) for kind in (
        "Python Developer", "Java Developer", "PHP Developer", ".NET Developer",
        "JavaScript Developer")),
    ("PHP Developer", "Web Developer"),
    ("DevOps Engineer", "Cloud Engineer"),
    ("Data Analyst", "Business Intelligence Analyst"),
    # education, legal, manufacturing
    ("Teacher", "Tutor", "Head Teacher"),
    ("Lawyer", "Legal Officer"),
    ("Machine Operator", "Factory Worker"),
    # Selling, whatever the posting calls the seller: on the road, by phone, to key accounts.
    ("Sales Representative", "Sales Executive", "Sales Officer", "Business Development Executive",
     "Account Executive", "Key Account Manager", "Telesales Agent", "Van Sales Representative"),
    # Leading sellers.
    ("Sales Supervisor", "Sales Manager", "Area Sales Manager", "Business Development Manager"),
    # customer service, front office, admin, HR
    ("Customer Service Representative", "Call Centre Agent", "Customer Service Manager"),
    ("Receptionist", "Guest Relations Officer", "Front Office Manager"),
    ("Administrative Officer", "Administrative Assistant", "Office Assistant", "Office Manager",
     "Secretary", "Personal Assistant", "Virtual Assistant"),
    ("HR Officer", "HR Assistant", "HR Manager"),
    # marketing, operations, projects
    ("Marketing Executive", "Marketing Manager"),
    ("Operations Officer", "Operations Manager"),
    ("Operations Manager", "Chief Operating Officer"),
    ("Project Manager", "Project Coordinator"),
)  # fmt: skip

ADJACENT_GROUPS: tuple[tuple[str, ...], ...] = (
    # health: the nurse's work is not the nursing assistant's, nor the midwife's
    ("Nurse", "Midwife", "Caregiver", "Dental Nurse", "Community Health Worker"),
    ("Pharmacist", "Pharmacy Technician"),
    ("Medical Laboratory Scientist", "Laboratory Technician"),
    ("Dentist", "Dental Nurse"),
    ("Public Health Officer", "Community Health Worker", "Monitoring and Evaluation Officer"),
    # engineering and construction
    ("Engineer", "Project Engineer"),
    ("Electrical Engineer", "Instrumentation Engineer", "Maintenance Engineer"),
    ("Architect", "Draughtsman"),
    ("Land Surveyor", "Estate Surveyor"),
    # creative and writing
    ("Graphic Designer", "UI/UX Designer", "Web Designer", "Animator"),
    ("Video Editor", "Videographer", "Animator", "Photographer"),
    ("Content Writer", "Copywriter", "Editor", "Technical Writer"),
    ("Translator", "Transcriptionist"),
    ("Journalist", "Broadcaster"),
    # trades: a title that only says "Technician" names no trade, so it relates to none
    ("Electrician", "Generator Technician", "CCTV Technician"),
    ("Mechanic", "Generator Technician"),
    # hospitality
    ("Chef", "Cook", "Kitchen Assistant", "Caterer", "Baker"),
    ("Waiter", "Bartender"),
    ("Hotel Manager", "Restaurant Manager"),
    # logistics and procurement: moving goods, storing them and buying them are three trades
    ("Driver", "Dispatch Rider"),
    ("Logistics Officer", "Logistics Manager", "Supply Chain Officer", "Clearing Agent",
     "Warehouse Officer", "Storekeeper", "Driver", "Procurement Officer"),
    ("Warehouse Officer", "Forklift Operator"),
    ("Procurement Officer", "Procurement Manager", "Supply Chain Officer"),
    # finance and banking: auditing, tax, payroll and treasury are not keeping the books
    ("Accountant", "Finance Officer", "Auditor", "Tax Consultant", "Payroll Officer",
     "Treasury Officer", "Financial Analyst"),
    ("Financial Analyst", "Investment Analyst", "Risk Analyst", "Credit Analyst"),
    ("Financial Adviser", "Investment Analyst"),
    ("Auditor", "Risk Analyst", "Compliance Officer"),
    ("Relationship Manager", "Banking Operations Officer"),
    ("Bank Teller", "Banking Operations Officer", "Cashier"),
    ("Credit Analyst", "Loan Officer", "Collections Officer", "Risk Analyst"),
    ("Underwriter", "Claims Officer"),
    # software and data
    # full-stack work is the front end's and the back end's, and neither alone
    ("Frontend Developer", "Full Stack Developer", "Mobile Developer"),
    ("Backend Developer", "Full Stack Developer"),
    *((kind, "RPA Developer", "QA Engineer") for kind in (
        "Software Developer", "Software Engineer", *_DEVELOPER_KINDS)),
    ("DevOps Engineer", "Solutions Architect", "System Administrator"),
    ("Data Analyst", "Data Scientist", "Statistician", "Business Analyst"),
    ("Data Scientist", "Machine Learning Engineer", "Data Engineer"),
    ("Data Engineer", "Database Administrator"),
    ("IT Support Specialist", "System Administrator", "Network Engineer"),
    # education, legal, agriculture, NGOs, manufacturing
    ("Teacher", "Teaching Assistant"),
    ("Paralegal", "Legal Officer", "Company Secretary"),
    ("Agronomist", "Farm Manager", "Farm Worker"),
    ("Monitoring and Evaluation Officer", "Programme Officer", "Project Coordinator"),
    ("Production Supervisor", "Machine Operator", "Factory Worker"),
    # sales: leading sellers is not selling, and selling medicines or a brand is a trade
    ("Sales Manager", "Area Sales Manager", "Business Development Manager", "Key Account Manager",
     "Partnerships Manager", "Sales Executive", "Sales Representative"),
    ("Sales Representative", "Medical Sales Representative", "Merchandiser", "Brand Ambassador",
     "Real Estate Agent"),
    ("Customer Service Representative", "Customer Success Manager", "Telesales Agent"),
    # front office, admin, HR
    ("Receptionist", "Office Assistant", "Administrative Assistant"),
    # keying data is clerical work, not running an office
    ("Data Entry Clerk", "Administrative Officer", "Administrative Assistant", "Office Assistant",
     "Secretary", "Virtual Assistant"),
    ("HR Officer", "Recruiter", "Learning and Development Officer"),
    # marketing: digital trades are specialisms, open to whoever lists their skill
    ("Marketing Executive", "Brand Manager", "Public Relations Officer"),
    # Social media is a specialist's job; general marketing (strategy, brand, field
    # campaigns) is not what a social media manager is put forward for, nor the reverse.
    ("Marketing Executive", "Marketing Manager", "Social Media Manager", "Content Creator",
     "Community Manager"),
    ("Digital Marketer", "Social Media Manager", "Community Manager", "SEO Specialist",
     "E-commerce Executive", "Content Creator"),
    # operations and management
    ("Operations Officer", "Branch Manager"),
    ("General Manager", "Managing Director", "Operations Manager"),
    ("Project Manager", "Scrum Master", "Programme Officer"),
)  # fmt: skip

# The skill that defines a specialism: a candidate who lists it would take the title's job
# even where their own title is only adjacent to it (an HR Officer who recruits, a Recruiter).
SPECIALISM_SKILLS: dict[str, str] = {
    "Social Media Manager": "Social media management",
    "Community Manager": "Social media management",
    "Content Creator": "Content creation",
    "SEO Specialist": "SEO",
    "Digital Marketer": "Digital marketing",
    "Copywriter": "Copywriting",
    "Content Writer": "Content writing",
    "Recruiter": "Recruitment",
    "Partnerships Manager": "Partnerships",
    "Supply Chain Officer": "Supply chain management",
    "Logistics Officer": "Logistics",
    "Procurement Officer": "Procurement",
    "Auditor": "Auditing",
    "Tax Consultant": "Taxation",
    "Payroll Officer": "Payroll",
    "Bookkeeper": "Bookkeeping",
    "Data Analyst": "Data analysis",
    "Graphic Designer": "Graphic design",
    "Video Editor": "Video editing",
}

# Developer titles that name a language: the job needs it. A candidate of the same
# occupation (a "Backend Developer") who lists skills but none of these is not its candidate.
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


def _keyed(groups: tuple[tuple[str, ...], ...], prefix: str) -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = {}
    for number, group in enumerate(groups):
        for title in group:
            keys.setdefault(title_key(title), []).append(f"{prefix}{number}")
    return {title: tuple(found) for title, found in keys.items()}


@lru_cache(maxsize=1)
def _same_of() -> dict[str, tuple[str, ...]]:
    return _keyed(SAME_GROUPS, "g")


@lru_cache(maxsize=1)
def _adjacent_of() -> dict[str, tuple[str, ...]]:
    """Each title's adjacent keys, and those of the titles of its occupation: a Finance
    Manager keeps the books as an Accountant does, so tax and treasury are adjacent to
    it too (not merely of its family)."""
    direct = _keyed(ADJACENT_GROUPS, "a")
    closed = {title: list(keys) for title, keys in direct.items()}
    for group in SAME_GROUPS:
        shared = [key for other in group for key in direct.get(title_key(other), ())]
        for other in group:
            closed.setdefault(title_key(other), []).extend(shared)
    return {title: tuple(dict.fromkeys(keys)) for title, keys in closed.items() if keys}


@lru_cache(maxsize=1)
def _specialisms() -> dict[str, str]:
    return {title_key(title): skill for title, skill in SPECIALISM_SKILLS.items()}


DEFINING_SKILLS = frozenset(SPECIALISM_SKILLS.values())


@lru_cache(maxsize=8192)
def family_of(title: str, family: str | None = None) -> str | None:
    """The vocabulary's family for a canonical title, else the family given with it."""
    role = role_for_title(title)
    return role.family if role is not None else family


@lru_cache(maxsize=8192)
def same_keys(title: str) -> tuple[str, ...]:
    """Keys that meet for titles of the same occupation: its groups, and itself (so an exact
    title always meets, even one outside the vocabulary)."""
    key = title_key(title)
    return (*_same_of().get(key, ()), f"t:{key}")


@lru_cache(maxsize=8192)
def adjacent_keys(title: str) -> tuple[str, ...]:
    """Keys that meet for adjacent titles (same department, different work)."""
    return _adjacent_of().get(title_key(title), ())


@lru_cache(maxsize=8192)
def specialism_skill(title: str) -> str | None:
    """The skill that defines this title's specialism, if it is one."""
    return _specialisms().get(title_key(title))


@lru_cache(maxsize=256)
def skill_key(skill: str) -> str:
    """The index key of a defining skill: candidates who list it, jobs it defines."""
    return f"s:{skill}"


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


# Years a posting's level word asks for when the posting states none (the standard's
# reading): mid three, senior, lead or supervisor five, manager seven, head, chief or
# director eight.
_YEARS_FOR_LEVEL = {"mid": 3.0, "senior": 5.0, "lead": 5.0, "manager": 7.0, "director": 8.0}
YEARS_FOR_LEVEL: dict[int, float] = {
    _LEVEL_RANK[name]: years for name, years in _YEARS_FOR_LEVEL.items()
}


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
