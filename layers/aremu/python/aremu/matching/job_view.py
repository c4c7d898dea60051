"""An enhanced job reduced to what scoring reads, computed once per job (not once per pair)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from aremu.domain.vocabulary.places import Place, metro_of
from aremu.domain.vocabulary.roles import normalise_title, role_for_title
from aremu.domain.vocabulary.subjects import TEACHING_TITLES, subjects_named
from aremu.jobs.joined_titles import joined_parts
from aremu.jobs.models import EnhancedFields, NormalisedSalary, StoredJob
from aremu.matching.explain import reason_for
from aremu.matching.titles import (
    LANGUAGE_TITLES,
    adjacent_keys,
    is_staff_title,
    level_rank,
    same_keys,
    skill_key,
    specialism_skill,
    title_key,
)

# Naira per unit, to compare pay quoted in other currencies. Rough mid-2025 rates: the
# salary part is worth 10 points, so a few percent of drift changes nothing that matters.
DEFAULT_FX_TO_NGN: Mapping[str, float] = {"NGN": 1.0, "USD": 1550.0, "GBP": 2050.0, "EUR": 1800.0}

# Skills almost every posting names; sharing them says nothing about fitting the job.
GENERIC_SKILLS = frozenset(
    {
        "Communication", "Interpersonal skills", "Teamwork", "Leadership", "Team management",
        "Problem solving", "Analytical skills", "Attention to detail", "Time management",
        "Organisational skills", "Multitasking", "Working under pressure",
        "Working independently", "Negotiation", "Persuasion", "Presentation skills",
        "Confidentiality", "Integrity", "Adaptability", "Creativity", "Decision making",
        "Planning", "Research", "Report writing", "English", "French", "Microsoft Office",
        "Microsoft Excel", "Microsoft PowerPoint", "Google Workspace", "Computer literacy",
        "Customer service",
    }
)  # fmt: skip


# Levels below a lead's: a title read at one of them is a staff post whatever it names.
_STAFF_LEVELS = frozenset(range(level_rank("intern"), level_rank("lead")))

# A posting that says it is freelance or commission work promises no wage.
_FREELANCE = re.compile(r"\bfreelance\b|\bcommission[\s-]+(?:only|based)\b", re.IGNORECASE)


def to_ngn(amount: float | None, currency: str, fx: Mapping[str, float]) -> float | None:
    rate = fx.get(currency.upper())
    return amount * rate if amount is not None and rate is not None else None


class JobView:
    """What the matcher needs of one job: sets to intersect, numbers to compare."""

    __slots__ = (
        "adjacent",
        "arrangement",
        "city",
        "country",
        "exp_max",
        "exp_min",
        "families",
        "freelance",
        "has_location",
        "job_id",
        "keys",
        "languages",
        "level",
        "metro",
        "pay_max_ngn",
        "pay_min_ngn",
        "preferred",
        "reason",
        "remote",
        "required",
        "salary",
        "skill_keys",
        "specialisms",
        "specific",
        "staff",
        "state",
        "subjects",
        "title",
        "titles",
        "volunteer",
        "weight_total",
        "weights",
    )  # fmt: skip

    def __init__(
        self,
        *,
        job_id: str,
        title: str,
        titles: frozenset[str],
        families: frozenset[str],
        keys: frozenset[str],
        level: int,
        required: frozenset[str],
        preferred: frozenset[str],
        city: str | None,
        state: str | None,
        country: str | None,
        remote: bool,
        arrangement: str | None,
        salary: NormalisedSalary | None,
        pay_min_ngn: float | None,
        pay_max_ngn: float | None,
        exp_min: float | None,
        exp_max: float | None,
        volunteer: bool = False,
        freelance: bool = False,
        languages: frozenset[str] = frozenset(),
        staff: bool = False,
        adjacent: frozenset[str] = frozenset(),
        specialisms: frozenset[str] = frozenset(),
        subjects: frozenset[str] = frozenset(),
    ) -> None:
        self.job_id = job_id
        self.title = title
        self.titles = titles
        self.families = families
        self.keys = keys
        # Keys of titles adjacent to the job's, and the skills that define its specialism
        # (a candidate adjacent to the job who lists one counts as its candidate).
        self.adjacent = adjacent
        self.specialisms = specialisms
        self.skill_keys = tuple(skill_key(skill) for skill in specialisms)
        self.level = level
        self.required = required
        self.preferred = preferred
        self.specific = (required | preferred) - GENERIC_SKILLS
        # What matching each skill is worth: a specific required skill counts in full.
        self.weights = dict.fromkeys(preferred, 0.5)
        self.weights.update({s: 0.5 if s in GENERIC_SKILLS else 1.0 for s in required})
        self.weight_total = sum(self.weights.values())
        self.city = city
        self.metro = metro_of(Place(city, state, country or "NG")) if city else None
        self.state = state
        self.country = country
        self.remote = remote
        self.has_location = bool(city or state or country or remote)
        self.arrangement = arrangement
        self.salary = salary
        self.pay_min_ngn = pay_min_ngn
        self.pay_max_ngn = pay_max_ngn
        self.exp_min = exp_min
        self.exp_max = exp_max
        self.volunteer = volunteer
        self.freelance = freelance
        # The languages a language-named title needs (one of them), else empty.
        self.languages = languages
        # Its title names the work and no rank (an officer's, not a manager's job).
        self.staff = staff
        # The school subjects a teaching post names ("Further Maths Teacher"); none for a
        # class teacher's post or any other job.
        self.subjects = subjects
        # The reason line says what the job is, so it is written once per job.
        self.reason = reason_for(self)

    def __repr__(self) -> str:
        return f"JobView({self.job_id!r}, {self.title!r})"


def job_view(
    fields: EnhancedFields, job_id: str = "", fx: Mapping[str, float] = DEFAULT_FX_TO_NGN
) -> JobView:
    """The view of an enhanced job: its titles are the normalised one and its variants' roles.

    A variant in another field than the job's own role ("Finance / Account Executive",
    "Medical Doctor - Call Center Lead") is a second reading of the title: it counts for a
    candidate who named it exactly, not for one whose title merely relates to it.
    """
    roles = []
    main = role_for_title(fields.normalised_title)
    if main is not None:
        roles.append(main)
    for variant in fields.title_variants:
        # normalise_title, not find_roles: "Recruitment for Graduate Trainee" names no recruiter.
        # A title that joins two jobs ("Digital Marketer & Content Creator") names each.
        for reading in (variant, *joined_parts(variant)):
            role = normalise_title(reading)
            if role is not None and role not in roles:
                roles.append(role)
    titles = {title_key(fields.normalised_title), *(title_key(role.title) for role in roles)}
    own = [role for role in roles if role.family == roles[0].family]
    keys = {key for role in own for key in same_keys(role.title)}
    keys.update(f"t:{title}" for title in titles)
    # Any reading of the title opens its specialism ("Content Creator / Social Media Handler").
    specialisms = {specialism_skill(role.title) for role in roles}
    salary = fields.salary
    pay_min = to_ngn(salary.monthly_min, salary.currency, fx) if salary else None
    pay_max = to_ngn(salary.monthly_max, salary.currency, fx) if salary else None
    location = fields.location
    return JobView(
        job_id=job_id,
        title=fields.normalised_title,
        titles=frozenset(titles),
        families=frozenset(role.family for role in own),
        keys=frozenset(keys),
        level=level_rank(fields.level),
        required=frozenset(fields.required_skills),
        preferred=frozenset(fields.preferred_skills) - frozenset(fields.required_skills),
        city=location.city,
        state=location.state,
        country=location.country,
        # A hybrid posting is in its place, whatever the board's remote flag says.
        remote=fields.work_arrangement == "remote"
        or (location.remote and fields.work_arrangement != "hybrid"),
        arrangement=fields.work_arrangement,
        salary=salary if pay_min is not None or pay_max is not None else None,
        pay_min_ngn=pay_min,
        pay_max_ngn=pay_max,
        exp_min=fields.experience.min_years,
        exp_max=fields.experience.max_years,
        volunteer=fields.employment_type == "volunteer",
        freelance=fields.employment_type == "freelance"
        or any(
            _FREELANCE.search(title) for title in (fields.normalised_title, *fields.title_variants)
        ),
        languages=LANGUAGE_TITLES.get(roles[0].title, frozenset()) if roles else frozenset(),
        # A ranked title read below a lead ("Asst Sales Manager") is a staff post too.
        staff=is_staff_title(roles[0].title if roles else fields.normalised_title)
        or level_rank(fields.level) in _STAFF_LEVELS,
        adjacent=frozenset(key for role in own for key in adjacent_keys(role.title)),
        specialisms=frozenset(skill for skill in specialisms if skill is not None),
        subjects=subjects_named((fields.normalised_title, *fields.title_variants))
        if roles and roles[0].title in TEACHING_TITLES
        else frozenset(),
    )


def job_view_from_stored(job: StoredJob, fx: Mapping[str, float] = DEFAULT_FX_TO_NGN) -> JobView:
    """The view of a stored ENHANCED job (the matcher's stream carries these)."""
    if job.enhanced is None:
        raise ValueError(f"job {job.job_id} is not enhanced yet")
    return job_view(job.enhanced.fields, job.job_id, fx)
