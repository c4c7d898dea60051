"""Deterministic synthetic candidates for benchmarks and tests, drawn from the vocabularies.

The mix leans the way Nigerian job seekers do: many in sales, customer service, admin,
driving and hospitality, most in Lagos and Abuja, a quarter open to remote work, a fifth
with no skills stated. The same seed always gives the same candidates.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal

from aremu.domain.preferences import Arrangement, Money, Preferences
from aremu.domain.vocabulary.places import Place
from aremu.domain.vocabulary.roles import Role, all_roles
from aremu.matching.profile import CandidateProfile, profile_from_preferences

# Relative weight of a family among job seekers; unlisted families weigh 1.
FAMILY_WEIGHTS: dict[str, float] = {
    "sales": 14, "customer_service": 7, "admin": 7, "marketing": 6, "finance": 6,
    "logistics": 6, "hospitality": 5, "software": 5, "hr": 4, "education": 4, "health": 4,
    "business_development": 3, "banking": 3, "front_office": 3, "engineering": 3,
    "creative": 3, "retail": 3, "security": 2, "operations": 2, "data": 2, "it": 2,
    "technical": 2, "manufacturing": 2, "procurement": 1.5, "writing": 1.5,
}  # fmt: skip

FAMILY_SKILLS: dict[str, tuple[str, ...]] = {
    "sales": ("Sales", "B2B sales", "Direct sales", "Lead generation", "Negotiation",
              "Customer relationship management", "Sales reporting", "Product knowledge",
              "Upselling", "Retail sales", "Telesales", "Account management"),
    "customer_service": ("Customer service", "Complaint handling", "Telephone etiquette",
                         "CRM software", "Customer relationship management"),
    "admin": ("Office administration", "Data entry", "Record keeping", "Scheduling",
              "Microsoft Office", "Typing", "Front desk"),
    "front_office": ("Front desk", "Telephone etiquette", "Customer service", "Scheduling"),
    "marketing": ("Marketing", "Digital marketing", "Social media management", "SEO",
                  "Content creation", "Brand management", "Email marketing",
                  "Market research", "Copywriting"),
    "finance": ("Accounting", "Bookkeeping", "Financial reporting", "Reconciliation",
                "Taxation", "Payroll", "Auditing", "Accounting software", "ICAN/ACCA",
                "Financial analysis", "Microsoft Excel"),
    "banking": ("Banking operations", "Credit analysis", "Loan recovery", "Compliance",
                "Cash handling", "Customer relationship management"),
    "logistics": ("Driving", "Navigation", "Logistics", "Fleet management",
                  "Warehouse management", "Inventory management", "Supply chain management"),
    "hospitality": ("Food preparation", "Food safety", "Hygiene", "Hospitality",
                    "Food and beverage service", "Baking", "Cleaning", "Bartending"),
    "software": ("Python", "JavaScript", "TypeScript", "React", "Node.js", "SQL", "Git",
                 "REST APIs", "Java", "PHP", "Docker", "AWS", "Flutter", "HTML/CSS"),
    "data": ("SQL", "Python", "Data analysis", "Power BI", "Tableau", "Statistics",
             "Data visualisation", "Microsoft Excel", "Machine learning"),
    "it": ("IT support", "Networking", "Linux", "Cybersecurity", "Cloud computing"),
    "hr": ("Recruitment", "Human resources management", "Performance management",
           "Labour law", "CIPM", "Payroll"),
    "education": ("Teaching", "Classroom management", "Student assessment",
                  "Curriculum development", "Mathematics", "Tutoring"),
    "health": ("Patient care", "Nursing", "First aid", "Pharmacy", "Laboratory skills",
               "Public health", "Medical diagnosis"),
    "engineering": ("CAD", "Civil engineering", "Mechanical maintenance",
                    "Electrical installation", "Project management", "Health and safety"),
    "technical": ("Electrical installation", "Installation", "Mechanical maintenance",
                  "Equipment operation"),
    "creative": ("Graphic design", "Adobe Creative Suite", "Video editing", "Photography",
                 "UI/UX design", "Motion graphics"),
    "retail": ("Cash handling", "Retail sales", "Inventory management", "Customer service"),
    "security": ("Security operations", "Vigilance", "First aid"),
    "business_development": ("Business development", "Lead generation", "Partnerships",
                             "B2B sales", "Negotiation", "Strategy"),
    "procurement": ("Procurement", "Contract management", "Supply chain management",
                    "Negotiation"),
    "operations": ("Operations management", "Project management", "Budgeting"),
    "manufacturing": ("Quality control", "Manufacturing", "Equipment operation",
                      "Health and safety"),
    "writing": ("Content writing", "Copywriting", "Writing", "SEO"),
}  # fmt: skip
GENERIC = ("Communication", "Teamwork", "Microsoft Excel", "Time management", "Leadership")

# (place, weight): cities, a few areas of Lagos and Abuja, and whole states.
PLACES: tuple[tuple[Place, float], ...] = (
    (Place("Lagos", "Lagos"), 30), (Place("Ikeja", "Lagos"), 3), (Place("Lekki", "Lagos"), 3),
    (Place("Yaba", "Lagos"), 1), (Place("Surulere", "Lagos"), 1), (Place("Ikorodu", "Lagos"), 1),
    (Place("Abuja", "FCT"), 13), (Place("Gwarinpa", "FCT"), 1),
    (Place("Port Harcourt", "Rivers"), 7), (Place("Ibadan", "Oyo"), 5),
    (Place("Kano", "Kano"), 3), (Place("Enugu", "Enugu"), 3), (Place("Benin City", "Edo"), 3),
    (Place("Abeokuta", "Ogun"), 2), (Place("Uyo", "Akwa Ibom"), 2),
    (Place("Kaduna", "Kaduna"), 2), (Place("Jos", "Plateau"), 1.5),
    (Place("Owerri", "Imo"), 1.5), (Place("Warri", "Delta"), 1.5), (Place("Asaba", "Delta"), 1),
    (Place("Ilorin", "Kwara"), 1), (Place("Calabar", "Cross River"), 1),
    (Place(None, "Ogun"), 2), (Place(None, "Oyo"), 1), (Place(None, "Rivers"), 1),
    (Place("London", None, "GB"), 0.5),
)  # fmt: skip

# Years of experience bands: (low, high, weight); and monthly Naira pay for each band.
YEARS: tuple[tuple[float, float, float], ...] = (
    (0, 0, 12), (0.5, 2, 25), (2, 5, 33), (5, 9, 20), (9, 20, 10),
)  # fmt: skip
PAY_BY_BAND: tuple[tuple[int, int], ...] = (
    (50_000, 150_000), (80_000, 300_000), (150_000, 600_000), (350_000, 1_200_000),
    (700_000, 3_000_000),
)  # fmt: skip


def synthetic_preferences(count: int, seed: int = 7) -> Iterator[tuple[str, Preferences]]:
    """`count` (candidate id, preferences) pairs, the same for the same seed."""
    rng = random.Random(seed)
    roles_by_family: dict[str, list[Role]] = {}
    for role in all_roles():
        roles_by_family.setdefault(role.family, []).append(role)
    families = sorted(roles_by_family)
    family_weights = [FAMILY_WEIGHTS.get(family, 1.0) for family in families]
    places = [place for place, _ in PLACES]
    place_weights = [weight for _, weight in PLACES]
    for number in range(count):
        family = rng.choices(families, family_weights)[0]
        roles = rng.sample(
            roles_by_family[family], k=min(len(roles_by_family[family]), 1 + (rng.random() < 0.35))
        )
        if rng.random() < 0.1:
            other = rng.choices(families, family_weights)[0]
            roles.append(rng.choice(roles_by_family[other]))
        yield f"cand-{number:06d}", _preferences(rng, family, roles, places, place_weights)


def _preferences(
    rng: random.Random,
    family: str,
    roles: list[Role],
    places: list[Place],
    place_weights: list[float],
) -> Preferences:
    band = rng.choices(range(len(YEARS)), [weight for _, _, weight in YEARS])[0]
    low, high, _ = YEARS[band]
    years = round(rng.uniform(low, high) * 2) / 2
    locations = [rng.choices(places, place_weights)[0]]
    if rng.random() < 0.2:
        second = rng.choices(places, place_weights)[0]
        if second != locations[0]:
            locations.append(second)
    arrangement = rng.choices(
        [Arrangement.ONSITE, Arrangement.HYBRID, Arrangement.REMOTE, Arrangement.ANY, None],
        [45, 15, 8, 22, 10],
    )[0]
    pay = None
    if rng.random() < 0.85:
        pay_low, pay_high = PAY_BY_BAND[band]
        amount = Decimal(round(rng.uniform(pay_low, pay_high), -4))
        pay = Money(amount=amount, currency="NGN", period="month")
        if rng.random() < 0.03:
            pay = Money(amount=Decimal(round(amount / 1500, -1) or 100), currency="USD")
    skills: list[str] = []
    if rng.random() >= 0.2:
        pool = FAMILY_SKILLS.get(family, GENERIC)
        skills = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
        skills += rng.sample(GENERIC, k=rng.randint(0, 2))
    return Preferences(
        roles=roles,
        locations=locations,
        anywhere_in_nigeria=rng.random() < 0.12,
        open_to_remote=arrangement in (Arrangement.REMOTE, Arrangement.ANY) or rng.random() < 0.1,
        willing_to_relocate=rng.random() < 0.15,
        years_experience=years,
        min_pay=pay,
        pay_negotiable=pay is None,
        arrangement=arrangement,
        skills=list(dict.fromkeys(skills)),
    )


def synthetic_profiles(count: int, seed: int = 7) -> list[CandidateProfile]:
    """`count` synthetic candidates as matcher profiles."""
    return [
        profile_from_preferences(candidate_id, preferences, updated_at=1.0)
        for candidate_id, preferences in synthetic_preferences(count, seed)
    ]
