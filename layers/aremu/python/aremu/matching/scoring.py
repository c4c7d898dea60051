"""The match score: titles 35, skills 25, location 20, salary 10, experience 10.

The tiers inside each part follow the labelling standard (docs/matching_relevance.md):
what makes a posting relevant to a candidate is what the score must let through.

- Title (35): the job's canonical title or one its variants name is the candidate's: 35.
  The same occupation under another name or rank (see `titles`): 31. A specialism the
  candidate lists the defining skill of, where their own title is adjacent to it or in
  its family (a Digital Marketer who lists SEO, for an SEO job): 28. Adjacent only (same
  department, different work): 10. Same family only: 12. Seniority: a job two or more
  levels above the candidate (by years, or by the level their wanted title states) loses 6
  a level past the first (at most 18); one three or more levels below loses 4 a level past
  the second.
- Skills (25): the job's skills weigh 1 when required and specific, 0.5 when preferred or
  generic ("Communication"); the candidate scores the share of what they could match
  (at most 4, at most as many skills as they stated). No skills stated on either side:
  a neutral 10, not 0 (skills are never required at onboarding).
- Location (20): same city or area of it, or the candidate named the whole state: 20;
  remote job and candidate open to remote: 20; anywhere in Nigeria: 18; same state: 15;
  a posting that only says the country (or another city abroad): 12 (10); willing to
  relocate: 8; no location on the job (or nothing said by the candidate): neutral 10.
- Salary (10): unknown pay or no minimum: neutral 5; the job's best monthly pay in Naira
  reaches the minimum: 10; below it, scaled down to 0 at half the minimum.
- Experience (10): unknown on either side: neutral 5; within the range: 10; too junior:
  10 x years / minimum; over the maximum: 1 off a year, not below 4.

Must-haves: the sum alone would alert a Lagos cashier to every Lagos job with unknown pay
(20 + 5 + 5 + a neutral 10 = 40 >= 39), and an exact title in the right city passes 39
whatever the pay or the level. So a score is "blocked" (never alerted, the total is still
the honest sum) when:

- title: the titles are unrelated, or only adjacent, or share only a family and fewer than
  two specific skills, or the job's title names a language ("Java Developer") that a
  candidate who is not exactly that does not list among the skills they stated, or it
  teaches only subjects other than those a teacher lists ("Islamic Religious Studies
  Teacher" for a mathematics teacher);
- location: the place cannot work (location 0), which includes fully remote work for a
  candidate who did not say they would work remotely, and any work not stated to be fully
  remote (a posting that names no place included) for a candidate who will only work
  remotely;
- pay: the job's best stated pay is under the candidate's minimum; it is a volunteer post
  (unpaid: no candidate states that they look for one); or it calls itself freelance or
  commission work, states no pay, and the candidate stated a minimum;
- level: the candidate's years are more than two short of the job's stated minimum or more
  than two past its stated maximum; or, where the job states no years, short by more than
  two of what its level word asks (mid 3; senior, lead 5; manager 7; head, director 8; see
  `titles.YEARS_FOR_LEVEL`), or, for a candidate who gave no years, two or more levels
  above the level their wanted title states; an internship or entry-level job for someone
  with two or more years; four levels below the level the candidate's wanted title states
  (a junior job for someone asking to be a manager); a head's or director's job for
  someone under six years who is not asking for a manager's title. A candidate asking for
  a manager's title is also not alerted to a staff job (an officer's, an executive's, an
  assistant manager's) that is not exactly their title, unless the posting states a lead
  level or above: an HR Manager does not want HR Officer jobs, however senior.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from aremu.matching.job_view import JobView
from aremu.matching.profile import NIGERIA, CandidateProfile
from aremu.matching.titles import NO_LEVEL, YEARS_FOR_LEVEL, is_staff_title

DEFAULT_THRESHOLD = 39.0

TITLE_EXACT = 35.0
TITLE_SAME = 31.0
TITLE_SPECIALISM = 28.0
TITLE_FAMILY = 12.0
TITLE_ADJACENT = 10.0
SKILLS_MAX = 25.0
SKILLS_NEUTRAL = 10.0
SKILLS_FULL_MARKS_AT = 4.0
LOCATION_MAX = 20.0
LOCATION_ANYWHERE = 18.0
LOCATION_STATE = 15.0
LOCATION_COUNTRY = 12.0
LOCATION_ABROAD_OTHER_CITY = 10.0
LOCATION_NEUTRAL = 10.0
LOCATION_RELOCATE = 8.0
SALARY_MAX = 10.0
SALARY_NEUTRAL = 5.0
EXPERIENCE_MAX = 10.0
EXPERIENCE_NEUTRAL = 5.0
EXPERIENCE_OVERQUALIFIED_FLOOR = 4.0
FAMILY_NEEDS_SHARED_SKILLS = 2

# A NamedTuple's own constructor is a Python function; this skips it (score runs 100,000
# times a job in the baseline).
_new = tuple.__new__

BLOCKED_TITLE = "title"
BLOCKED_LOCATION = "location"
BLOCKED_PAY = "pay"
BLOCKED_LEVEL = "level"
PAY_FLOOR_SHARE = 1.0
LEVEL_GAP_BLOCKS = 2
INTERN_BLOCKS_FROM_YEARS = 2.0
ENTRY_BLOCKS_FROM_YEARS = 2.0
# The standard's seniority window: two years either side of what the posting asks.
YEARS_SHORT_BLOCKS = 2.0
YEARS_OVER_BLOCKS = 2.0
STATED_LEVEL_GAP_BLOCKS = 4
DIRECTOR = 7
MANAGER = 6
LEAD = 5
# A head or director leads a department: not a step for staff with under six years.
HEAD_FROM_YEARS = 6.0
INTERN = 0
ENTRY = 1


class MatchScore(NamedTuple):
    total: float
    title: float
    skills: float
    location: float
    salary: float
    experience: float
    # "" when the must-haves hold, else which failed first: title, level, location, pay.
    blocked: str
    reason: str

    def passes(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return not self.blocked and self.total >= threshold


def score(profile: CandidateProfile, job: JobView) -> MatchScore:
    """One pair's score. To score many candidates for one job, use `scorer_for(job)` once."""
    return scorer_for(job)(profile)


# One flat function on purpose: each helper call would cost as much as a part of the score.
def scorer_for(job: JobView) -> Callable[[CandidateProfile], MatchScore]:  # noqa: PLR0915
    """The score as a function of the candidate, with the job's side read once.

    The job's fields become closure variables: scoring runs once per candidate (100,000
    times a job in the baseline), and reading locals instead of attributes halves it.
    """
    titles, keys, families, specific = job.titles, job.keys, job.families, job.specific
    adjacent, specialisms = job.adjacent, job.specialisms
    level, weights, weight_total = job.level, job.weights, job.weight_total
    reason = job.reason
    place_points = _place_scorer(job)
    offered = job.pay_max_ngn if job.pay_max_ngn is not None else job.pay_min_ngn
    low, high = job.exp_min, job.exp_max
    no_experience = low is None and high is None
    # With no years stated, the level word says what the job asks (years decide otherwise).
    worded_years = YEARS_FOR_LEVEL.get(level) if no_experience else None
    unpaid = job.volunteer
    no_wage = job.freelance and offered is None
    languages = job.languages
    subjects = job.subjects
    below_managers = job.staff and level < LEAD
    # Only a staff title the candidate named themselves excuses it: "Asst Sales Manager" is
    # read as "Sales Manager", but it is no manager's post for a Sales Manager.
    named_staff = is_staff_title(job.title)

    def score_candidate(profile: CandidateProfile) -> MatchScore:  # noqa: PLR0912, PLR0915
        # Title, and whether it relates at all (a must-have).
        blocked = ""
        exact = not titles.isdisjoint(profile.titles)
        if exact:
            title = TITLE_EXACT
        elif not keys.isdisjoint(profile.keys):
            title = TITLE_SAME
            if languages and profile.skills and languages.isdisjoint(profile.skills):
                blocked = BLOCKED_TITLE
        else:
            near = not adjacent.isdisjoint(profile.adjacent)
            kin = not families.isdisjoint(profile.families)
            if (near or kin) and not specialisms.isdisjoint(profile.skills):
                title = TITLE_SPECIALISM
                if languages and languages.isdisjoint(profile.skills):
                    blocked = BLOCKED_TITLE
            elif near:
                title = TITLE_ADJACENT
                blocked = BLOCKED_TITLE
            elif kin:
                title = TITLE_FAMILY
                shared = 0
                for skill in profile.specific:
                    if skill in specific:
                        shared += 1
                if shared < FAMILY_NEEDS_SHARED_SKILLS or (
                    languages and languages.isdisjoint(profile.skills)
                ):
                    blocked = BLOCKED_TITLE
            else:
                title = 0.0
                blocked = BLOCKED_TITLE
        # A teacher of other subjects only does adjacent work (schools hire by subject).
        if subjects and profile.subjects and subjects.isdisjoint(profile.subjects):
            title = min(title, TITLE_ADJACENT)
            blocked = BLOCKED_TITLE
        if level != NO_LEVEL and not blocked:
            title = max(0.0, title - seniority_penalty(profile, level))
            years = profile.years
            wanted_level = profile.stated_level
            if years is None:
                too_high = level - wanted_level >= LEVEL_GAP_BLOCKS and wanted_level != NO_LEVEL
            else:
                too_high = worded_years is not None and worded_years - years > YEARS_SHORT_BLOCKS
            if (
                too_high
                or (
                    level == DIRECTOR
                    and wanted_level < MANAGER
                    and years is not None
                    and years < HEAD_FROM_YEARS
                )
                or (wanted_level != NO_LEVEL and wanted_level - level >= STATED_LEVEL_GAP_BLOCKS)
                or (
                    years is not None
                    and (
                        (level == INTERN and years >= INTERN_BLOCKS_FROM_YEARS)
                        or (level == ENTRY and years >= ENTRY_BLOCKS_FROM_YEARS)
                    )
                )
            ):
                blocked = BLOCKED_LEVEL
        if (
            below_managers
            and not (exact and named_staff)
            and profile.stated_level >= MANAGER
            and not blocked
        ):
            blocked = BLOCKED_LEVEL
        # Skills.
        if not profile.skills or not weights:
            skills = SKILLS_NEUTRAL
        else:
            matched = 0.0
            for skill in profile.skills:
                matched += weights.get(skill, 0.0)
            want = min(SKILLS_FULL_MARKS_AT, len(profile.skills), weight_total)
            skills = SKILLS_MAX if matched >= want else SKILLS_MAX * matched / want
        # Location, and whether the place can work at all (a must-have).
        location = place_points(profile)
        if location == 0.0 and not blocked:
            blocked = BLOCKED_LOCATION
        # Salary.
        wanted = profile.min_pay_ngn
        if wanted is None or offered is None:
            salary = SALARY_NEUTRAL
        elif offered >= wanted:
            salary = SALARY_MAX
        else:
            share = offered / wanted
            salary = SALARY_MAX * (share - 0.5) / 0.5 if share > 0.5 else 0.0
            if share < PAY_FLOOR_SHARE and not blocked:
                blocked = BLOCKED_PAY
        if (unpaid or (no_wage and wanted is not None)) and not blocked:
            blocked = BLOCKED_PAY
        # Experience.
        years = profile.years
        if years is None or no_experience:
            experience = EXPERIENCE_NEUTRAL
        elif low is not None and years < low:
            experience = EXPERIENCE_MAX * years / low
            if low - years > YEARS_SHORT_BLOCKS and not blocked:
                blocked = BLOCKED_LEVEL
        elif high is not None and years > high:
            experience = max(EXPERIENCE_OVERQUALIFIED_FLOOR, EXPERIENCE_MAX - (years - high))
            if years - high > YEARS_OVER_BLOCKS and not blocked:
                blocked = BLOCKED_LEVEL
        else:
            experience = EXPERIENCE_MAX
        total = round(title + skills + location + salary + experience, 1)
        return _new(
            MatchScore, (total, title, skills, location, salary, experience, blocked, reason)
        )

    return score_candidate


def seniority_penalty(profile: CandidateProfile, job_level: int) -> float:
    if job_level == NO_LEVEL:
        return 0.0
    reach = max(profile.years_level, profile.stated_level)
    if reach != NO_LEVEL and job_level - reach >= 2:
        return min(18.0, 6.0 * (job_level - reach - 1))
    own = profile.years_level
    if own != NO_LEVEL and own - job_level >= 3:
        return min(12.0, 4.0 * (own - job_level - 2))
    return 0.0


def _place_scorer(job: JobView) -> Callable[[CandidateProfile], float]:
    """Location points: the best way the job's place suits the candidate; 0 when none does."""
    metro, state, country, city = job.metro, job.state, job.country, job.city
    remote = job.remote
    if not job.has_location:
        return _unknown_place
    in_nigeria = country == NIGERIA
    country_only = LOCATION_COUNTRY if city is None else LOCATION_ABROAD_OTHER_CITY

    def place_points(profile: CandidateProfile) -> float:
        if profile.no_location:
            return LOCATION_NEUTRAL
        if remote:
            # Fully remote work is for candidates open to it, wherever the employer is
            # listed (the standard's rule 2).
            return LOCATION_MAX if profile.remote_ok else 0.0
        if profile.remote_only:
            return 0.0
        if metro is not None and metro in profile.metros:
            return LOCATION_MAX
        best = 0.0
        if state is not None:
            if state in profile.whole_states:
                return LOCATION_MAX
            if state in profile.states:
                best = LOCATION_STATE
        if in_nigeria and profile.anywhere_ng:
            best = LOCATION_ANYWHERE
        in_country = country is not None and country in profile.countries
        # A remote posting's country says where the employer is, not where the work is.
        if in_country and state is None and not remote and best < country_only:
            best = country_only
        if profile.relocate and (in_nigeria or in_country) and best < LOCATION_RELOCATE:
            best = LOCATION_RELOCATE
        return best

    return place_points


def _unknown_place(profile: CandidateProfile) -> float:
    # A posting that names no place does not say it is remote: not for a candidate who
    # will only work remotely, neutral for everyone else.
    return 0.0 if profile.remote_only else LOCATION_NEUTRAL
