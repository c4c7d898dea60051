"""Titles that join two jobs ("Office Assistant / Cleaner", "Driver/Logistics").

The labelling standard counts such a posting as the job its duties mostly describe, so the
enhancer weighs each job the title names against the description and, when one clearly
dominates, reads the title as that job alone. When neither does, both readings stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aremu.domain.vocabulary.roles import Role, normalise_title, role_for_title
from aremu.jobs.skills import SkillMatcher
from aremu.jobs.taxonomy import SKILL_FUNCTION, function_from_title

_JOINS = re.compile(r"\s*[/&]\s*")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[A-Za-z]+")
# Words that say a rank or a kind of staff, not the work: "Logistics Officer" is logistics.
_RANK_WORDS = frozenset(
    {
        "officer", "assistant", "executive", "representative", "manager", "staff",
        "specialist", "lead", "head", "senior", "junior", "associate", "coordinator",
        "supervisor", "agent", "operator", "intern", "personnel", "handler", "professional",
        "registered", "the", "and", "of", "for",
        # Who the work is for, not what it is: a seller attends to customers all day.
        "customer", "customers", "client", "clients",
    }
)  # fmt: skip
_SUFFIXES = ("ions", "ers", "ing", "ion", "er", "al", "ics", "ic", "es", "s", "e")
_STEM_KEEPS = 4
# Stems of one work that no suffix rule joins: a "Sales" job's duties say "selling".
_SAME_WORK = {"sell": "sale"}
# One job must weigh this much more than the other, by this many mentions, to win.
DOMINANCE_RATIO = 1.5
DOMINANCE_MARGIN = 3


def joined_parts(title: str) -> list[str]:
    """The jobs a title joins with "/" or "&", brackets left out; none when it joins none.

    A one-word part after a longer first part shares its leading words: "Office
    Cleaner/Assistant" joins "Office Cleaner" and "Office Assistant", "Video Producer &
    Editor" joins "Video Producer" and "Video Editor", where the longer name is a job. A
    one-word part before a longer last part shares its trailing words: "Tax & Treasury
    Manager" joins "Tax Manager" and "Treasury Manager".
    """
    return [shared for _, shared in _parts(title)]


def _parts(title: str) -> list[tuple[str, str]]:
    """Each joined part as written and as the job it names (with shared leading words)."""
    parts = [part.strip() for part in _JOINS.split(_BRACKETS.sub(" ", title)) if part.strip()]
    if len(parts) < 2:
        return []
    lead = parts[0].split()[:-1]
    tail = parts[-1].split()[1:]
    result: list[tuple[str, str]] = []
    for index, part in enumerate(parts):
        single = len(part.split()) == 1
        if index > 0 and lead and single:
            shared = " ".join([*lead, part])
        elif index < len(parts) - 1 and tail and single:
            shared = " ".join([part, *tail])
        else:
            shared = part
        result.append((part, shared if shared != part and normalise_title(shared) else part))
    return result


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _STEM_KEEPS:
            word = word[: -len(suffix)]
            break
    return _SAME_WORK.get(word, word)


def dominant_role(title: str, text: str, matcher: SkillMatcher) -> Role | None:
    """The one job a joined title's duties mostly describe, or None (not joined, or no
    clear winner).

    A job's weight is how often the description uses its title's own words ("clean",
    "driv") plus how many skills it names that belong to the job's function. Jobs of one
    function ("Tax & Treasury Manager", both finance) are weighed by their own words
    alone: the function's skills would count the same for both.
    """
    readings: list[tuple[str, Role]] = []
    for written, job in _parts(title):
        role = normalise_title(job)
        if role is not None and all(role != seen for _, seen in readings):
            # Weighed by the words as written: "Crane Operator/Mechanic" is not "crane" twice.
            readings.append((written, role))
    if len(readings) < 2:
        return None
    return _outweighing(readings, text, matcher)


def duties_behind(title: str, role: Role, text: str, matcher: SkillMatcher) -> Role | None:
    """The job a title's duties plainly describe when they are another job's, else None: a
    "Customer Service Representative" making outbound calls to sales targets is a seller,
    an "Account Manager (Tech / SaaS)" scoping and scheduling deliveries runs projects.

    Nigerian postings often name one job and describe another; the duties, weighed as a
    joined title's are, decide, for the titles where that is common.
    """
    other_title = _DUTIES_OFTEN_BEHIND.get(role.title)
    if other_title is None:
        return None
    other = role_for_title(other_title)
    if other is None:
        return None
    found = _outweighing([(title, role), (other_title, other)], text, matcher)
    return other if found == other else None


# Titles whose postings are often another job under their name. Marketing titles often
# hide sellers too, but their duties say "marketing" as often as a seller's do, so the
# words cannot decide.
_DUTIES_OFTEN_BEHIND = {
    "Customer Service Representative": "Sales Representative",
    "Call Centre Agent": "Sales Representative",
    "Key Account Manager": "Project Manager",
}


def _outweighing(readings: list[tuple[str, Role]], text: str, matcher: SkillMatcher) -> Role | None:
    """The reading whose words and skills outweigh every other's in `text`, or None."""
    one_kind = len({(role.family, function_from_title(role.title)) for _, role in readings}) == 1
    stems = [_stem(word) for word in _WORD.findall(text)]
    functions = [SKILL_FUNCTION.get(found.skill) for found in matcher.find_all(text)]
    weights: list[tuple[int, Role]] = []
    for part, role in readings:
        own = {_stem(w) for w in _WORD.findall(part) if w.lower() not in _RANK_WORDS}
        function = function_from_title(part) or function_from_title(role.title)
        weight = sum(1 for stem in stems if stem in own)
        weight += functions.count(function) if function and not one_kind else 0
        weights.append((weight, role))
    weights.sort(key=lambda item: item[0], reverse=True)
    (best, role), (runner_up, _) = weights[0], weights[1]
    if best >= DOMINANCE_RATIO * runner_up and best - runner_up >= DOMINANCE_MARGIN:
        return role
    return None


def readings_of(variant: str) -> list[Role]:
    """Every job a title or variant names: itself, then each job it joins."""
    roles: list[Role] = []
    for reading in (variant, *joined_parts(variant)):
        role = normalise_title(reading)
        if role is not None and role not in roles:
            roles.append(role)
    return roles


def keep_variants(variants: Sequence[str], role: Role) -> list[str]:
    """The variants that name no job other than `role` (the others would bring it back)."""
    return [v for v in variants if all(found == role for found in readings_of(v))]
