"""Skill names as candidates type them, folded to one spelling ("ms excel" -> "Excel").

Deliberately small: candidates name a handful of tools and abilities. Anything not listed
is kept in the candidate's own words; the matcher compares skills by meaning with the
job-side skills vocabulary (`aremu.jobs.skills`), not through this table.
"""

from __future__ import annotations

import re

# canonical name -> other spellings (lowercase)
SKILL_NAMES: dict[str, tuple[str, ...]] = {
    "Excel": (
        "excel",
        "ms excel",
        "microsoft excel",
        "advanced excel",
        "excel sheet",
        "spreadsheets",
    ),
    "Microsoft Word": ("ms word", "word", "microsoft word"),
    "PowerPoint": ("powerpoint", "power point", "ms powerpoint"),
    "Microsoft Office": ("ms office", "microsoft office", "office suite", "microsoft office suite"),
    "Google Sheets": ("google sheets", "gsheets"),
    "SQL": ("sql", "mysql", "postgresql", "postgres", "sql server", "t-sql"),
    "Python": ("python", "python3"),
    "R": ("r", "r programming", "rstudio"),
    "Power BI": ("power bi", "powerbi", "power-bi"),
    "Tableau": ("tableau",),
    "Looker Studio": ("looker studio", "google data studio", "data studio"),
    "JavaScript": ("javascript", "js", "java script"),
    "TypeScript": ("typescript",),
    "React": ("react", "reactjs", "react.js"),
    "React Native": ("react native",),
    "Next.js": ("next.js", "nextjs", "next js"),
    "Node.js": ("node.js", "nodejs", "node js", "node"),
    "Express": ("express", "express.js", "expressjs"),
    "Vue.js": ("vue", "vue.js", "vuejs"),
    "Angular": ("angular", "angularjs"),
    "HTML": ("html", "html5"),
    "CSS": ("css", "css3"),
    "Tailwind CSS": ("tailwind", "tailwindcss", "tailwind css"),
    "Java": ("java",),
    "Spring Boot": ("spring boot", "springboot", "spring"),
    "Kotlin": ("kotlin",),
    "Swift": ("swift",),
    "Flutter": ("flutter",),
    "Dart": ("dart",),
    "PHP": ("php",),
    "Laravel": ("laravel",),
    "WordPress": ("wordpress", "word press"),
    "Django": ("django",),
    "Flask": ("flask",),
    "FastAPI": ("fastapi", "fast api"),
    "C#": ("c#", "csharp", "c sharp"),
    ".NET": (".net", "dotnet", "asp.net"),
    "C++": ("c++", "cpp"),
    "Go": ("golang", "go lang"),
    "MongoDB": ("mongodb", "mongo", "mongo db"),
    "Firebase": ("firebase",),
    "Git": ("git", "github", "gitlab"),
    "Docker": ("docker",),
    "Kubernetes": ("kubernetes", "k8s"),
    "Terraform": ("terraform",),
    "AWS": ("aws", "amazon web services"),
    "Azure": ("azure", "microsoft azure"),
    "Google Cloud": ("gcp", "google cloud"),
    "Linux": ("linux",),
    "CI/CD": ("ci/cd", "cicd", "ci cd"),
    "Selenium": ("selenium",),
    "Cypress": ("cypress",),
    "Postman": ("postman",),
    "Jira": ("jira",),
    "Figma": ("figma",),
    "Adobe XD": ("adobe xd", "xd"),
    "Photoshop": ("photoshop", "adobe photoshop"),
    "Illustrator": ("illustrator", "adobe illustrator"),
    "InDesign": ("indesign", "adobe indesign"),
    "Premiere Pro": ("premiere pro", "adobe premiere", "premiere", "adobe premiere pro"),
    "After Effects": ("after effects", "adobe after effects"),
    "CapCut": ("capcut", "cap cut"),
    "Canva": ("canva",),
    "CorelDRAW": ("coreldraw", "corel draw", "corel"),
    "AutoCAD": ("autocad", "auto cad"),
    "Revit": ("revit",),
    "SolidWorks": ("solidworks", "solid works"),
    "QuickBooks": ("quickbooks", "quick books", "qb"),
    "Sage": ("sage", "sage 50", "peachtree"),
    "Tally": ("tally", "tally erp"),
    "SAP": ("sap",),
    "Salesforce": ("salesforce",),
    "HubSpot": ("hubspot",),
    "Zoho": ("zoho", "zoho crm"),
    "Google Ads": ("google ads", "adwords"),
    "Meta Ads": ("meta ads", "facebook ads", "fb ads", "instagram ads"),
    "SEO": ("seo", "search engine optimisation", "search engine optimization"),
    "Email marketing": ("email marketing", "mailchimp"),
    "Copywriting": ("copywriting", "copy writing"),
    "Customer service": ("customer service", "customer care", "customer support"),
    "Communication": ("communication", "communication skills", "good communication"),
    "Sales": ("sales", "selling"),
    "Negotiation": ("negotiation", "negotiation skills"),
    "Data entry": ("data entry",),
    "Data analysis": ("data analysis", "data analytics"),
    "Machine learning": ("machine learning", "ml"),
    "Bookkeeping": ("bookkeeping", "book keeping"),
    "Project management": ("project management",),
    "Typing": ("typing", "fast typing"),
    "Driving": ("driving",),
}

_BY_SPELLING: dict[str, str] = {
    spelling: name
    for name, spellings in SKILL_NAMES.items()
    for spelling in (name.casefold(), *spellings)
}
_LEVEL_WORDS = re.compile(
    r"^(?:(?:basic|advanced|intermediate|good|strong|excellent|very good|solid|some|fluent)\s+)+"
    r"|\s+(?:skills?|knowledge|proficiency|certified)$",
    re.IGNORECASE,
)


def is_known_skill(raw: str) -> bool:
    return _fold(raw) in _BY_SPELLING


def canonical_skill(raw: str) -> str:
    """One spelling per known skill; any other skill in the candidate's words, tidied."""
    folded = _fold(raw)
    if folded in _BY_SPELLING:
        return _BY_SPELLING[folded]
    words = _LEVEL_WORDS.sub("", " ".join(raw.split()).strip(" .,;:-"))
    return words[:1].upper() + words[1:] if words.islower() else words


def _fold(raw: str) -> str:
    folded = " ".join(raw.casefold().split()).strip(" .,;:-")
    return _LEVEL_WORDS.sub("", folded)
