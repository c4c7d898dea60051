"""Preferences read by an OpenAI model with structured outputs, never worse than offline.

The model answers in a strict JSON schema of plain strings and numbers; its roles and
places then go through the same vocabulary as everything else, so "PH" and "Port
Harcourt" stay one place whoever read them. Any failure (timeout, HTTP error, refusal,
junk or invalid JSON, values out of range) falls back to the offline extractor, and so
does an answer that finds nothing: the candidate never notices.

`openai` is imported only when a key is configured, so the webhook's cold start never
pays for it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from aremu.domain.extraction import PreferenceExtractor
from aremu.domain.extraction.offline import OfflinePreferenceExtractor
from aremu.domain.extraction.skills import canonical_skill
from aremu.domain.preferences import (
    Arrangement,
    Currency,
    ListChange,
    Money,
    Period,
    PreferenceUpdate,
    apply_places,
    apply_roles,
    apply_skills,
    normalised,
)
from aremu.domain.vocabulary.places import NIGERIA, Place, resolve_place
from aremu.domain.vocabulary.roles import Role, normalise_title
from aremu.observability import logger

if TYPE_CHECKING:
    from openai import OpenAI

DEFAULT_MODEL = "gpt-4o-mini"
# Enough for any real answer; a pasted CV costs tokens and says little more.
MAX_INPUT_CHARACTERS = 2_000
MAX_TITLE_CHARACTERS = 80

SYSTEM_PROMPT = """\
You read one WhatsApp message from a job seeker (most are in Nigeria; some abroad) and
report what it says about the work they want. Fill only what the message states; use null
or [] for everything else. Messages may be in Nigerian Pidgin, have typos or emoji.

Lists (roles, locations, skills): *_replace is the full new list when the message gives
one ("sales rep in Lagos", "change my location to Abuja"); *_add for additions ("add data
analyst", "Ibadan too"); *_remove for removals ("remove sales", "not Lagos again").
Roles: short job titles without seniority ("Senior Python Developer" -> "Python
Developer"). Locations: one city, area or state per item, as written ("Lekki", "PH",
"Ogun State", "London"); not "remote". Skills: tools and abilities the person names.

years_experience: a number; 0 for a fresh graduate or no experience.
min_pay: the lowest pay they will accept. amount as a plain number ("300k" -> 300000,
"2.5m" -> 2500000); the lower end of a range; currency NGN unless another is shown;
period month unless stated (per annum/yearly -> year). pay_negotiable: true only when
they say pay is negotiable and give no amount.
arrangement: remote, hybrid, onsite or any, only when they state how they want to work.
open_to_remote: true when they accept remote work, false when they refuse it.
anywhere_in_nigeria: true for "anywhere in Nigeria", "any state", "nationwide".
willing_to_relocate: true or false only when they say so.
"""


class AiPreferences(BaseModel):
    """The strict schema the model fills: plain types, every field required."""

    model_config = ConfigDict(extra="forbid")

    roles_replace: list[str] | None
    roles_add: list[str]
    roles_remove: list[str]
    locations_replace: list[str] | None
    locations_add: list[str]
    locations_remove: list[str]
    skills_replace: list[str] | None
    skills_add: list[str]
    skills_remove: list[str]
    anywhere_in_nigeria: bool | None
    open_to_remote: bool | None
    willing_to_relocate: bool | None
    years_experience: float | None
    min_pay_amount: float | None
    min_pay_currency: Currency | None
    min_pay_period: Period | None
    pay_negotiable: bool | None
    arrangement: Literal["remote", "hybrid", "onsite", "any"] | None


class NoAnswer(Exception):
    """The model answered without a usable structured result (a refusal, an empty reply)."""


class OpenAIPreferenceExtractor:
    def __init__(
        self,
        client: OpenAI,
        *,
        model: str = DEFAULT_MODEL,
        timeout_seconds: float = 8.0,
        fallback: PreferenceExtractor | None = None,
    ) -> None:
        self._client = client
        self._model = model
        self._timeout = timeout_seconds
        self._fallback = fallback or OfflinePreferenceExtractor()

    def extract(self, text: str) -> PreferenceUpdate:
        try:
            update = to_update(self._ask(text))
        except Exception as error:  # whatever went wrong, offline answers instead
            logger.warning(
                "preference extraction fell back to offline",
                extra={"reason": type(error).__name__, "model": self._model},
            )
            return self._fallback.extract(text)
        if update.is_empty():
            return self._fallback.extract(text)
        return update

    def _ask(self, text: str) -> AiPreferences:
        response = self._client.responses.parse(
            model=self._model,
            input=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": text[:MAX_INPUT_CHARACTERS]},
            ],
            text_format=AiPreferences,
            timeout=self._timeout,
        )
        parsed = response.output_parsed
        if parsed is None:
            raise NoAnswer("no structured output (refusal or empty answer)")
        return parsed


def to_update(answer: AiPreferences) -> PreferenceUpdate:
    """The model's answer in the domain's terms, through the shared vocabulary."""
    places_replace = _places(answer.locations_replace or [])
    places_add = _places(answer.locations_add)
    anywhere = answer.anywhere_in_nigeria
    if NIGERIA in places_replace + places_add:
        anywhere = True
    locations = ListChange[Place](
        replace=_without(places_replace, NIGERIA) if answer.locations_replace is not None else None,
        add=_without(places_add, NIGERIA),
        remove=_without(_places(answer.locations_remove), NIGERIA),
    )
    roles = ListChange[Role](
        replace=_roles(answer.roles_replace) if answer.roles_replace is not None else None,
        add=_roles(answer.roles_add),
        remove=_roles(answer.roles_remove),
    )
    skills = ListChange[str](
        replace=_skills(answer.skills_replace) if answer.skills_replace is not None else None,
        add=_skills(answer.skills_add),
        remove=_skills(answer.skills_remove),
    )
    return PreferenceUpdate(
        roles=normalised(roles, apply_roles),
        locations=normalised(locations, apply_places),
        skills=normalised(skills, apply_skills),
        anywhere_in_nigeria=anywhere,
        open_to_remote=answer.open_to_remote,
        willing_to_relocate=answer.willing_to_relocate,
        years_experience=answer.years_experience,
        min_pay=_money(answer),
        pay_negotiable=answer.pay_negotiable,
        arrangement=Arrangement(answer.arrangement) if answer.arrangement else None,
    )


def _roles(titles: list[str]) -> list[Role]:
    roles: list[Role] = []
    for title in titles:
        cleaned = " ".join(title.split())[:MAX_TITLE_CHARACTERS]
        if not cleaned:
            continue
        # A title outside the vocabulary is kept in the model's words, in no family.
        role = normalise_title(cleaned) or Role(cleaned, "other")
        if role not in roles:
            roles.append(role)
    return roles


def _places(names: list[str]) -> list[Place]:
    places: list[Place] = []
    for name in names:
        place = resolve_place(name)
        if place is not None and place not in places:
            places.append(place)
    return places


def _without(places: list[Place], unwanted: Place) -> list[Place]:
    return [place for place in places if place != unwanted]


def _skills(names: list[str]) -> list[str]:
    return [canonical_skill(name) for name in names if name.strip()]


def _money(answer: AiPreferences) -> Money | None:
    if answer.min_pay_amount is None:
        return None
    amount = Decimal(str(answer.min_pay_amount))
    whole = amount == amount.to_integral_value()
    return Money(
        amount=amount.quantize(Decimal(1) if whole else Decimal("0.01")),
        currency=answer.min_pay_currency or "NGN",
        period=answer.min_pay_period or "month",
    )


def preference_extractor(
    openai_api_key: str | None,
    *,
    model: str = DEFAULT_MODEL,
    timeout_seconds: float = 8.0,
) -> PreferenceExtractor:
    """The AI extractor when a key is set, else the offline one. Call once per container."""
    offline = OfflinePreferenceExtractor()
    if not openai_api_key:
        return offline
    from openai import OpenAI

    # One retry at most: a reply to a candidate should not wait on a struggling API.
    client = OpenAI(api_key=openai_api_key, max_retries=1, timeout=timeout_seconds)
    return OpenAIPreferenceExtractor(
        client, model=model, timeout_seconds=timeout_seconds, fallback=offline
    )
