"""What a candidate wants, and how one message changes it.

`PreferenceUpdate` is what one message says, field by field: nothing, a replacement, an
addition or a removal. `apply_update` folds it into the stored `Preferences`:

- a list field (roles, locations, skills) is replaced first, then added to, then removed
  from; a removal takes everything it covers: "remove Lagos" takes Ikeja and Lekki too,
  and "remove sales" takes the candidate's sales role when no title matches exactly;
- a scalar field (years, pay, arrangement, the yes/no flags) is replaced when stated;
- a remote arrangement always means remote jobs are welcome (`open_to_remote`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from aremu.domain.vocabulary.places import Place, place_within
from aremu.domain.vocabulary.roles import Role

Currency = Literal["NGN", "USD", "GBP", "EUR", "KES", "GHS", "ZAR", "AED", "CAD"]
Period = Literal["hour", "day", "week", "month", "year"]

CURRENCY_SYMBOLS: dict[str, str] = {
    "NGN": "₦", "USD": "$", "GBP": "£", "EUR": "€", "KES": "KSh ", "GHS": "GH₵",
    "ZAR": "R", "AED": "AED ", "CAD": "C$",
}  # fmt: skip

# Full-time equivalents: 40-hour, 5-day weeks, 52 weeks a year.
_PER_MONTH: dict[str, Decimal] = {
    "hour": Decimal(40 * 52) / 12,
    "day": Decimal(5 * 52) / 12,
    "week": Decimal(52) / 12,
    "month": Decimal(1),
    "year": Decimal(1) / 12,
}
_PERIOD_WORDS: dict[str, str] = {
    "hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year",
}  # fmt: skip


class Money(BaseModel):
    model_config = ConfigDict(frozen=True)

    amount: Decimal = Field(gt=0, max_digits=15, decimal_places=2)
    currency: Currency = "NGN"
    period: Period = "month"

    def monthly(self) -> Money:
        """The same pay per month, for comparing offers quoted per hour, week or year."""
        amount = (self.amount * _PER_MONTH[self.period]).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        return Money(amount=amount, currency=self.currency, period="month")

    def label(self) -> str:
        whole = self.amount == self.amount.to_integral_value()
        number = f"{self.amount:,.0f}" if whole else f"{self.amount:,.2f}"
        return f"{CURRENCY_SYMBOLS[self.currency]}{number} {_PERIOD_WORDS[self.period]}"


class Arrangement(StrEnum):
    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"
    ANY = "any"


class PreferenceField(StrEnum):
    ROLES = "roles"
    LOCATIONS = "locations"
    YEARS = "years_experience"
    PAY = "min_pay"
    ARRANGEMENT = "arrangement"
    SKILLS = "skills"


# The order onboarding asks in. Skills are welcome but never required.
REQUIRED_FIELDS: tuple[PreferenceField, ...] = (
    PreferenceField.ROLES,
    PreferenceField.LOCATIONS,
    PreferenceField.YEARS,
    PreferenceField.PAY,
    PreferenceField.ARRANGEMENT,
)


class Preferences(BaseModel):
    model_config = ConfigDict(frozen=True)

    roles: list[Role] = Field(default_factory=list)
    locations: list[Place] = Field(default_factory=list)
    anywhere_in_nigeria: bool = False
    open_to_remote: bool = False
    willing_to_relocate: bool = False
    years_experience: float | None = Field(default=None, ge=0, le=60)
    min_pay: Money | None = None
    pay_negotiable: bool = False
    arrangement: Arrangement | None = None
    skills: list[str] = Field(default_factory=list)

    def missing_fields(self) -> list[PreferenceField]:
        """The required fields onboarding still has to ask about, in asking order."""
        answered = {
            PreferenceField.ROLES: bool(self.roles),
            PreferenceField.LOCATIONS: bool(
                self.locations or self.anywhere_in_nigeria or self.open_to_remote
            ),
            PreferenceField.YEARS: self.years_experience is not None,
            PreferenceField.PAY: self.min_pay is not None or self.pay_negotiable,
            PreferenceField.ARRANGEMENT: self.arrangement is not None,
        }
        return [field for field in REQUIRED_FIELDS if not answered[field]]

    def summary_lines(self) -> list[str]:
        """One line per field for a WhatsApp summary card (bold labels, plain values)."""
        not_set = "not set yet"
        arrangement = _ARRANGEMENT_TEXT[self.arrangement] if self.arrangement else not_set
        return [
            f"*Roles:* {', '.join(role.title for role in self.roles) or not_set}",
            f"*Locations:* {self._locations_text() or not_set}",
            f"*Experience:* {self._years_text() or not_set}",
            f"*Minimum pay:* {self._pay_text() or not_set}",
            f"*Work arrangement:* {arrangement}",
            f"*Skills:* {', '.join(self.skills) or 'none added'}",
        ]

    def _locations_text(self) -> str:
        parts = [place.label() for place in self.locations]
        if self.anywhere_in_nigeria:
            parts.append("anywhere in Nigeria")
        if self.open_to_remote:
            parts.append("remote")
        text = ", ".join(parts)
        if self.willing_to_relocate:
            text = f"{text} (willing to relocate)" if text else "willing to relocate"
        return text

    def _years_text(self) -> str:
        years = self.years_experience
        if years is None:
            return ""
        if years == 0:
            return "no work experience yet"
        if years < 1:
            return f"{round(years * 12)} months"
        shown = f"{years:g}"
        return f"{shown} year" if years == 1 else f"{shown} years"

    def _pay_text(self) -> str:
        if self.min_pay is not None:
            return self.min_pay.label()
        return "negotiable" if self.pay_negotiable else ""


_ARRANGEMENT_TEXT: dict[Arrangement, str] = {
    Arrangement.REMOTE: "Remote",
    Arrangement.HYBRID: "Hybrid",
    Arrangement.ONSITE: "On-site",
    Arrangement.ANY: "Any (remote, hybrid or on-site)",
}

T = TypeVar("T")


class ListChange(BaseModel, Generic[T]):
    """What a message does to one list: replace it, add to it, remove from it (in that order)."""

    model_config = ConfigDict(frozen=True)

    replace: list[T] | None = None
    add: list[T] = Field(default_factory=list)
    remove: list[T] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return self.replace is None and not self.add and not self.remove


class PreferenceUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    roles: ListChange[Role] = Field(default_factory=ListChange[Role])
    locations: ListChange[Place] = Field(default_factory=ListChange[Place])
    skills: ListChange[str] = Field(default_factory=ListChange[str])
    anywhere_in_nigeria: bool | None = None
    open_to_remote: bool | None = None
    willing_to_relocate: bool | None = None
    years_experience: float | None = Field(default=None, ge=0, le=60)
    min_pay: Money | None = None
    pay_negotiable: bool | None = None
    arrangement: Arrangement | None = None

    def changed_fields(self) -> list[str]:
        lists: dict[str, ListChange[Role] | ListChange[Place] | ListChange[str]] = {
            "roles": self.roles,
            "locations": self.locations,
            "skills": self.skills,
        }
        changed = [name for name, change in lists.items() if not change.is_empty()]
        scalars = (
            "anywhere_in_nigeria", "open_to_remote", "willing_to_relocate", "years_experience",
            "min_pay", "pay_negotiable", "arrangement",
        )  # fmt: skip
        return changed + [name for name in scalars if getattr(self, name) is not None]

    def is_empty(self) -> bool:
        return not self.changed_fields()


def apply_update(preferences: Preferences, update: PreferenceUpdate) -> Preferences:
    changes: dict[str, object] = {
        "roles": apply_roles(preferences.roles, update.roles),
        "locations": apply_places(preferences.locations, update.locations),
        "skills": apply_skills(preferences.skills, update.skills),
    }
    for name in ("anywhere_in_nigeria", "open_to_remote", "willing_to_relocate"):
        if getattr(update, name) is not None:
            changes[name] = getattr(update, name)
    if update.years_experience is not None:
        changes["years_experience"] = update.years_experience
    if update.min_pay is not None:
        changes["min_pay"] = update.min_pay
        changes["pay_negotiable"] = bool(update.pay_negotiable)
    elif update.pay_negotiable is not None:
        changes["pay_negotiable"] = update.pay_negotiable
        if update.pay_negotiable:
            changes["min_pay"] = None
    if update.arrangement is not None:
        changes["arrangement"] = update.arrangement
        if update.arrangement in (Arrangement.REMOTE, Arrangement.ANY):
            changes["open_to_remote"] = True
    return preferences.model_copy(update=changes)


def apply_roles(current: list[Role], change: ListChange[Role]) -> list[Role]:
    roles = _replaced_and_added(current, change)
    for removal in change.remove:
        exact = [role for role in roles if role.title == removal.title]
        # "remove sales" names a family as often as a title.
        roles = [
            role for role in roles if role not in exact and (exact or role.family != removal.family)
        ]
    return roles


def apply_places(current: list[Place], change: ListChange[Place]) -> list[Place]:
    places = _replaced_and_added(current, change)
    return [
        place
        for place in places
        if not any(place_within(place, removal) for removal in change.remove)
    ]


def apply_skills(current: list[str], change: ListChange[str]) -> list[str]:
    skills: list[str] = []
    seen: set[str] = set()
    for skill in _replaced_and_added(current, change):
        if skill.casefold() not in seen:
            seen.add(skill.casefold())
            skills.append(skill)
    removed = {skill.casefold() for skill in change.remove}
    return [skill for skill in skills if skill.casefold() not in removed]


def normalised(
    change: ListChange[T], apply: Callable[[list[T], ListChange[T]], list[T]]
) -> ListChange[T]:
    """A change with a replacement folds its additions and removals into it."""
    if change.replace is None or (not change.add and not change.remove):
        return change
    return change.model_copy(update={"replace": apply([], change), "add": [], "remove": []})


def _replaced_and_added(current: list[T], change: ListChange[T]) -> list[T]:
    items = list(change.replace) if change.replace is not None else list(current)
    for item in change.add:
        if item not in items:
            items.append(item)
    return items
