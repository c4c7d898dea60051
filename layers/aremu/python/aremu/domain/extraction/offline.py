"""The offline preference extractor: rules over the shared vocabulary, no network, no model.

What one message says, field by field. The rules, including how it settles a message that
contradicts itself:

- Roles and places come from the vocabulary (`aremu.domain.vocabulary`). Each takes the
  operation of the nearest cue before it in its clause: "add"/"also" adds, "remove"/"no
  longer"/"not interested in" removes; "not"/"no"/"except" just before it removes; "too"/
  "as well" after it adds; with no cue the list is replaced. "Change X to Y" and "replace
  X with Y" remove X and add Y; "change my location to Y" replaces. Where someone lives
  ("I live in Ibadan", "based in Ikeja") gives way to the places they ask for when the
  message names both, and a country named beside its own cities only frames them.
- Arrangement: negated mentions ("no remote", "hybrid not possible") do not count. One
  said with "only"/"strictly"/"fully" beats the others (the last such wins); otherwise
  remote and on-site together mean "any", and else the first one mentioned wins. "Remote"
  offered beside a place ("Lagos or remote") is a place to work, not an arrangement: it
  sets `open_to_remote` only.
- Years: the largest figure stated ("5 years, 3 in sales" is 5), unless a correction
  ("sorry", "actually", "I mean") comes before a later one. "Fresh graduate", "no
  experience", "NYSC", "entry level" are 0 when no figure is given.
- Pay: see `aremu.domain.extraction.money`.
- Relocation: the last mention wins; a negated one ("not willing to relocate") is False.
- Skills: after "skills:", "I know", "I use", "good at"...; a bracketed or bare list made of
  known tools ("(React)", "AWS, Terraform, Kubernetes"); "add X to my skills" and "remove X
  from my skills". Words inside a skills list are never read as roles or places.

The extractor never raises: gibberish, emoji, control characters and 4,000-character
messages give an empty or partial update.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from aremu.domain.extraction.money import find_min_pay
from aremu.domain.extraction.numbers import words_to_digits
from aremu.domain.extraction.skills import canonical_skill, is_known_skill
from aremu.domain.preferences import (
    Arrangement,
    ListChange,
    PreferenceUpdate,
    apply_places,
    apply_roles,
    apply_skills,
    normalised,
)
from aremu.domain.vocabulary.phrases import Token, tokenize
from aremu.domain.vocabulary.places import NIGERIA, Place, find_place_matches
from aremu.domain.vocabulary.roles import Role, role_index

# WhatsApp caps a text at 4,096 characters; anything longer is not a real message.
MAX_CHARACTERS = 4_096
MAX_SKILLS = 20
# Nobody wants forty roles or places; past that a message is a paste, not an answer.
MAX_ITEMS = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060-\u206f]")
_CLAUSE_BREAK = re.compile(r"[.!?;]+(?=\s|$)|[\n|•]+|\s+(?:but|however|though)\s+|\s+-\s+(?=[a-z])")

_REMOVE_CUE = re.compile(
    r"\b(?:remove|delete|drop|take (?:out|off)|cancel|exclude|scrap|no longer|not interested"
    r"(?: in)?|not into|don'?t want|dont want|do not want|no more|stop sending(?: me)?"
    r"|done with)\b"
)
_ADD_CUE = re.compile(
    r"\b(?:add|include|also|in addition(?: to)?|additionally|as well as|another)\b"
)
# "Ibadan too": only right after the item, so "on-site in Lagos also works" stays a plain answer.
_ADD_AFTER_CUE = re.compile(r"\W+(?:\w+\W+)?(?:too|as well)\b")
_LOCAL_NEGATION = frozenset({"not", "no", "except", "without", "excluding", "nor"})
_CHANGE_CUE = re.compile(r"\b(?P<verb>change|switch|swap|replace|substitute|update|move)\b")
_CHANGE_SEPARATOR = {
    "change": r"\b(?:to|into|for)\b",
    "switch": r"\b(?:to|into|for)\b",
    "update": r"\b(?:to|with)\b",
    "move": r"\b(?:to|into)\b",
    "swap": r"\b(?:with|for|to)\b",
    "replace": r"\b(?:with|for|by)\b",
    "substitute": r"\b(?:with|for)\b",
}

_YEARS = re.compile(
    r"(?<![\w.])(?P<a>\d+(?:\.\d+)?)\s*\+?\s*(?:(?:-|–|to)\s*\d+(?:\.\d+)?\s*\+?\s*)?"
    r"(?:years?|yrs?|yr'?s|yers|yeras|yaers|yeasr)(?![a-z])"
    r"(?!\s*(?:old|of age|ago|contract|from now|\+?\s*old))"
)
_MONTHS = re.compile(
    r"(?<![\w.])(?P<a>\d+(?:\.\d+)?)\s*(?:months?|mnths?|mths?)(?![a-z])"
    r"(?!\s*(?:salary|pay|contract|probation|notice|ago|old))"
)
_EXPERIENCE_NUMBER = re.compile(
    r"\b(?:experience|exp|yoe)\s*[:=\-]\s*(?P<a>\d+(?:\.\d+)?)(?![\d.,]*\s*(?:k|m|%|naira))\b"
)
_NO_EXPERIENCE = re.compile(
    r"\b(?:fresh(?:er| grad\w*| out of (?:school|uni\w*))|new grad(?:uate)?|recent grad(?:uate)?"
    r"|just graduated|just finished (?:school|nysc|uni\w*|my nysc)|no (?:work |working |job "
    r"|prior |professional |real )?(?:experience|exp)\b|zero experience|without experience"
    r"|entry[- ]?level|graduate trainee|nysc|corps? member|corper|still serving|school leaver"
    r"|never worked|first job)"
)
_CORRECTION = re.compile(r"\b(?:sorry|actually|i mean|correction|oops|rather|make (?:it|that))\b")

_RESIDENCE = re.compile(
    r"\b(?:live|living|stay|staying|reside|residing|based|currently|presently|i'?m|i am)"
    r"\s+(?:in|at)\s+(?:the\s+)?$"
)

_REMOTE = re.compile(
    r"\b(?:remote(?:ly)?|work(?:ing)? from home|wfh|from home|home[- ]based|telecommut\w*"
    r"|online (?:job|work)s?|work online)\b"
)
_HYBRID = re.compile(r"\b(?:hybrid|part(?:ly|ially)?[- ]remote)\b")
_ONSITE = re.compile(
    r"\b(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based|at the office|physically"
    r"|physical (?:job|work|office|presence)|on[- ]ground|go(?:ing)? to (?:the )?office"
    r"|work(?:ing)? (?:from|in) (?:the |an )?office|in an office)\b"
)
_ANY_ARRANGEMENT = re.compile(
    r"\b(?:any (?:work )?(?:arrangement|type|mode|setup|set-up|model|style|option|format)s?"
    r"|open to all (?:arrangements|options|work types|types)"
    r"|all (?:arrangements|work types|types) (?:are )?(?:fine|ok|okay))\b"
)
_ANY_IF_ARRANGEMENT = re.compile(
    r"\b(?:any (?:is|one is|of them is|of them|of these|of those) (?:fine|ok|okay|good)"
    r"|any is fine|either (?:is |one is |way is )?(?:fine|ok|okay)|all (?:are|is) (?:fine|ok|okay)"
    r"|don'?t mind|doesn'?t matter|no preference|flexible)\b"
)
_EXCLUSIVE = re.compile(r"\b(?:only|strictly|just|fully|purely|exclusively)\b|100\s?%")
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|without|cannot|can'?t|don'?t|do not|dont|won'?t|isn'?t|nor)\b"
)
_PHRASE_BREAK = re.compile(r"[,;:/]|\b(?:so|but|then|instead|rather|and)\b")
_NOT_A_NEGATION = re.compile(r"\b(?:don'?t|do not|dont) mind\b|\bnot only\b|\bno problem\b")
_NEGATION_AFTER = re.compile(
    r"\s*(?:is\s+|are\s+)?(?:not\s+(?:possible|an option|ok|okay|allowed|for me)|impossible"
    r"|isn'?t\s+(?:possible|an option)|[:\-]?\s*no\b)"
)
_OPTION_GAP = re.compile(r"[\s,/&]*(?:or|and|and/or|abi)?[\s,/&]*(?:open to\s+)?")
_OPEN_TO = re.compile(r"\b(?:open to|also|too)\s*$")

_RELOCATE = re.compile(
    r"\brelocat\w*|\b(?:willing|ready|happy|open|able|can|fit|prepared) to move\b"
)

_ANYWHERE = re.compile(
    r"\b(?:any ?where|any location|any state|any city|any region|any place|wherever"
    r"|any part of (?:the country|nigeria|naija|9ja)|all over (?:the country|nigeria|naija|9ja)"
    r"|across (?:the country|nigeria|naija|9ja)|nationwide|whole (?:country|of nigeria)"
    r"|location (?:does ?n[o']?t|doesn'?t|is not|isn'?t) (?:matter|important))\b"
)
_ANYWHERE_ABROAD = re.compile(r"\s*(?:in the world|globally|worldwide|abroad|on earth)\b")
_ANYWHERE_IN_A_REGION = re.compile(
    r"\s*(?:in|within|around)\s+the\s+(?:(?:north|south)(?:[- ]?(?:east|west|central|south))?"
    r"|east|west|middle belt)\b"
)
_PLACE_AFTER = re.compile(r"\s*(?:in|for|within|around|inside|near|for|at)\s+")

_NEGOTIABLE = re.compile(
    r"\b(?:negotiable|any amount|any salary|any pay|open to (?:any )?offers?|no minimum"
    r"|whatever (?:you|they) (?:offer|pay)|salary (?:is )?not (?:an issue|a problem)"
    r"|(?:pay|salary) (?:does ?n[o']?t|doesn'?t) matter|not fixed)\b"
)

_SKILL_CUE = re.compile(
    r"(?:\bskills?\b|\bskill ?set\b|\btools?\b|\btech stack\b|\bmy stack\b|\bi know\b"
    r"|\bi'?m good (?:at|with|in)\b|\bi am good (?:at|with|in)\b|\bgood (?:at|with)\b"
    r"|\bproficient (?:in|with|at)\b|\bskilled (?:in|at|with)\b|\bexpert (?:in|at|with)\b"
    r"|\bexperienced (?:in|with)\b|\bfamiliar with\b|\bknowledge of\b|\bi (?:can )?use\b"
    r"|\bi work with\b|\bsabi\b|\bcompetent (?:in|with)\b|\bversed in\b)"
    r"\s*(?:are|is|include|includes|including|like|such as)?\s*[:\-–=]?\s*"
)
# Weaker: "1 year of experience with React and Tailwind" keeps only known tools.
_WEAK_SKILL_CUE = re.compile(
    r"\b(?:experience|worked|working|comfortable|hands-on) (?:with|using)\s+"
)
_SKILL_ADD = re.compile(
    r"\b(?:add|include)\s+(?P<items>[^.;!?\n]{1,80}?)\s+(?:to|in|into|on)\s+(?:my\s+)?"
    r"(?:skills?|skill ?set)\b"
)
_SKILL_REMOVE = re.compile(
    r"\b(?:remove|delete|drop|take out)\s+(?P<items>[^.;!?\n]{1,80}?)\s+(?:from|off)\s+(?:my\s+)?"
    r"(?:skills?|skill ?set)\b"
)
_SKILL_REPLACE = re.compile(
    r"\b(?:change|update|set|replace)\s+(?:my\s+)?(?:skills?|skill ?set)\s+(?:to|with)\s+"
)
_SKILL_STOP = re.compile(
    r"\b(?:but|i want|i'?m|i am|i'd|i have|looking|salary|pay|based|located|living|open to"
    r"|years?|yrs|and i|please|pls|abeg)\b"
)
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|/|&|\+|\band\b|\bor\b|\betc\.?)\s*")
_NOT_SKILLS = frozenset(
    {"others", "more", "many more", "etc", "things", "stuff", "a lot", "others too", "so on"}
)
_PARENTHESES = re.compile(r"\(([^()]{1,80})\)")


@dataclass
class _Item:
    kind: str  # "role" or "place"
    value: Role | Place
    start: int
    end: int
    first_token: int


@dataclass
class _Lists:
    replace: list[Role | Place] = field(default_factory=list)
    add: list[Role | Place] = field(default_factory=list)
    remove: list[Role | Place] = field(default_factory=list)
    replaced: bool = False

    def put(self, operation: str, value: Role | Place) -> None:
        target = {"replace": self.replace, "add": self.add, "remove": self.remove}[operation]
        self.replaced = self.replaced or operation == "replace"
        if value not in target:
            target.append(value)


class OfflinePreferenceExtractor:
    """Deterministic rules; the embedded default and the fallback for the AI extractor."""

    def extract(self, text: str) -> PreferenceUpdate:
        try:
            return _extract(text)
        except Exception:  # a message must never break the conversation: understand nothing
            return PreferenceUpdate()


def _extract(text: str) -> PreferenceUpdate:
    text = _clean(text)
    if not any(character.isalnum() for character in text):
        return PreferenceUpdate()
    low = _lower(text)
    clauses = _clauses(low)
    tokens = tokenize(text)
    skills, skill_spans = _skills(text, low, clauses)
    items = [item for item in _items(tokens) if not _inside(item, skill_spans)][:MAX_ITEMS]
    places = [item for item in items if item.kind == "place"]
    numbers = words_to_digits(low)
    min_pay = find_min_pay(numbers)
    arrangement, open_to_remote = _arrangement(low, clauses, places)
    anywhere, remote_anywhere = _anywhere(low, places, text)
    roles_change, places_change = _list_changes(low, clauses, items, tokens)
    return PreferenceUpdate(
        roles=roles_change,
        locations=places_change,
        skills=skills,
        anywhere_in_nigeria=anywhere,
        open_to_remote=True if remote_anywhere else open_to_remote,
        willing_to_relocate=_relocation(low, clauses),
        years_experience=_years(numbers),
        min_pay=min_pay,
        pay_negotiable=True if min_pay is None and _NEGOTIABLE.search(low) else None,
        arrangement=arrangement,
    )


def _clean(text: str) -> str:
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARACTERS * 2])[:MAX_CHARACTERS]
    return _CONTROL.sub(" ", text.replace("’", "'").replace("‘", "'"))


def _lower(text: str) -> str:
    """Lowercase with every character kept in place, so offsets match the original."""
    return "".join(lower if len(lower := char.lower()) == 1 else char for char in text)


def _clauses(low: str) -> list[tuple[int, int]]:
    clauses: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(low):
        if match.start() > start:
            clauses.append((start, match.start()))
        start = match.end()
    if start < len(low):
        clauses.append((start, len(low)))
    return clauses


def _clause_of(clauses: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in clauses:
        if start <= position < end:
            return start, end
    return position, position


def _items(tokens: list[Token]) -> list[_Item]:
    items = [
        _Item("role", match.value, match.start, match.end, match.first)
        for match in role_index().find(tokens)
    ]
    for place, first, last in find_place_matches(tokens):
        items.append(_Item("place", place, tokens[first].start, tokens[last - 1].end, first))
    return sorted(items, key=lambda item: item.start)


def _inside(item: _Item, spans: list[tuple[int, int]]) -> bool:
    return any(start <= item.start < end for start, end in spans)


def _list_changes(
    low: str, clauses: list[tuple[int, int]], items: list[_Item], tokens: list[Token]
) -> tuple[ListChange[Role], ListChange[Place]]:
    lists = {"role": _Lists(), "place": _Lists()}
    items = _without_residence(low, items)
    for clause_start, clause_end in clauses:
        in_clause = [item for item in items if clause_start <= item.start < clause_end]
        if not in_clause:
            continue
        operations = _operations(low, clause_start, clause_end, in_clause, tokens)
        for item, operation in zip(in_clause, operations, strict=True):
            if item.value != NIGERIA and not _country_context(item, items):
                lists[item.kind].put(operation, item.value)
    roles, places = lists["role"], lists["place"]
    role_change = ListChange[Role](
        replace=[r for r in roles.replace if isinstance(r, Role)] if roles.replaced else None,
        add=[r for r in roles.add if isinstance(r, Role)],
        remove=[r for r in roles.remove if isinstance(r, Role)],
    )
    place_change = ListChange[Place](
        replace=[p for p in places.replace if isinstance(p, Place)] if places.replaced else None,
        add=[p for p in places.add if isinstance(p, Place)],
        remove=[p for p in places.remove if isinstance(p, Place)],
    )
    return normalised(role_change, apply_roles), normalised(place_change, apply_places)


def _without_residence(low: str, items: list[_Item]) -> list[_Item]:
    """ "I live in Ibadan but want to work in Lagos": where they live is not where they want
    to work, when the message names both. Alone ("I'm based in Ikeja") it is the answer."""
    places = [item for item in items if item.kind == "place" and item.value != NIGERIA]
    home = [item for item in places if _RESIDENCE.search(low, max(0, item.start - 24), item.start)]
    if not home or len(home) == len(places):
        return items
    return [item for item in items if item not in home]


def _country_context(item: _Item, items: list[_Item]) -> bool:
    """ "I'm in the UK, looking in Manchester or Leeds": the country only frames the cities."""
    place = item.value
    if not isinstance(place, Place) or place.city is not None or place.state is not None:
        return False
    return any(
        isinstance(other.value, Place) and other.value.country == place.country
        and other.value != place for other in items
    )  # fmt: skip


def _operations(
    low: str, start: int, end: int, items: list[_Item], tokens: list[Token]
) -> list[str]:
    cues = sorted(
        [(match.start(), "remove") for match in _REMOVE_CUE.finditer(low, start, end)]
        + [(match.start(), "add") for match in _ADD_CUE.finditer(low, start, end)]
    )
    cue_positions = [position for position, _ in cues]
    operations: list[str] = []
    for item in items:
        cued = bisect.bisect_left(cue_positions, item.start)
        operations.append(cues[cued - 1][1] if cued else _uncued_operation(low, end, item, tokens))
    change = _CHANGE_CUE.search(low, start, end)
    if change is None:
        return operations
    separator = re.compile(_CHANGE_SEPARATOR[change.group("verb")]).search(low, change.end(), end)
    if separator is None:
        return operations
    for kind in ("role", "place"):
        old = [i for i, item in enumerate(items) if item.kind == kind
               and change.end() <= item.start < separator.start()]  # fmt: skip
        new = [i for i, item in enumerate(items) if item.kind == kind
               and item.start >= separator.end()]  # fmt: skip
        if not new:
            continue
        for index in old:
            operations[index] = "remove"
        for index in new:
            operations[index] = "add" if old else "replace"
    return operations


def _uncued_operation(low: str, end: int, item: _Item, tokens: list[Token]) -> str:
    preceding = tokens[max(0, item.first_token - 2) : item.first_token]
    if any(token.norm in _LOCAL_NEGATION for token in preceding):
        return "remove"
    if _ADD_AFTER_CUE.match(low, item.end, end):
        return "add"
    return "replace"


def _years(numbers: str) -> float | None:
    mentions = [(m.start(), float(m.group("a"))) for m in _YEARS.finditer(numbers)]
    mentions += [(m.start(), float(m.group("a"))) for m in _EXPERIENCE_NUMBER.finditer(numbers)]
    if not mentions:
        mentions = [
            (m.start(), round(float(m.group("a")) / 12, 2)) for m in _MONTHS.finditer(numbers)
        ]
    mentions = sorted(mention for mention in mentions if mention[1] <= 60)
    if mentions:
        corrections = [m.end() for m in _CORRECTION.finditer(numbers)]
        corrected = [
            value for position, value in mentions if corrections and position > corrections[-1]
        ]
        return corrected[-1] if corrected else max(value for _, value in mentions)
    return 0.0 if _NO_EXPERIENCE.search(numbers) else None


def _arrangement(
    low: str, clauses: list[tuple[int, int]], places: list[_Item]
) -> tuple[Arrangement | None, bool | None]:
    mentions: list[tuple[int, Arrangement, bool]] = []  # position, kind, exclusive
    remote_option = remote_refused = False
    hybrid_spans = [match.span() for match in _HYBRID.finditer(low)]
    patterns = (
        (_HYBRID, Arrangement.HYBRID),
        (_REMOTE, Arrangement.REMOTE),
        (_ONSITE, Arrangement.ONSITE),
    )
    for pattern, kind in patterns:
        for match in pattern.finditer(low):
            if kind is Arrangement.REMOTE and any(s <= match.start() < e for s, e in hybrid_spans):
                continue
            clause_start, clause_end = _clause_of(clauses, match.start())
            if _negated(low, match, clause_start, clause_end):
                remote_refused = remote_refused or kind is Arrangement.REMOTE
                continue
            if kind is Arrangement.REMOTE and _is_location_option(low, match, clause_start, places):
                remote_option = True
                continue
            window = low[max(clause_start, match.start() - 12) : min(clause_end, match.end() + 12)]
            mentions.append((match.start(), kind, _EXCLUSIVE.search(window) is not None))
    kinds = [kind for _, kind, _ in sorted(mentions, key=lambda mention: mention[0])]
    exclusive = [kind for _, kind, only in sorted(mentions, key=lambda m: m[0]) if only]
    arrangement: Arrangement | None = None
    if _ANY_ARRANGEMENT.search(low) or (kinds and _ANY_IF_ARRANGEMENT.search(low)):
        arrangement = Arrangement.ANY
    elif exclusive:
        arrangement = exclusive[-1]
    elif Arrangement.REMOTE in kinds and Arrangement.ONSITE in kinds:
        arrangement = Arrangement.ANY
    elif kinds:
        arrangement = kinds[0]
    remote_welcome = remote_option or arrangement in (Arrangement.REMOTE, Arrangement.ANY)
    if remote_welcome or Arrangement.REMOTE in kinds:
        return arrangement, True
    return arrangement, False if remote_refused else None


def _negated(low: str, match: re.Match[str], clause_start: int, clause_end: int) -> bool:
    # Only the words since the last comma or "so"/"but" count: "hybrid not possible so onsite".
    before = _PHRASE_BREAK.split(low[max(clause_start, match.start() - 20) : match.start()])[-1]
    if _NEGATION_BEFORE.search(before) and not _NOT_A_NEGATION.search(before):
        return True
    return _NEGATION_AFTER.match(low[match.end() : clause_end]) is not None


def _is_location_option(
    low: str, match: re.Match[str], clause_start: int, places: list[_Item]
) -> bool:
    """ "Lagos or remote": remote offered as one more place to work, not as a way of working."""
    if _OPEN_TO.search(low[max(clause_start, match.start() - 12) : match.start()]):
        return True
    before = [place for place in places if place.end <= match.start()]
    after = [place for place in places if place.start >= match.end()]
    gaps = []
    if before:
        gaps.append((before[-1].end, match.start()))
    if after:
        gaps.append((match.end(), after[0].start))
    return any(
        0 < gap_end - gap_start <= 30 and _OPTION_GAP.fullmatch(low, gap_start, gap_end)
        for gap_start, gap_end in gaps
    )


def _relocation(low: str, clauses: list[tuple[int, int]]) -> bool | None:
    willing: bool | None = None
    for match in _RELOCATE.finditer(low):
        clause_start, clause_end = _clause_of(clauses, match.start())
        willing = not _negated(low, match, clause_start, clause_end)
    return willing


def _anywhere(low: str, places: list[_Item], text: str) -> tuple[bool | None, bool]:
    """(anywhere in Nigeria, remote from anywhere) as the message says them."""
    anywhere: bool | None = None
    for match in _ANYWHERE.finditer(low):
        if _ANYWHERE_ABROAD.match(low, match.end()):
            return anywhere, True
        if _ANYWHERE_IN_A_REGION.match(low, match.end()):
            continue
        preposition = _PLACE_AFTER.match(low, match.end())
        if preposition is not None:
            named = next((p for p in places if p.start == preposition.end()), None)
            if named is not None and named.value != NIGERIA:
                continue
        anywhere = True
    if anywhere is None and places and all(p.value == NIGERIA for p in places):
        words = [token for token in tokenize(text) if not token.norm.isdigit()]
        if len(words) <= 2:
            anywhere = True
    return anywhere, False


def _skills(
    text: str, low: str, clauses: list[tuple[int, int]]
) -> tuple[ListChange[str], list[tuple[int, int]]]:
    replace: list[str] = []
    add: list[str] = []
    remove: list[str] = []
    replaced = False
    spans: list[tuple[int, int]] = []
    for pattern, target in ((_SKILL_ADD, add), (_SKILL_REMOVE, remove)):
        for match in pattern.finditer(low):
            target.extend(_skill_items(text[match.start("items") : match.end("items")]))
            spans.append(match.span())
    for clause_start, clause_end in clauses:
        if any(
            start <= clause_start < end or clause_start <= start < clause_end
            for start, end in spans
        ):
            continue
        found = _skills_in_clause(text, low, clause_start, clause_end)
        if found is None:
            continue
        operation, names, span = found
        spans.append(span)
        if operation == "add":
            add.extend(names)
        elif operation == "remove":
            remove.extend(names)
        else:
            replace.extend(names)
            replaced = True
    for match in _PARENTHESES.finditer(low):
        names = _skill_items(text[match.start(1) : match.end(1)])
        known = [name for name in names if is_known_skill(name)]
        if names and len(known) * 2 >= len(names) and not _names_vocabulary(match.group(1)):
            spans.append(match.span())
            replace.extend(names)
            replaced = True
    change = ListChange[str](
        replace=_distinct(replace) if replaced else None,
        add=_distinct(add),
        remove=_distinct(remove),
    )
    return normalised(change, apply_skills), spans


def _skills_in_clause(
    text: str, low: str, start: int, end: int
) -> tuple[str, list[str], tuple[int, int]] | None:
    replace_cue = _SKILL_REPLACE.search(low, start, end)
    cue = replace_cue or _SKILL_CUE.search(low, start, end)
    if cue is not None:
        rest = low[cue.end() : end]
        stop = _SKILL_STOP.search(rest)
        listed = rest[: stop.start()] if stop else rest
        # A place ends the list ("I sabi Toyota & Honda, Apapa or Festac"); a role does
        # not: in "skills: sales, customer service" they are skills.
        listed = listed[: _place_offset(listed)]
        names = _skill_items(text[cue.end() : cue.end() + len(listed)])
        if not names:
            return None
        operation = "replace"
        if replace_cue is None:
            before = low[start : cue.start()]
            if _REMOVE_CUE.search(before):
                operation = "remove"
            elif _ADD_CUE.search(before):
                operation = "add"
        return operation, names, (cue.start(), cue.end() + len(listed))
    weak = _WEAK_SKILL_CUE.search(low, start, end)
    if weak is not None:
        rest = low[weak.end() : end]
        stop = _SKILL_STOP.search(rest)
        listed = rest[: stop.start()] if stop else rest
        names = [name for name in _skill_items(text[weak.end() : weak.end() + len(listed)])
                 if is_known_skill(name)]  # fmt: skip
        if names:
            return "replace", names, (weak.start(), weak.end() + len(listed))
    pieces = [piece for piece in _ITEM_SPLIT.split(low[start:end]) if piece.strip()]
    if len(pieces) < 2 or any(any(c.isdigit() for c in piece) for piece in pieces):
        return None
    known = [piece for piece in pieces if is_known_skill(piece)]
    if len(known) * 3 < len(pieces) or _names_vocabulary(low[start:end]):
        return None
    return "replace", _skill_items(text[start:end]), (start, end)


def _names_vocabulary(text: str) -> bool:
    """Whether `text` names a role or a place, which a list of skills never does."""
    return _vocabulary_offset(text) < len(text)


def _vocabulary_offset(text: str) -> int:
    """Where the first role or place in `text` starts; the length of `text` if none."""
    tokens = tokenize(text)
    starts = [match.start for match in role_index().find(tokens)]
    return min(starts, default=_place_offset(text))


def _place_offset(text: str) -> int:
    tokens = tokenize(text)
    starts = [tokens[first].start for _, first, _ in find_place_matches(tokens)]
    return min(starts, default=len(text))


def _skill_items(listed: str) -> list[str]:
    names: list[str] = []
    for raw in _ITEM_SPLIT.split(listed):
        piece = raw.strip(" .:-–'\"()")
        if not piece or piece.casefold() in _NOT_SKILLS or not any(c.isalpha() for c in piece):
            continue
        if len(piece) > 40 or len(piece.split()) > 5:
            continue
        names.append(canonical_skill(piece))
    return names[:MAX_SKILLS]


def _distinct(names: list[str]) -> list[str]:
    seen: set[str] = set()
    distinct: list[str] = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            distinct.append(name)
    return distinct
