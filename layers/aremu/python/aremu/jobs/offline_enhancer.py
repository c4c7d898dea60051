"""The deterministic enhancer: what a posting says, read with vocabularies and patterns.

It is the default with no OpenAI key and the fallback on any AI failure, so it fills the
same model as the AI does, from the text alone, and never invents: a skill is listed only
when the posting names it, a salary only when one is stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import cast, get_args

from aremu.domain.vocabulary.places import Place, find_places, resolve_place
from aremu.domain.vocabulary.roles import Role, normalise_title, role_for_title, seniority_of
from aremu.jobs.joined_titles import dominant_role, duties_behind, keep_variants
from aremu.jobs.models import (
    SUMMARY_MAX_CHARS,
    EmploymentType,
    EnhancedFields,
    EnhancedJob,
    Enhancement,
    EnhanceRun,
    ExperienceRange,
    HowToApply,
    JobLocation,
    Level,
    NormalisedSalary,
    RawJob,
    SalaryInterval,
    WorkArrangement,
)
from aremu.jobs.normalise import ANNUAL_FACTOR
from aremu.jobs.skills import SkillMatcher, skill_matcher
from aremu.jobs.taxonomy import function_from_skills, function_from_title, industry_of
from aremu.jobs.text import EMAIL, URL, clip, plain_text, without_contacts

MAX_REQUIRED_SKILLS = 15
MAX_PREFERRED_SKILLS = 10

_I = re.IGNORECASE
_PREFERRED = re.compile(
    r"nice to have|preferred|desirable|added advantage|an advantage|is a plus|a plus\b|"
    r"bonus|would be great|good to have",
    _I,
)
_OTHER_SECTION = re.compile(
    r"about (?:us|the company|the client|our client)|company (?:description|overview|profile)|"
    r"who we are|our company|benefits|what we offer|perks|why join|how to apply|application|"
    r"disclaimer|equal opportunit|compensation|remuneration|renumeration|salary",
    _I,
)
_ROLE_SECTION = re.compile(
    r"responsib|requirement|qualification|skill|competenc|experience|duties|role|job|"
    r"what you|who you|you will|you have|summary|description|overview|key|about the",
    _I,
)
_HEADING = re.compile(r"^\W*([A-Za-z][A-Za-z /&',()\-]{2,60}?)\s*:?\s*$")
_TITLE_NOISE = re.compile(
    r"^(?:job title|position|role)\s*:\s*|\((?:urgent|immediate|hiring)[^)]*\)|"
    r"\b(?:urgent(?:ly)?|needed|wanted)\b",
    _I,
)
_TITLE_PLACE_SUFFIX = re.compile(r"\s*(?:[-–(,|]|\bat\b|\bin\b)\s*[^-–(,|]*$")
_ACCOUNT_TITLE = re.compile(r"\baccounts?\s+(?:officer|manager|executive)\b", _I)
_CLIENT_ACCOUNT_ROLES = frozenset(
    {"Relationship Manager", "Key Account Manager", "Account Executive"}
)
_BOOKKEEPING_SKILLS = frozenset(
    {
        "Bookkeeping", "Financial reporting", "Reconciliation", "Accounts payable/receivable",
        "Payroll", "Taxation", "Auditing", "Treasury",
    }
)  # fmt: skip
_BOOKKEEPING_SKILLS_NEEDED = 3
_BOOKS_OF_ACCOUNT_ROLE = "Accountant"
# Where a posting's title stops naming the job: a dash, a bracket, a bar or " at ".
_TITLE_HEAD = re.compile(r"\s[-–—|]\s|\s?[-–—]\s?(?=[A-Z])|[(\[]|\s@\s|\sat\s")
_LOCATION_LINE = re.compile(r"(?im)^\W*(?:job\s+|work\s+)?location\W{0,3}:\W*([^\n]{1,80})")
# Jobberman's header line for a posting outside its listed cities.
_BOARD_REGION = re.compile(r"Rest of Nigeria \(([^)\n]{1,40})\)")
_LOCATION_SCAN_CHARS = 4000
# The description naming the post a head's: "As Head of Operations, you will ...".
_HEAD_NAMED = re.compile(r"\bAs (?:the |our )?(Head of [A-Z][A-Za-z&]*(?: [A-Z&][A-Za-z&]*)*),")
_HEAD_TITLE = re.compile(r"\b(?:head|director|chief|c[eoft]o)\b", _I)
_SOUTH_AFRICA_LISTING = re.compile(r"\s*ZA\s*,\s*NG\s*")
_ZAMFARA = re.compile(r"\b(?:zamfara|gusau|kaura namoda|talata mafara)\b", _I)
# A label line that makes the work remote wherever it stands (often under the duties):
# "Job Type: Remote (International Contractor)", "Work Mode: Remote".
_REMOTE_LABEL = re.compile(
    r"(?im)^\W*(?:job|work|employment|workplace)\s+(?:type|mode|model|arrangement)\W{0,3}:"
    r"\W*(?:fully\s+)?remote\b(?![\s-]*(?:friendly|optional|/|or\b))"
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_YEARS = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
_EXPERIENCE_RANGE = re.compile(
    _YEARS + r"\s*(?:\+\s*)?(?:-|–|to)\s*" + _YEARS + r"\s*\+?\s*(?:\(\w+\)\s*)?years?", _I
)
_EXPERIENCE_MIN = re.compile(
    r"(?:(?:minimum|at least|min\.?)\s*(?:of\s*)?)?" + _YEARS + r"\s*(\+|plus)?\s*(?:\(\d+\)\s*)?"
    r"years?(?:'|’)?\s*(?:of\s*)?(?:[\w-]+\s+){0,4}?(?:experience|exp\b|practice\b)",
    _I,
)
# "10+ years in financial leadership", "3+ years of marketing/sales experience": the plus
# marks a requirement even where the word "experience" is missing or too far off.
# "For 10+ years in Lagos" and "over 10+ years of" tell how long a company has traded.
_EXPERIENCE_PLUS = re.compile(
    r"(?<!\bfor )(?<!\bover )(?<!\bpast )(?<!\blast )\b" + _YEARS + r"\s*\+\s*years?\s+(?:in|of)\b",
    _I,
)
# Jobberman's header facts: "Experience Level : Entry level", "Experience Length : 2 years".
_BOARD_EXPERIENCE_LENGTH = re.compile(r"Experience Length\s*:\s*" + _YEARS + r"\s*\+?\s*years?", _I)
_BOARD_EXPERIENCE_LEVEL = re.compile(
    r"Experience Level\s*:\s*([A-Za-z &]+?)\s*(?:level)?\s*$", _I | re.M
)
_BOARD_LEVELS: dict[str, Level] = {
    "internship & graduate": "intern",
    "internship": "intern",
    "graduate": "intern",
    "entry": "entry",
    "no experience": "entry",
}
_CURRENCY_AMOUNT = (
    r"(?P<cur{n}>₦|NGN|(?<![A-Za-z])N(?=\s?\d)|\$|USD)\s?(?P<num{n}>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<mul{n}>[kKmM](?![a-z]))?"
)
_SALARY_RANGE = re.compile(
    _CURRENCY_AMOUNT.format(n=1)
    + r"(?:\s*(?:-|–|to)\s*(?:"
    + _CURRENCY_AMOUNT.format(n=2)
    + r"|(?P<num3>\d[\d,]*(?:\.\d+)?)\s*(?P<mul3>[kKmM](?![a-z]))?))?"
)
# A pay line with no currency sign: "Salary Range: 1,000,000 - 1,700,000", "Pay: 150,000",
# "Pay is 75,000 naira monthly", "Competitive salary - 150,000 NGN per month".
_BARE_SALARY = re.compile(
    r"(?:salary|\bpay|remuneration|renumeration|stipend)(?:\s+range)?(?:\s*[:\-–]\s*|\s+is\s+)"
    r"(?P<num1>\d{1,3}(?:,\d{3,4})+|\d{4,})(?P<mul1>)"
    r"(?:\s*(?:-|–|to)\s*(?P<num2>\d{1,3}(?:,\d{3})+|\d{4,})(?P<mul2>))?(?P<num3>)(?P<mul3>)",
    _I,
)
_SALARY_LINE = re.compile(
    # "Renumeration" is how many Nigerian postings spell it.
    r"salary|\bpay\b|remuneration|renumeration|stipend|compensation|\bearn|per month|"
    r"monthly|per annum|"
    r"per hour|/month|/hr|"
    # "N300K p.m" under a "Salary & Benefits" heading: a figure per month, not a time.
    r"\d\s*[kKmM]?\s*p\.m\b|"
    # A job board's pay band closing its header line: "Retail & FMCG NGN 75,000 - 150,000".
    r"\bNGN\s?\d[\d,]*\s?[-–]\s?\d[\d,]*(?:\s+(?:negotiable|plus commission))*\s*$",
    _I,
)
_INTERVAL_WORDS: tuple[tuple[SalaryInterval, re.Pattern[str]], ...] = (
    ("hourly", re.compile(r"per hour|hourly|/\s?h(?:ou)?r|an hour", _I)),
    ("daily", re.compile(r"per day|daily|/\s?day|a day", _I)),
    ("weekly", re.compile(r"per week|weekly|/\s?week|a week", _I)),
    ("monthly", re.compile(r"per month|monthly|/\s?month|a month|\bmonth\b|\bp\.?m\b", _I)),
    ("yearly", re.compile(r"per annum|annual|yearly|per year|/\s?y(?:ea)?r|\bp\.?a\b", _I)),
)
# Below these a figure on a pay line is a price or a count, not a wage ("$2 a day plan").
_PLAUSIBLE_YEARLY_MINIMUM = {"NGN": 120_000.0, "USD": 1_000.0}
_PHONE = re.compile(r"(?:\+?234[\s\-]?|\b0)([789][01]\d(?:[\s\-]?\d){7})\b")
_WHATSAPP = re.compile(r"whats\s?app", _I)
_APPLY = re.compile(r"apply|application|submit|send (?:your )?cv|click", _I)
_EMPLOYMENT: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    ("internship", re.compile(r"\binternship\b|\bintern\b|\bnysc\b", _I)),
    ("freelance", re.compile(r"\bfreelance\b", _I)),
    ("contract", re.compile(r"\bcontract\b|\bcontractor\b", _I)),
    ("part_time", re.compile(r"\bpart[\s\-]?time\b", _I)),
    ("temporary", re.compile(r"\btemporary\b|\btemp\b", _I)),
    ("volunteer", re.compile(r"\bvolunteer\b", _I)),
    ("full_time", re.compile(r"\bfull[\s\-]?time\b|\bpermanent\b", _I)),
)
# "Volunteer Social Media Manager" is unpaid; a "Volunteer Coordinator" is paid to manage them.
_VOLUNTEER = re.compile(
    r"\bvolunteers?\b(?!\s+(?:coordinator|manager|management|engagement|programme|program)\b)", _I
)
# A description that says the post is unpaid, whatever its title or listing says ("This is a
# volunteer remote role", "Compensation: Unpaid"); an "unpaid internship with a monthly
# stipend" pays, so only a role, position, post or opportunity counts.
_UNPAID = re.compile(
    r"\bis an? (?:[\w-]+\s+){0,2}?(?:volunteer|unpaid)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:role|position|post|opportunity)\b|"
    r"\b(?:compensation|salary|pay|remuneration)\s*:\s*(?:unpaid|none|volunteer)\b|"
    r"\bno (?:monetary )?(?:compensation|salary|pay)\b",
    _I,
)
_UNPAID_SCAN_CHARS = 8000
# Pay by the piece ("We pay per script, with rates based on length"): freelance work, whatever
# the board calls it, so with no rate stated it promises no wage. Pay per sale or lead is
# a seller's commission, often on top of a salary, so it is not read here.
_PIECE_RATE = re.compile(
    r"\bpa(?:y|ys|id)\s+(?:is\s+)?per\s+(?:script|article|word|post|video|task|piece|project|"
    r"assignment|delivery|gig)s?\b",
    _I,
)
# What says the work itself is remote, not that the team is "remote-friendly".
_FULLY_REMOTE = re.compile(
    r"\bfully[\s-]remote\b|\b100%\s*remote\b|\bremote[\s-](?:only|first|based)\b|"
    r"\bremote (?:role|position|job|opportunity|contract)\b|\bwork(?:ing)? (?:fully )?remotely\b|"
    # "Permission to work from home" is a perk of an office job, not remote work.
    r"\bremote work (?:required|only)\b|\bthis is a remote\b|"
    r"\bwork from home (?:role|position|job|opportunity)\b|\bfully work from home\b",
    _I,
)
_PAY_LABEL_CHARS = 30  # "Salary Range:", "**Renumeration:**": a label, not a sentence
# A contest calls its entrants to compete for a prize ("compete for a life-changing
# N25,000,000", "the #ProjectMakeMe Reality TV Show"): to a job seeker it pays no wage.
_CONTEST = re.compile(
    r"\breality\s+(?:tv|show)\b|\bgrand prize\b|\bcontestants?\b|"
    r"\bcompete for an?\b[^.!\n]{0,40}(?:prize|₦|\bN\d)",
    _I,
)
# A post for serving NYSC corps members (an intern's level), not one that asks for NYSC done
# ("Must have served (NYSC)"): "Current NYSC corps member", "seeking a Place of Primary
# Assignment", "Job Title: Architect (NYSC)".
_FOR_CORPS_MEMBERS = re.compile(
    r"\b(?:current|serving)\s+(?:nysc\s+)?corps\s+members?\b|"
    r"\bnysc\s+corps\s+members?\s+to\b|\bplace of primary assignment\b|"
    r"\bjob title\s*:[^\n]{0,80}\(\s*nysc\s*\)",
    _I,
)
# A programme that trains students or new graduates ("the ONE SAIL (Shipping Apprenticeship
# & International Learning) program", "Graduate Trainee Programme"): its length is no
# experience asked for.
_TRAINEE_PROGRAMME = re.compile(
    r"\bapprenticeship\b[^.\n]{0,60}\bprogram(?:me)?\b|"
    r"\b(?:graduate|management)\s+trainee(?:ship)?\s+program(?:me)?\b",
    _I,
)
_TITLE_FOR_CORPS_MEMBERS = re.compile(r"\(\s*nysc\s*\)|\bnysc\s+(?:corps|intern)", _I)
_EMPLOYMENT_LABELS: dict[str, str] = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
    "volunteer": "Volunteer",
    "freelance": "Freelance",
}
_JOB_TYPES: dict[str, EmploymentType] = {
    "fulltime": "full_time",
    "parttime": "part_time",
    "contract": "contract",
    "temporary": "temporary",
    "internship": "internship",
    "volunteer": "volunteer",
    "freelance": "freelance",
}


class OfflineEnhancer:
    def __init__(self, matcher: SkillMatcher | None = None) -> None:
        self._matcher = matcher or skill_matcher()

    def enhance(
        self, job: RawJob, fallback_reason: str | None = None, now: datetime | None = None
    ) -> EnhancedJob:
        return EnhancedJob(
            fields=self.fields(job),
            enhancement=Enhancement(
                source="offline", fallback_reason=fallback_reason, enhanced_at=now
            ),
        )

    def enhance_many(self, jobs: Sequence[RawJob], now: datetime | None = None) -> EnhanceRun:
        results = [self.enhance(job, now=now) for job in jobs]
        return EnhanceRun(results=results, offline=len(results))

    def fields(self, job: RawJob) -> EnhancedFields:
        text = plain_text(job.description)
        title = clean_title(job.title, job.company)
        head = head_named_in(text)
        if head is not None and not _HEAD_TITLE.search(title):
            # "Fashion Store Manager" whose text says "As Head of Operations, you will...":
            # the employer's own words name the post.
            title = head
        required, preferred = self.skills(title, text, job.company)
        role = read_role(title, required + preferred)
        # "Office Assistant / Cleaner" whose duties are cleaning is a cleaner's job.
        dominant = dominant_role(title, text, self._matcher)
        if dominant is None and role is not None:
            # A "Customer Service Representative" post whose duties are selling to targets,
            # a "Key Account Manager" one whose duties are delivering projects.
            dominant = duties_behind(title, role, text, self._matcher)
        role = dominant or role
        normalised_title = role.title if role else title
        variants = title_variants(job.title, title, normalised_title)
        first_reading = normalise_title(title)
        if first_reading is not None and first_reading != role:
            # The posting's own words ruled that reading out; its variants must not bring it back.
            variants = [v for v in variants if normalise_title(v) != first_reading]
        if dominant is not None:
            variants = keep_variants(variants, dominant)
        elif head is not None and role is not None:
            variants = keep_variants(variants, role)
        job_function = (
            (function_from_title(dominant.title) if dominant else None)
            or function_from_title(title)
            or function_from_skills(required + preferred)
        )
        employer = " ".join(
            part or "" for part in (job.company, job.company_industry, job.company_description)
        )
        experience = experience_range(text)
        location = job_location(job, text)
        terms = employment_type(job, title, text)
        arrangement = work_arrangement(job, text, location)
        # The board's remote flag stands only where the posting's words say remote work.
        location = location.model_copy(update={"remote": arrangement == "remote"})
        listed = {_JOB_TYPES.get(_job_type_key(t)) for t in job.job_types}
        fields = EnhancedFields(
            normalised_title=normalised_title,
            title_variants=variants,
            required_skills=required[:MAX_REQUIRED_SKILLS],
            preferred_skills=preferred[:MAX_PREFERRED_SKILLS],
            industry=industry_of(employer, text, job_function),
            job_function=job_function,
            level=level_of(
                title,
                experience,
                internship="internship" in listed or for_trainees(job.title, text),
                labelled=board_level(text),
            ),
            experience=experience,
            work_arrangement=arrangement,
            location=location,
            salary=salary_of(job, text),
            employment_type=terms,
            how_to_apply=how_to_apply(job, text),
        )
        return fields.model_copy(update={"summary": summary(fields, job.company, text)})

    def skills(
        self, title: str, text: str, company: str | None = None
    ) -> tuple[list[str], list[str]]:
        """Skills the title or the role's sections name, then those named only as a plus.

        The employer's own blurb, benefits and application steps are left out: "a retail
        and hospitality platform" describes the company, not what the job asks for.
        """
        body = without_contacts(text)
        if company:
            body = re.sub(re.escape(company), " ", body, flags=_I)
        required: list[str] = self._matcher.find(title)
        preferred: list[str] = []
        spans = _section_spans(body)
        for match in self._matcher.find_all(body):
            kind = next((k for start, end, k in spans if start <= match.start < end), "role")
            if kind == "preferred":
                preferred.append(match.skill)
            elif kind == "role":
                required.append(match.skill)
        required = list(dict.fromkeys(required))
        return required, [skill for skill in dict.fromkeys(preferred) if skill not in required]


def clean_title(title: str, company: str | None) -> str:
    text = _TITLE_NOISE.sub(" ", title)
    if company:
        text = re.sub(rf"\s+(?:at|@|-|–)\s+{re.escape(company)}.*$", "", text, flags=_I)
    text = re.sub(r"\s+(?:at|@)\s+[A-Z][\w&.' ]+$", "", text)
    # "Delivery Driver - LAGOS", "Security guard (AJAH)": the place is in the location.
    stripped = _TITLE_PLACE_SUFFIX.sub("", text)
    if stripped and resolve_place(text[len(stripped) :]) is not None:
        text = stripped
    text = " ".join(text.split()).strip(" -–,:|")
    return text if not text.isupper() else text.title()


def head_named_in(text: str) -> str | None:
    """The head's post the description names as the one offered ("As Head of Operations,
    you will"), or None."""
    match = _HEAD_NAMED.search(text[:_LOCATION_SCAN_CHARS])
    return " ".join(match.group(1).split()) if match else None


def read_role(title: str, skills: Sequence[str]) -> Role | None:
    """The vocabulary role a title names, read against the skills where the title is ambiguous.

    "Account Officer" or "Account Manager" is a bank's or a seller's client book in most
    postings, and the books of account in others: one that asks for three or more of the
    bookkeeper's skills is an accounting job.
    """
    role = normalise_title(title)
    if (
        role is not None
        and role.title in _CLIENT_ACCOUNT_ROLES
        and _ACCOUNT_TITLE.search(title)
        and len(_BOOKKEEPING_SKILLS.intersection(skills)) >= _BOOKKEEPING_SKILLS_NEEDED
    ):
        return role_for_title(_BOOKS_OF_ACCOUNT_ROLE) or role
    return role


def title_variants(raw_title: str, title: str, normalised: str) -> list[str]:
    variants = [title, *re.split(r"\s*/\s*|\s+or\s+", title)]
    if " ".join(raw_title.split()) != title:
        variants.append(" ".join(raw_title.split()))
    seen = {normalised.casefold()}
    result: list[str] = []
    for variant in variants:
        key = variant.strip().casefold()
        if len(key) > 2 and key not in seen:
            seen.add(key)
            result.append(variant.strip())
    return result[:6]


def _section_spans(text: str) -> list[tuple[int, int, str]]:
    """Character ranges that are not plainly about the role: "preferred" or "other"."""
    spans: list[tuple[int, int, str]] = []
    section = "role"
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if _is_heading(stripped):
            if _PREFERRED.search(stripped):
                section = "preferred"
            elif _OTHER_SECTION.search(stripped):
                section = "other"
            elif _ROLE_SECTION.search(stripped):
                section = "role"
        kind = "preferred" if section == "role" and _PREFERRED.search(line) else section
        if kind != "role":
            spans.append((offset, offset + len(line), kind))
        offset += len(line)
    return spans


def _is_heading(line: str) -> bool:
    """A short label line ("Requirements", "Nice to have:"), not a bullet or a sentence."""
    return (
        len(line) <= 50
        and len(line.split()) <= 6
        and not line.endswith(".")
        and not line.startswith("•")
        and _HEADING.match(line) is not None
    )


def experience_range(text: str) -> ExperienceRange:
    """The years the posting asks for: its own words first, then the board's header fact."""
    for match in _EXPERIENCE_RANGE.finditer(text):
        low, high = _years(match.group(1)), _years(match.group(2))
        if low is not None and high is not None and low <= high <= 40:
            return ExperienceRange(min_years=low, max_years=high)
    # The posting's first stated minimum is its requirement ("8+ years in hotel operations,
    # including 4 years experience as a manager" asks 8).
    stated = [
        found
        for pattern in (_EXPERIENCE_MIN, _EXPERIENCE_PLUS)
        if (found := _first_years(pattern, text))
    ]
    if stated:
        return ExperienceRange(min_years=min(stated)[1])
    board = _first_years(_BOARD_EXPERIENCE_LENGTH, text)
    return ExperienceRange(min_years=board[1]) if board else ExperienceRange()


def _first_years(pattern: re.Pattern[str], text: str) -> tuple[int, float] | None:
    """Where the pattern first states a plausible number of years, and that number."""
    for match in pattern.finditer(text):
        low = _years(match.group(1))
        if low is not None and low <= 40:
            return match.start(), low
    return None


def board_level(text: str) -> Level | None:
    """The job board's own level label, where it is one the standard reads: an internship
    or graduate post, or an entry-level one ("Experience Level : Entry level")."""
    match = _BOARD_EXPERIENCE_LEVEL.search(text[:_LOCATION_SCAN_CHARS])
    if match is None:
        return None
    return _BOARD_LEVELS.get(" ".join(match.group(1).lower().split()))


def _years(word: str) -> float | None:
    if word.isdigit():
        return float(word)
    value = _NUMBER_WORDS.get(word.lower())
    return float(value) if value is not None else None


def level_of(
    title: str,
    experience: ExperienceRange,
    *,
    internship: bool = False,
    labelled: Level | None = None,
) -> Level | None:
    """The posting's level: its title's word, its listing as an internship (or a post for
    NYSC corps members or trainees), the board's intern or entry label, then the years it
    asks for.

    An entry-level label stands only while the years asked stay within a year: stated
    years outrank a label ("entry level, 2 years" is judged by the two years).
    """
    stated = seniority_of(title)
    if stated in get_args(Level):
        return cast(Level, stated)
    if internship:
        # The board lists it as an internship ("Video Editor" under its internships), or it
        # seeks serving corps members or trainees. A description's bare "NYSC" or "intern"
        # does not count: it is as often a requirement ("NYSC certificate").
        return "intern"
    years = experience.min_years
    most = experience.max_years if experience.max_years is not None else years
    if labelled == "intern" or (labelled == "entry" and (most is None or most <= 1)):
        return labelled
    if years is None:
        return None
    if years >= 6:
        return "senior"
    if years >= 3:
        return "mid"
    return "junior" if years >= 1 else "entry"


def job_location(job: RawJob, text: str = "") -> JobLocation:
    abroad = place_abroad(job.title, text)
    if abroad is not None:
        # "On-Site Project Manager - Indiana" listed under Lagos, "Distribution Supervisor
        # (Cape Town)" under "ZA, NG" (read as Zamfara): the posting's own words win.
        return JobLocation(city=abroad.city, country=abroad.country, remote=job.is_remote)
    south_african = job.location and _SOUTH_AFRICA_LISTING.fullmatch(job.location)
    if south_african and not _ZAMFARA.search(f"{job.title} {text}"):
        # Indeed lists South African jobs as "ZA, NG", which reads as Zamfara State; a
        # Zamfara posting names its state or a town in it.
        return JobLocation(country="ZA", remote=job.is_remote)
    place = resolve_place(job.location) if job.location else None
    if place is None:
        place = Place(job.city, job.state, job.country) if job.country else None
    if place is None or (place.city is None and place.state is None):
        # A board that only says "NG" often names the place in the posting itself.
        place = place_in_posting(job.title, text) or place
    if place is None:
        return JobLocation(
            city=job.city, state=job.state, country=job.country, remote=job.is_remote
        )
    return JobLocation(
        city=place.city, state=place.state, country=place.country, remote=job.is_remote
    )


def place_in_posting(title: str, text: str) -> Place | None:
    """The one Nigerian place a country-wide posting names: in its title's tail ("Client
    Support Representative – Lagos, Nigeria"), its "Location:" line, or the job board's
    "Rest of Nigeria (Ondo)" line, read in that order.

    The first of these that names any place decides; when it names places in more than
    one state, or one abroad ("Aba & Ikorodu", "Nairobi or Lagos"), the posting covers
    several and stays country-wide.
    """
    tail = _TITLE_HEAD.split(title, maxsplit=1)[1:]
    location = _LOCATION_LINE.search(text[:_LOCATION_SCAN_CHARS])
    board = _BOARD_REGION.search(text[:_LOCATION_SCAN_CHARS])
    for source in (
        tail[0] if tail else "",
        location.group(1) if location else "",
        board.group(1) if board else "",
    ):
        places = [p for p in find_places(source) if p.city or p.state or p.country != "NG"]
        if not places:
            continue
        states = {(p.country, p.state) for p in places}
        if len(states) > 1 or places[0].country != "NG" or places[0].state is None:
            return None
        return next((p for p in places if p.city), places[0])
    return None


def place_abroad(title: str, text: str) -> Place | None:
    """The place abroad a posting puts its work in, when its title's tail ("Project Manager
    - Indiana", "(Cape Town)") or its "Location:" line names only places abroad."""
    tail = _TITLE_HEAD.split(title, maxsplit=1)[1:]
    location = _LOCATION_LINE.search(text[:_LOCATION_SCAN_CHARS])
    for source in (tail[0] if tail else "", location.group(1) if location else ""):
        places = find_places(source)
        if places:
            if all(place.country != "NG" for place in places):
                return next((p for p in places if p.city), places[0])
            return None
    return None


def work_arrangement(job: RawJob, text: str, location: JobLocation) -> WorkArrangement | None:
    """Remote only when the posting says the work is: Indeed flags as remote any posting
    that mentions remote work ("a remote-friendly culture", "work in a remote setting")."""
    blob = f"{job.title} {job.work_from_home_type or ''} {text[:3000]}"
    if re.search(r"\bhybrid\b", blob, _I):
        return "hybrid"
    where = _LOCATION_LINE.search(text[:_LOCATION_SCAN_CHARS])
    if (
        _FULLY_REMOTE.search(blob)
        or _REMOTE_LABEL.search(text)
        or re.search(r"\bremote\b", job.title, _I)
        or (where is not None and re.search(r"\bremote\b", where.group(1), _I))
    ):
        return "remote"
    if re.search(r"\bon-?site\b|\bin-?office\b|\bon site\b", blob, _I) or location.city:
        return "onsite"
    return None


def salary_of(job: RawJob, text: str) -> NormalisedSalary | None:
    """The pay the posting states in its text, else the board's pay fields.

    JobSpy gives an Indeed range as its midpoint +-12% ("N100k-200k" arrives as about
    N132k-168k), so the top of the range, which decides whether the pay reaches a
    candidate's minimum, is lost; the description's own "Pay:" line keeps it. The text is
    taken when it restates the board's figure (the ranges overlap) or the board has none.
    """
    naira = (job.country or "").upper() == "NG"
    stated = salary_in_text(text, bare_currency="NGN" if naira else None)
    board = None
    if job.salary and job.salary.currency and (job.salary.min_amount or job.salary.max_amount):
        board = normalise_salary(
            job.salary.min_amount,
            job.salary.max_amount,
            job.salary.currency,
            job.salary.interval or "yearly",
        )
    if stated is None or (board is not None and not _overlap(stated, board)):
        return board
    return stated


def _overlap(one: NormalisedSalary, other: NormalisedSalary) -> bool:
    if one.currency != other.currency:
        return False
    low1, high1 = _bounds(one)
    low2, high2 = _bounds(other)
    return low1 <= high2 and low2 <= high1


def _bounds(salary: NormalisedSalary) -> tuple[float, float]:
    low = salary.monthly_min if salary.monthly_min is not None else salary.monthly_max
    high = salary.monthly_max if salary.monthly_max is not None else salary.monthly_min
    return low or 0.0, high or 0.0


def normalise_salary(
    low: float | None, high: float | None, currency: str, interval: str
) -> NormalisedSalary:
    factor = ANNUAL_FACTOR.get(interval, 1)

    def yearly(amount: float | None) -> float | None:
        return round(amount * factor) if amount is not None else None

    def monthly(amount: float | None) -> float | None:
        return round(amount * factor / 12) if amount is not None else None

    return NormalisedSalary(
        currency=currency,
        monthly_min=monthly(low),
        monthly_max=monthly(high),
        yearly_min=yearly(low),
        yearly_max=yearly(high),
    )


def _pay_lines(text: str) -> list[str]:
    """The text's lines, a pay label standing alone ("Renumeration:") joined to the line
    that follows it, where the figures are."""
    lines = [line for line in text.splitlines() if line.strip()]
    joined: list[str] = []
    for index, line in enumerate(lines):
        label = line.strip(" *_#\t")
        if label.endswith(":") and len(label) <= _PAY_LABEL_CHARS and index + 1 < len(lines):
            joined.append(f"{label} {lines[index + 1].strip()}")
        else:
            joined.append(line)
    return joined


def salary_in_text(text: str, bare_currency: str | None = None) -> NormalisedSalary | None:
    """A pay range stated in the posting ("Pay: ₦80,000 - ₦120,000 per month").

    With `bare_currency`, a labelled pay line without a currency sign ("Salary Range:
    1,000,000 - 1,700,000") is read in that currency (the job's country's).
    """
    for line in _pay_lines(text):
        if not _SALARY_LINE.search(line):
            continue
        match = _SALARY_RANGE.search(line)
        currency = "NGN"
        if match is not None:
            currency = "USD" if match.group("cur1") in {"$", "USD"} else "NGN"
        elif bare_currency is not None:
            match = _BARE_SALARY.search(line)
            currency = bare_currency
        if match is None:
            continue
        low_text = match.group("num1")
        low = _amount(low_text, match.group("mul1"))
        high_text, high_mul = (
            match.group("num2") or match.group("num3"),
            (match.group("mul2") or match.group("mul3")),
        )
        high = _amount(high_text, high_mul) if high_text else None
        if low and high is not None and high < low and _misgrouped(low_text):
            # "N120,0000 - N150,000": the first figure has a digit too many; the top stands.
            low = None
        if not (low or high) or (low and high is not None and high < low):
            continue
        tail = line[match.end() : match.end() + 40]
        interval = _first_interval(tail)
        if interval is None:
            top = high or low or 0.0
            interval = "monthly" if currency == "NGN" and top < 2_000_000 else "yearly"
        salary = normalise_salary(low, high, currency, interval)
        if (salary.yearly_min or salary.yearly_max or 0) >= _PLAUSIBLE_YEARLY_MINIMUM.get(
            currency, 0
        ):
            return salary
    return None


def _first_interval(tail: str) -> SalaryInterval | None:
    """The pay period the words after a figure name first: "N150,000 Monthly + Weekly
    Commission" is monthly pay."""
    found = [(match.start(), name) for name, p in _INTERVAL_WORDS if (match := p.search(tail))]
    return min(found)[1] if found else None


def _misgrouped(number: str) -> bool:
    """A figure whose thousands groups are not three digits ("120,0000"): a typing slip."""
    groups = number.split(".", maxsplit=1)[0].split(",")
    return len(groups) > 1 and any(len(group) != 3 for group in groups[1:])


def _amount(number: str | None, multiplier: str | None) -> float | None:
    if not number:
        return None
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    scale = {"k": 1_000, "m": 1_000_000}.get((multiplier or "").lower(), 1)
    return value * scale


def for_trainees(title: str, text: str) -> bool:
    """The post is for serving NYSC corps members (their service year, not graduates who
    have completed it), or a programme that trains students and new graduates."""
    return bool(
        _TITLE_FOR_CORPS_MEMBERS.search(title)
        or _FOR_CORPS_MEMBERS.search(text)
        or _TRAINEE_PROGRAMME.search(text[:_LOCATION_SCAN_CHARS])
    )


def employment_type(job: RawJob, title: str, text: str) -> EmploymentType | None:
    if _VOLUNTEER.search(title):
        # "Corporate Partnerships Manager (Volunteer)" listed as part-time is still unpaid.
        return "volunteer"
    if _UNPAID.search(text[:_UNPAID_SCAN_CHARS]):
        # "Medical Doctor" listed as part-time, whose text says it is a volunteer role.
        return "volunteer"
    if _CONTEST.search(text[:_UNPAID_SCAN_CHARS]):
        # A prize is not pay: the matcher treats a contest as the unpaid post it is.
        return "volunteer"
    if _PIECE_RATE.search(text[:_UNPAID_SCAN_CHARS]):
        return "freelance"
    for job_type in job.job_types:
        mapped = _JOB_TYPES.get(_job_type_key(job_type))
        if mapped:
            return mapped
    for name, pattern in _EMPLOYMENT:
        if pattern.search(title):
            return name
    for name, pattern in _EMPLOYMENT:
        if pattern.search(text[:4000]):
            return name
    return None


def _job_type_key(job_type: str) -> str:
    return job_type.replace("-", "").replace(" ", "").lower()


def how_to_apply(job: RawJob, text: str) -> HowToApply:
    url = None
    for line in text.splitlines():
        if _APPLY.search(line) and (found := URL.search(line)):
            url = found.group(0).rstrip(".,;")
            break
    emails = [*job.emails, *EMAIL.findall(text)]
    return HowToApply(
        url=url or job.source.job_url_direct or job.source.job_url,
        email=emails[0].lower() if emails else None,
        whatsapp=whatsapp_number(text),
    )


def whatsapp_number(text: str) -> str | None:
    for mention in _WHATSAPP.finditer(text):
        window = text[max(0, mention.start() - 80) : mention.end() + 80]
        found = _PHONE.search(window)
        if found:
            return "+234" + re.sub(r"\D", "", found.group(1))
    return None


def summary(fields: EnhancedFields, company: str | None, text: str) -> str:
    """A WhatsApp-sized card: what, who, where, terms, pay, skills, then the opening lines."""
    lines = [f"*{fields.normalised_title}*" + (f" at {company}" if company else "")]
    location = fields.location
    place = ", ".join(part for part in (location.city, location.state) if part)
    if location.remote and fields.work_arrangement != "hybrid":
        place = f"{place} (remote)" if place else "Remote"
    terms = [
        _EMPLOYMENT_LABELS[fields.employment_type] if fields.employment_type else "",
        fields.work_arrangement.title() if fields.work_arrangement == "hybrid" else "",
    ]
    where = " · ".join(part for part in (place, *terms) if part)
    if where:
        lines.append(f"📍 {where}")
    if fields.salary:
        lines.append(f"💰 {salary_label(fields.salary)}")
    if fields.skills:
        lines.append("🧰 " + ", ".join(fields.skills[:6]))
    head = "\n".join(lines)
    opening = " ".join(_opening_lines(without_contacts(text)))
    if opening and len(head) + 40 < SUMMARY_MAX_CHARS:
        return clip(f"{head}\n\n{opening}", SUMMARY_MAX_CHARS)
    return clip(head, SUMMARY_MAX_CHARS)


def salary_label(salary: NormalisedSalary) -> str:
    symbol = {"NGN": "₦", "USD": "$"}.get(salary.currency, salary.currency + " ")
    low, high = salary.monthly_min, salary.monthly_max
    if low is not None and high is not None and low != high:
        return f"{symbol}{low:,.0f}–{symbol}{high:,.0f} a month"
    return f"{symbol}{(low if low is not None else high) or 0:,.0f} a month"


def _opening_lines(text: str) -> list[str]:
    """The first two sentences-like lines, past job-board headers and "Key: value" facts."""
    chosen: list[str] = []
    for raw_line in text.splitlines():
        line = raw_line.strip(" *-•\t")
        if len(line) < 40 or re.match(r"^[\w /&()]{1,40}:\s", line) or line.startswith("Today"):
            continue
        chosen.append(line)
        if len(chosen) == 2:
            break
    return chosen
