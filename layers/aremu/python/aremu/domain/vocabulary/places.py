"""Nigerian states, cities and areas (and a few cities abroad), with the names people type.

A city-level place names its state; an area of a big city (Ikeja, Wuse, Trans Amadi) is a
city of its own here, and `metro_of` says which city it belongs to, so that "remove
Lagos" can take Ikeja with it and the matcher can count Lekki as Lagos.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from aremu.domain.vocabulary.phrases import PhraseIndex, Token, tokenize


@dataclass(frozen=True)
class Place:
    city: str | None
    state: str | None
    country: str = "NG"

    def label(self) -> str:
        """A short name for a summary card: "Ikeja, Lagos", "Abuja", "Rivers State"."""
        if self.city and self.country != "NG":
            return f"{self.city} ({COUNTRY_NAMES.get(self.country, self.country)})"
        if self.city and self.state and self.state not in (self.city, "FCT"):
            return f"{self.city}, {self.state}"
        if self.city:
            return self.city
        if self.state:
            return "Abuja (FCT)" if self.state == "FCT" else f"{self.state} State"
        return COUNTRY_NAMES.get(self.country, self.country)


NIGERIA = Place(None, None, "NG")

STATES: tuple[str, ...] = (
    "Abia", "Adamawa", "Akwa Ibom", "Anambra", "Bauchi", "Bayelsa", "Benue", "Borno",
    "Cross River", "Delta", "Ebonyi", "Edo", "Ekiti", "Enugu", "Gombe", "Imo", "Jigawa",
    "Kaduna", "Kano", "Katsina", "Kebbi", "Kogi", "Kwara", "Lagos", "Nasarawa", "Niger",
    "Ogun", "Ondo", "Osun", "Oyo", "Plateau", "Rivers", "Sokoto", "Taraba", "Yobe",
    "Zamfara", "FCT",
)  # fmt: skip

# ISO 3166-2:NG, which job boards use in locations such as "Lagos, LA, NG".
STATE_CODES: dict[str, str] = {
    "AB": "Abia", "AD": "Adamawa", "AK": "Akwa Ibom", "AN": "Anambra", "BA": "Bauchi",
    "BY": "Bayelsa", "BE": "Benue", "BO": "Borno", "CR": "Cross River", "DE": "Delta",
    "EB": "Ebonyi", "ED": "Edo", "EK": "Ekiti", "EN": "Enugu", "FC": "FCT", "GO": "Gombe",
    "IM": "Imo", "JI": "Jigawa", "KD": "Kaduna", "KN": "Kano", "KT": "Katsina", "KE": "Kebbi",
    "KO": "Kogi", "KW": "Kwara", "LA": "Lagos", "NA": "Nasarawa", "NI": "Niger", "OG": "Ogun",
    "ON": "Ondo", "OS": "Osun", "OY": "Oyo", "PL": "Plateau", "RI": "Rivers", "SO": "Sokoto",
    "TA": "Taraba", "YO": "Yobe", "ZA": "Zamfara",
}  # fmt: skip

STATE_ALIASES: dict[str, tuple[str, ...]] = {
    "Akwa Ibom": ("akwa-ibom", "akwaibom", "akwa ibom state"),
    "Cross River": ("cross-river", "crossriver", "cross river state"),
    "Nasarawa": ("nassarawa", "nasarawa state", "nassarawa state"),
    "FCT": ("fct", "f.c.t", "f.c.t.", "federal capital territory", "fct state"),
}

# A bare state name that is also its main city's name means the city ("I'm in Kano").
CITY_NAMED_LIKE_STATE = frozenset(
    {"Lagos", "Kano", "Kaduna", "Enugu", "Sokoto", "Bauchi", "Gombe", "Katsina"}
)

# city -> (state, aliases). The city's own name is always an alias.
CITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Lagos": ("Lagos", ("lasgidi", "las gidi", "eko", "lagos city", "lagos nigeria")),
    "Abuja": ("FCT", ("abj", "abuja city", "fct abuja", "abuja fct", "abuja municipal")),
    "Port Harcourt": (
        "Rivers",
        (
            "port-harcourt",
            "portharcourt",
            "port harcort",
            "port harcourt city",
            "ph",
            "p.h",
            "p.h.",
            "phc",
            "ph city",
            "garden city",
        ),
    ),
    "Ibadan": ("Oyo", ("ibadan city",)),
    "Ogbomoso": ("Oyo", ("ogbomosho",)),
    "Oyo": ("Oyo", ("oyo town",)),
    "Kano": ("Kano", ()),
    "Kaduna": ("Kaduna", ()),
    "Zaria": ("Kaduna", ()),
    "Kafanchan": ("Kaduna", ()),
    "Enugu": ("Enugu", ("enugu city",)),
    "Nsukka": ("Enugu", ()),
    "Benin City": ("Edo", ("benin", "benin-city")),
    "Auchi": ("Edo", ()),
    "Ekpoma": ("Edo", ()),
    "Warri": ("Delta", ()),
    "Effurun": ("Delta", ()),
    "Asaba": ("Delta", ()),
    "Sapele": ("Delta", ()),
    "Ughelli": ("Delta", ()),
    "Agbor": ("Delta", ()),
    "Uyo": ("Akwa Ibom", ()),
    "Eket": ("Akwa Ibom", ()),
    "Ikot Ekpene": ("Akwa Ibom", ("ikot-ekpene",)),
    "Calabar": ("Cross River", ()),
    "Abeokuta": ("Ogun", ()),
    "Ota": ("Ogun", ("sango ota", "sango-ota", "sango otta", "otta")),
    "Ijebu Ode": ("Ogun", ("ijebu-ode", "ijebu")),
    "Sagamu": ("Ogun", ("shagamu",)),
    "Mowe": ("Ogun", ()),
    "Ibafo": ("Ogun", ()),
    "Ifo": ("Ogun", ()),
    "Agbara": ("Ogun", ()),
    "Owerri": ("Imo", ()),
    "Jos": ("Plateau", ()),
    "Ilorin": ("Kwara", ()),
    "Offa": ("Kwara", ()),
    "Onitsha": ("Anambra", ()),
    "Awka": ("Anambra", ()),
    "Nnewi": ("Anambra", ()),
    "Akure": ("Ondo", ()),
    "Ondo": ("Ondo", ("ondo town",)),
    "Osogbo": ("Osun", ("oshogbo",)),
    "Ile-Ife": ("Osun", ("ile ife", "ife")),
    "Ilesa": ("Osun", ("ilesha",)),
    "Ado-Ekiti": ("Ekiti", ("ado ekiti",)),
    "Aba": ("Abia", ()),
    "Umuahia": ("Abia", ()),
    "Makurdi": ("Benue", ()),
    "Maiduguri": ("Borno", ()),
    "Sokoto": ("Sokoto", ()),
    "Bauchi": ("Bauchi", ()),
    "Gombe": ("Gombe", ()),
    "Minna": ("Niger", ()),
    "Suleja": ("Niger", ()),
    "Bida": ("Niger", ()),
    "Lokoja": ("Kogi", ()),
    "Okene": ("Kogi", ()),
    "Lafia": ("Nasarawa", ()),
    "Keffi": ("Nasarawa", ()),
    "Mararaba": ("Nasarawa", ("maraba",)),
    "Birnin Kebbi": ("Kebbi", ("birnin-kebbi",)),
    "Katsina": ("Katsina", ()),
    "Damaturu": ("Yobe", ()),
    "Potiskum": ("Yobe", ()),
    "Yola": ("Adamawa", ()),
    "Mubi": ("Adamawa", ()),
    "Jalingo": ("Taraba", ()),
    "Gusau": ("Zamfara", ()),
    "Dutse": ("Jigawa", ()),
    "Yenagoa": ("Bayelsa", ()),
    "Abakaliki": ("Ebonyi", ()),
    "Bonny": ("Rivers", ("bonny island",)),
}

# area -> (metro city, aliases). An area's state is its metro city's state.
AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Ikeja": ("Lagos", ("ikeja gra", "alausa", "oregun", "opebi", "allen avenue",
                        "computer village")),
    "Lekki": ("Lagos", ("lekki phase 1", "lekki phase one", "lekki 1", "osapa", "agungi",
                        "ikate")),
    "Victoria Island": ("Lagos", ("vi", "v.i", "v.i.", "v/i", "oniru")),
    "Ikoyi": ("Lagos", ("banana island", "obalende")),
    "Lagos Island": ("Lagos", ("island", "the island", "marina", "idumota", "broad street")),
    "Lagos Mainland": ("Lagos", ("mainland", "the mainland")),
    "Yaba": ("Lagos", ("sabo yaba", "akoka", "onike")),
    "Surulere": ("Lagos", ("ojuelegba", "aguda", "bode thomas")),
    "Ajah": ("Lagos", ("abraham adesanya", "sangotedo", "badore", "lakowe", "awoyaya", "abijo")),
    "Ibeju-Lekki": ("Lagos", ("ibeju lekki", "ibeju")),
    "Apapa": ("Lagos", ("tin can", "ijora")),
    "Maryland": ("Lagos", ("mende",)),
    "Oshodi": ("Lagos", ("ilasamaja", "mafoluku")),
    "Isolo": ("Lagos", ("ejigbo",)),
    "Ikorodu": ("Lagos", ()),
    "Festac": ("Lagos", ("festac town", "amuwo odofin", "amuwo", "mile 2", "satellite town",
                         "trade fair")),
    "Ojo": ("Lagos", ("alaba", "iyana iba")),
    "Agege": ("Lagos", ("abule egba", "iju")),
    "Ogba": ("Lagos", ("omole",)),
    "Ojodu": ("Lagos", ("berger", "ojodu berger", "isheri")),
    "Gbagada": ("Lagos", ("ifako", "oworonshoki", "bariga")),
    "Magodo": ("Lagos", ()),
    "Ketu": ("Lagos", ("mile 12", "ojota")),
    "Ilupeju": ("Lagos", ("palmgrove", "onipanu")),
    "Mushin": ("Lagos", ("idi araba", "papa ajao")),
    "Egbeda": ("Lagos", ("idimu", "ipaja", "akowonjo")),
    "Ikotun": ("Lagos", ("igando",)),
    "Alimosho": ("Lagos", ()),
    "Badagry": ("Lagos", ()),
    "Epe": ("Lagos", ()),
    "Ebute Metta": ("Lagos", ("ebute meta", "oyingbo")),
    "Wuse": ("Abuja", ("wuse 2", "wuse ii", "wuse zone")),
    "Garki": ("Abuja", ("area 1", "area 11")),
    "Maitama": ("Abuja", ()),
    "Asokoro": ("Abuja", ()),
    "Gwarinpa": ("Abuja", ("gwarimpa",)),
    "Jabi": ("Abuja", ()),
    "Utako": ("Abuja", ()),
    "Kubwa": ("Abuja", ()),
    "Lugbe": ("Abuja", ()),
    "Lokogoma": ("Abuja", ()),
    "Apo": ("Abuja", ()),
    "Gwagwalada": ("Abuja", ()),
    "Kuje": ("Abuja", ()),
    "Bwari": ("Abuja", ()),
    "Life Camp": ("Abuja", ()),
    "Katampe": ("Abuja", ()),
    "Mabushi": ("Abuja", ()),
    "Durumi": ("Abuja", ()),
    "Nyanya": ("Abuja", ()),
    "Jahi": ("Abuja", ()),
    "Wuye": ("Abuja", ()),
    "Kado": ("Abuja", ()),
    "Karu": ("Abuja", ()),
    "Galadimawa": ("Abuja", ()),
    "Dutse Alhaji": ("Abuja", ("dutse-alhaji",)),
    "Central Business District": ("Abuja", ("abuja cbd",)),
    "Trans Amadi": ("Port Harcourt", ("trans-amadi", "transamadi")),
    "Rumuokoro": ("Port Harcourt", ()),
    "Rumuola": ("Port Harcourt", ()),
    "Choba": ("Port Harcourt", ()),
    "Woji": ("Port Harcourt", ()),
    "Elelenwo": ("Port Harcourt", ()),
    "Eleme": ("Port Harcourt", ()),
    "Onne": ("Port Harcourt", ()),
    "Oyigbo": ("Port Harcourt", ()),
    "Obio-Akpor": ("Port Harcourt", ("obio akpor", "obio/akpor")),
    "Bodija": ("Ibadan", ()),
}  # fmt: skip

COUNTRY_NAMES: dict[str, str] = {
    "NG": "Nigeria", "GB": "United Kingdom", "US": "United States", "CA": "Canada",
    "GH": "Ghana", "KE": "Kenya", "ZA": "South Africa", "AE": "United Arab Emirates",
    "DE": "Germany", "IE": "Ireland", "RW": "Rwanda", "UG": "Uganda", "EG": "Egypt",
    "QA": "Qatar", "SA": "Saudi Arabia", "NL": "Netherlands", "FR": "France", "BJ": "Benin",
    "NE": "Niger", "TG": "Togo", "CM": "Cameroon", "SN": "Senegal", "CI": "Côte d'Ivoire",
    "AU": "Australia",
}  # fmt: skip

COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "NG": ("nigeria", "naija", "9ja", "nationwide", "federal republic of nigeria"),
    "GB": ("uk", "u.k", "u.k.", "united kingdom", "england", "britain", "great britain",
           "scotland", "wales"),
    "US": ("usa", "u.s.a", "u.s.a.", "united states", "united states of america", "america"),
    "CA": ("canada",),
    "GH": ("ghana",),
    "KE": ("kenya",),
    "ZA": ("south africa", "s.africa"),
    "AE": ("uae", "u.a.e", "united arab emirates", "emirates"),
    "DE": ("germany",),
    "IE": ("ireland",),
    "RW": ("rwanda",),
    "UG": ("uganda",),
    "EG": ("egypt",),
    "QA": ("qatar",),
    "SA": ("saudi arabia", "saudi", "ksa"),
    "NL": ("netherlands", "holland"),
    "FR": ("france",),
    "BJ": ("benin republic", "republic of benin"),
    "NE": ("niger republic", "republic of niger"),
    "TG": ("togo",),
    "CM": ("cameroon",),
    "SN": ("senegal",),
    "CI": ("ivory coast", "cote d'ivoire", "côte d'ivoire"),
}  # fmt: skip

# city -> (country, aliases)
WORLD_CITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "London": ("GB", ()),
    "Manchester": ("GB", ()),
    "Birmingham": ("GB", ()),
    "Leeds": ("GB", ()),
    "Glasgow": ("GB", ()),
    "Edinburgh": ("GB", ()),
    "Nairobi": ("KE", ()),
    "Mombasa": ("KE", ()),
    "Accra": ("GH", ()),
    "Kumasi": ("GH", ()),
    "Tema": ("GH", ()),
    "Johannesburg": ("ZA", ("joburg", "jozi", "jhb", "jo'burg")),
    "Cape Town": ("ZA", ("capetown",)),
    "Pretoria": ("ZA", ()),
    "Durban": ("ZA", ()),
    "Dubai": ("AE", ()),
    "Abu Dhabi": ("AE", ()),
    "Kigali": ("RW", ()),
    "Kampala": ("UG", ()),
    "Cairo": ("EG", ()),
    "Toronto": ("CA", ()),
    "Vancouver": ("CA", ()),
    "Calgary": ("CA", ()),
    "Montreal": ("CA", ()),
    "New York": ("US", ("nyc", "new york city")),
    "Houston": ("US", ()),
    "Atlanta": ("US", ()),
    "Berlin": ("DE", ()),
    "Amsterdam": ("NL", ()),
    "Paris": ("FR", ()),
    "Dublin": ("IE", ()),
    "Doha": ("QA", ()),
    "Riyadh": ("SA", ()),
    "Lome": ("TG", ("lomé",)),
    "Cotonou": ("BJ", ()),
    "Douala": ("CM", ()),
    "Dakar": ("SN", ()),
    "Abidjan": ("CI", ()),
}

# States and provinces abroad that postings name without their country ("Project Manager -
# Indiana"): each is read as its country, so a foreign post is never taken for a Nigerian
# one. Names shared with a country or a common word (Georgia, Washington) are left out.
REGIONS_ABROAD: dict[str, tuple[str, ...]] = {
    "US": (
        "alabama", "arizona", "california", "colorado", "connecticut", "florida", "illinois",
        "indiana", "iowa", "kansas", "kentucky", "louisiana", "maryland", "massachusetts",
        "michigan", "minnesota", "mississippi", "missouri", "nebraska", "nevada",
        "new jersey", "new mexico", "north carolina", "north dakota", "ohio", "oklahoma",
        "oregon", "pennsylvania", "south carolina", "south dakota", "tennessee", "texas",
        "utah", "virginia", "west virginia", "wisconsin",
    ),
    "CA": (
        "ontario", "quebec", "alberta", "british columbia", "manitoba", "saskatchewan",
        "nova scotia", "new brunswick",
    ),
    "ZA": ("gauteng", "western cape", "kwazulu-natal", "kwazulu natal"),
    "AU": ("australia", "new south wales", "queensland"),
}  # fmt: skip

# Phrases that contain a place name but do not say where someone wants to work.
NOT_PLACES: tuple[str, ...] = (
    "niger delta", "university of lagos", "lagos state university", "university of ibadan",
    "university of benin", "university of abuja", "university of nigeria",
    "university of port harcourt", "rivers state university", "university of ilorin",
    "university of jos", "university of calabar", "university of uyo", "delta state university",
    "kano state university", "enugu state university", "bank of nigeria", "central bank of nigeria",
    "nigeria police", "made in nigeria",
)  # fmt: skip


def _state_place(state: str) -> Place:
    # Nobody means the territory apart from its city: "FCT" is Abuja.
    if state == "FCT":
        return Place("Abuja", "FCT")
    return Place(None, state)


def _city_place(city: str) -> Place:
    if city in CITIES:
        return Place(city, CITIES[city][0])
    metro = AREAS[city][0]
    return Place(city, _city_place(metro).state)


def metro_of(place: Place) -> str | None:
    """The big city an area belongs to ("Ikeja" -> "Lagos"), or the city itself."""
    if place.city is None:
        return None
    area = AREAS.get(place.city)
    if area is None:
        return place.city
    return metro_of(Place(area[0], place.state))


def place_within(inner: Place, outer: Place) -> bool:
    """Whether `outer` covers `inner`: itself, its state, its country, or its metro city."""
    if inner == outer:
        return True
    if inner.country != outer.country:
        return False
    if outer.state is None and outer.city is None:
        return True
    if outer.city is None:
        return inner.state == outer.state
    if inner.state != outer.state:
        return False
    # People say "Lagos" for the whole state, so the city named like its state covers it.
    if inner.city is None:
        return outer.city == outer.state
    return metro_of(inner) == outer.city


def _phrases() -> list[tuple[str, Place | None]]:
    phrases: list[tuple[str, Place | None]] = [(phrase, None) for phrase in NOT_PLACES]
    for state in STATES:
        place = _state_place(state)
        phrases.append((f"{state} state", place))
        if state not in CITY_NAMED_LIKE_STATE:
            phrases.append((state, place))
    for state, aliases in STATE_ALIASES.items():
        phrases.extend((alias, _state_place(state)) for alias in aliases)
    for city, (_, aliases) in [*CITIES.items(), *AREAS.items()]:
        place = _city_place(city)
        phrases.extend((alias, place) for alias in (city, *aliases))
    for city, (country, aliases) in WORLD_CITIES.items():
        place = Place(city, None, country)
        phrases.extend((alias, place) for alias in (city, *aliases))
    for country, aliases in COUNTRY_ALIASES.items():
        phrases.extend((alias, Place(None, None, country)) for alias in aliases)
    for country, regions in REGIONS_ABROAD.items():
        phrases.extend((region, Place(None, None, country)) for region in regions)
    return phrases


@lru_cache(maxsize=1)
def _index() -> PhraseIndex[Place]:
    return PhraseIndex(_phrases(), exact_case=[("US", Place(None, None, "US"))])


def find_place_matches(tokens: list[Token]) -> list[tuple[Place, int, int]]:
    """Places in token order as (place, first token, last token + 1), appositions folded.

    "Lekki, Lagos" and "Port Harcourt, Rivers State" name one place: a place directly
    followed by the city or state that contains it keeps only the first.
    """
    found: list[tuple[Place, int, int]] = []
    for match in _index().find(tokens):
        if found:
            previous, _, previous_last = found[-1]
            adjacent = match.first - previous_last <= 1
            if adjacent and previous != match.value and place_within(previous, match.value):
                found[-1] = (previous, found[-1][1], match.last)
                continue
        found.append((match.value, match.first, match.last))
    return found


def find_places(text: str) -> list[Place]:
    """Every place mentioned in `text`, in order of first mention, without duplicates."""
    places: list[Place] = []
    for place, _, _ in find_place_matches(tokenize(text)):
        if place not in places:
            places.append(place)
    return places


def resolve_place(text: str) -> Place | None:
    """The one place a short location string names, or None (e.g. for "Remote").

    Reads job-board locations ("Lekki, LA, NG", "OG, NG", "NG") as well as free text
    ("Lagos State", "Wuse 2 Abuja"). "Nigeria" and "nationwide" are Place(None, None).
    """
    parts = [part.strip() for part in text.split(",") if part.strip()]
    country: str | None = None
    if parts and _is_code(parts[-1]) and (len(parts) > 1 or parts[-1] in COUNTRY_NAMES):
        country = parts.pop()
    state: str | None = None
    if country == "NG" and parts and _is_code(parts[-1]) and parts[-1] in STATE_CODES:
        state = STATE_CODES[parts.pop()]
    places = find_places(", ".join(parts))
    if state is not None:
        in_state = [p for p in places if p.state == state]
        if in_state:
            return _most_specific(in_state)
        if parts and not places:
            return Place(parts[0].title(), state)
        return _state_place(state)
    if places:
        return _most_specific(places)
    if country is not None:
        return Place(None, None, country)
    return None


def _most_specific(places: list[Place]) -> Place:
    for place in places:
        if place.city is not None:
            return place
    for place in places:
        if place.state is not None:
            return place
    return places[0]


def _is_code(part: str) -> bool:
    return len(part) == 2 and part.isalpha() and part.isupper()
