"""Job functions and industries, and how the offline enhancer reads them from a posting.

A function comes from the title first (ordered rules: the first that matches wins, so the
specific ones come before "Management"), else from the skills the description names.
An industry comes from what the employer is (company name, JobSpy's industry, the
company blurb) weighted above what the description merely mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from aremu.jobs.keywords import PhraseFinder

_I = re.IGNORECASE

FUNCTION_TITLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, _I))
    for name, pattern in (
        (
            "Software Engineering",
            r"develop(?:er|ment engineer)|programmer|software|full[\s-]?stack|front[\s-]?end|"
            r"back[\s-]?end|\.net\b|\bmern\b|devops|\bqa\b|quality assurance \(qa\)|tester|"
            r"\bai\b|automation|solution architect",
        ),
        ("Data & Analytics", r"\bdata\b|analytics|\bbi\b|business intelligence|statistician"),
        (
            "Healthcare",
            r"doctor|nurs(?:e|ing)|physician|pharmac|medical|clinical|dermatolog|laborator|"
            r"health|dental|ophthalm|optometr|caregiver|midwi",
        ),
        (
            "Education & Training",
            r"teacher|tutor|lecturer|instructor|facilitator|academic|curriculum|school|"
            r"education|trainer|\bmaths?\b",
        ),
        ("Legal", r"lawyer|legal|counsel|solicitor|paralegal|attorney"),
        ("Security", r"security guard|guards?\b|executive protection|bouncer"),
        ("Driving & Transport", r"driver|chauffeur|dispatch rider|rider\b"),
        (
            "Finance & Accounting",
            r"account(?:s|ant|ing)\b|account officer|financ|audit|\btax\b|treasury|credit|"
            r"\bloans?\b|collections|\bcfo\b|controller|cashier|payroll|\bdebt|equity|"
            r"settlements|bursar|actuar",
        ),
        (
            "Customer Service",
            r"customer|client (?:service|support)|call cent|front desk|reception|front office|"
            r"help ?desk|liaison",
        ),
        (
            "Sales",
            r"sales|business development|business growth|account (?:executive|manager)|"
            r"relationship manager|\bdsa\b|appointment setter|vendeur|commercial|representante|"
            r"business associate|promoter|partnerships",
        ),
        (
            "Marketing & Communications",
            r"marketing|marketer|brand|communications?\b|social media|\bseo\b|content|growth|"
            r"public relations|\bpr\b|copy ?writer|youtube|crm copy",
        ),
        (
            "Human Resources & Recruitment",
            r"\bhr\b|human resources|recruit|talent|headhunt|people (?:operations|partner)|"
            r"personnel|outsourcing",
        ),
        ("Product Management", r"product (?:manager|owner|support)"),
        (
            "IT & Support",
            r"\bit\b(?: officer| support|/)|\bict\b|network|cyber|information security|"
            r"system administrator|technical support",
        ),
        ("Procurement & Supply Chain", r"procurement|purchas|supply|sourcing|buyer|import"),
        (
            "Operations & Logistics",
            r"operations|logistic|fleet|dispatch|warehouse|store ?keeper|inventory|"
            r"distribution|transport|station manager",
        ),
        (
            "Hospitality & Food Service",
            r"chef|cook\b|kitchen|waiter|waitress|\bbar\b|mixolog|restaurant|hotel|housekeep|"
            r"baker|catering|outlet manager|shift manager|duty manager",
        ),
        (
            "Creative & Design",
            r"design|graphic|creative|video|videograph|photograph|motion|animat|cad\b",
        ),
        (
            "Engineering & Technical",
            r"engineer|technician|foreman|operator|installer|mechanic|electrician|"
            r"\binstallation\b|maintenance|fitter|welder",
        ),
        ("Cleaning & Facilities", r"clean|janitor|facility|porter"),
        ("Domestic & Care", r"nanny|house ?(?:assistant|keeper|help)|domestic"),
        (
            "Research & Science",
            r"research|scientist|microbiolog|hydrolog|economist|chemist|biolog",
        ),
        ("Beauty & Fashion", r"hair|beaut|salon|make-?up|fashion|tailor|patter?n maker"),
        ("Agriculture", r"farm|agric|livestock|poultry|agronom"),
        ("Real Estate & Construction", r"real estate|estate|property|construction|surveyor"),
        ("Manufacturing & Production", r"production|plant manager|factory|quality|manufactur"),
        ("Translation & Languages", r"translat|interpret"),
        (
            "Administration & Office Support",
            r"admin|office|secretar|personal assistant|executive assistant|clerk|data entry|"
            r"documentation|assistant",
        ),
        (
            "Project & Programme Management",
            r"project|program|programme|\bm&e\b|monitoring|coordinator",
        ),
        (
            "Management & Strategy",
            r"director|chief|head\b|head of|general manager|\bceo\b|\bcoo\b|manager|"
            r"managing|strategy|lead\b|superintendent",
        ),
    )
)

# What each vocabulary skill says about the work, for titles no rule reads ("Intern").
SKILL_FUNCTION: dict[str, str] = {
    "Sales": "Sales",
    "B2B sales": "Sales",
    "Direct sales": "Sales",
    "Retail sales": "Sales",
    "Telesales": "Sales",
    "Lead generation": "Sales",
    "Business development": "Sales",
    "Upselling": "Sales",
    "Customer service": "Customer Service",
    "Complaint handling": "Customer Service",
    "Front desk": "Customer Service",
    "Telephone etiquette": "Customer Service",
    "Marketing": "Marketing & Communications",
    "Digital marketing": "Marketing & Communications",
    "Social media management": "Marketing & Communications",
    "Content creation": "Marketing & Communications",
    "Copywriting": "Marketing & Communications",
    "SEO": "Marketing & Communications",
    "SEM": "Marketing & Communications",
    "Brand management": "Marketing & Communications",
    "Public relations": "Marketing & Communications",
    "Python": "Software Engineering",
    "JavaScript": "Software Engineering",
    "React": "Software Engineering",
    "Node.js": "Software Engineering",
    "Software development": "Software Engineering",
    "Software testing": "Software Engineering",
    "Data analysis": "Data & Analytics",
    "Data visualisation": "Data & Analytics",
    "Power BI": "Data & Analytics",
    "Statistics": "Data & Analytics",
    "Machine learning": "Data & Analytics",
    "Accounting": "Finance & Accounting",
    "Bookkeeping": "Finance & Accounting",
    "Financial reporting": "Finance & Accounting",
    "Reconciliation": "Finance & Accounting",
    "Taxation": "Finance & Accounting",
    "Auditing": "Finance & Accounting",
    "Accounts payable/receivable": "Finance & Accounting",
    "Recruitment": "Human Resources & Recruitment",
    "Human resources management": "Human Resources & Recruitment",
    "Payroll": "Human Resources & Recruitment",
    "Office administration": "Administration & Office Support",
    "Record keeping": "Administration & Office Support",
    "Scheduling": "Administration & Office Support",
    "Data entry": "Administration & Office Support",
    "Logistics": "Operations & Logistics",
    "Inventory management": "Operations & Logistics",
    "Warehouse management": "Operations & Logistics",
    "Procurement": "Procurement & Supply Chain",
    "Supply chain management": "Procurement & Supply Chain",
    "Teaching": "Education & Training",
    "Curriculum development": "Education & Training",
    "Patient care": "Healthcare",
    "Nursing": "Healthcare",
    "Pharmacy": "Healthcare",
    "Food preparation": "Hospitality & Food Service",
    "Hospitality": "Hospitality & Food Service",
    "Graphic design": "Creative & Design",
    "Video editing": "Creative & Design",
    "Videography": "Creative & Design",
    "Security operations": "Security",
    "Driving": "Driving & Transport",
    "Cleaning": "Cleaning & Facilities",
    "Project management": "Project & Programme Management",
    "Monitoring and evaluation": "Project & Programme Management",
    "Legal research": "Legal",
    "Legal advisory": "Legal",
}

# Each industry with the words that name it; "word*" is a prefix.
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "Fintech": (
        "fintech", "payment solutions", "payment company", "payment platform", "digital bank",
        "payments company", "moniepoint", "paystack", "flutterwave", "opay", "palmpay", "kuda",
        "mobile money", "e-wallet", "ewallet",
    ),
    "Banking & Financial Services": (
        "bank", "banks", "banking", "microfinance", "financial services", "pension", "pensions",
        "asset management", "stockbroking", "stockbroker", "capital market", "capital markets",
        "lending", "mortgage", "wealth management",
    ),
    "Insurance": ("insurance", "insurtech", "underwriting", "underwriter", "assurance company"),
    "Oil & Gas": (
        "oil and gas", "oil & gas", "petroleum", "upstream", "downstream", "oilfield", "lng",
        "refinery",
    ),
    "Energy & Power": (
        "renewable", "renewables", "solar", "energy", "power plant", "power sector",
        "power generation", "electricity", "inverter", "inverters",
    ),
    "Telecommunications": (
        "telecom", "telecoms", "telecommunication", "telecommunications", "fiber optic",
        "fibre optic", "isp", "broadband", "mtn", "airtel",
    ),
    "Information Technology & Software": (
        "saas", "software company", "software solutions", "software house", "tech company",
        "technology company", "technology firm", "tech startup", "it services", "it solutions",
        "digital solutions",
    ),
    "FMCG & Consumer Goods": (
        "fmcg", "consumer goods", "beverage", "beverages", "pepsico", "reckitt", "nestle",
        "nestlé", "unilever", "cadbury", "brewery", "breweries",
    ),
    "Manufacturing": ("manufactur*", "factory", "factories", "industrial", "foundry"),
    "Healthcare & Pharmaceuticals": (
        "hospital", "hospitals", "clinic", "clinics", "healthcare", "health care", "pharma*",
        "medical centre", "medical center", "diagnostic*",
    ),
    "Education": (
        "school", "schools", "university", "college", "academy", "education", "educational",
        "edtech", "e-learning", "elearning",
    ),
    "Hospitality & Tourism": (
        "hotel", "hotels", "resort", "hospitality", "tourism", "travel agency", "lounge",
    ),
    "Food & Beverage": (
        "restaurant", "restaurants", "catering", "bakery", "cafe", "fast food", "qsr", "cakes",
        "food company", "food brand", "food processing",
    ),
    "Retail & E-commerce": (
        "retail", "e-commerce", "ecommerce", "supermarket", "online store", "marketplace", "mall",
    ),
    "Real Estate & Construction": (
        "real estate", "property development", "property management", "construction",
        "estate agency", "architect*", "building materials",
    ),
    "Logistics & Transportation": (
        "logistics", "haulage", "shipping", "courier", "ride hailing", "mobility", "freight",
        "transport company",
    ),
    "Agriculture": ("agric*", "agro*", "farm", "farms", "farming", "livestock", "poultry"),
    "Media & Entertainment": (
        "media", "entertainment", "film", "films", "music", "broadcast*", "tv", "radio",
        "publishing", "reality show",
    ),
    "Fashion & Beauty": (
        "fashion", "beauty", "cosmetics", "salon", "apparel", "clothing", "skincare",
    ),
    "Legal Services": ("law firm", "legal services", "solicitors", "barristers", "chambers"),
    "Consulting & Professional Services": (
        "consulting", "consultancy", "advisory firm", "professional services", "audit firm",
    ),
    "Recruitment & HR Services": (
        "recruitment agency", "recruitment firm", "recruitment company", "staffing",
        "outsourcing", "hr consulting", "hr solutions", "hr services", "manpower",
        "talent solutions",
    ),
    "Non-profit & Development": (
        "ngo", "ngos", "non-profit", "nonprofit", "foundation", "humanitarian", "charity",
        "unicef", "undp", "usaid", "peace and development", "development partner",
        "development partners",
    ),
    "Government & Public Sector": (
        "government", "ministry", "federal university", "federal agency", "public sector",
        "parastatal",
    ),
    "Automotive": ("automotive", "motors", "car dealer", "auto parts", "vehicle sales"),
    "Security Services": (
        "security company", "security services", "security firm", "security industry",
        "guarding",
    ),
    "Marketing & Advertising": (
        "advertising", "marketing agency", "digital agency", "creative agency", "pr agency",
        "media agency",
    ),
}  # fmt: skip
_INDUSTRY_ORDER = {name: position for position, name in enumerate(INDUSTRIES)}
_INDUSTRY_FINDER = PhraseFinder(
    (phrase, name) for name, phrases in INDUSTRIES.items() for phrase in phrases
)

# When nothing names the employer's trade, the work itself often does.
FUNCTION_INDUSTRY: dict[str, str] = {
    "Healthcare": "Healthcare & Pharmaceuticals",
    "Education & Training": "Education",
    "Hospitality & Food Service": "Hospitality & Tourism",
    "Legal": "Legal Services",
    "Security": "Security Services",
    "Software Engineering": "Information Technology & Software",
    "Agriculture": "Agriculture",
    "Beauty & Fashion": "Fashion & Beauty",
    "Real Estate & Construction": "Real Estate & Construction",
    "Manufacturing & Production": "Manufacturing",
}


def function_from_title(title: str) -> str | None:
    for name, pattern in FUNCTION_TITLE_RULES:
        if pattern.search(title):
            return name
    return None


def function_from_skills(skills: Iterable[str]) -> str | None:
    votes = Counter(SKILL_FUNCTION[skill] for skill in skills if skill in SKILL_FUNCTION)
    if not votes:
        return None
    (name, _count), *_rest = votes.most_common(1)
    return name


def industry_of(
    employer_text: str, description: str, job_function: str | None = None
) -> str | None:
    """Employer facts weigh five times a mention in the description; ties go to list order."""
    scores: Counter[str] = Counter()
    for name in {name for name, _ in _INDUSTRY_FINDER.find_all(employer_text)}:
        scores[name] += 5
    mentions = Counter(name for name, _ in _INDUSTRY_FINDER.find_all(description))
    for name, count in mentions.items():
        scores[name] += min(count, 3)
    if scores:
        return min(scores, key=lambda name: (-scores[name], _INDUSTRY_ORDER[name]))
    return FUNCTION_INDUSTRY.get(job_function or "")
