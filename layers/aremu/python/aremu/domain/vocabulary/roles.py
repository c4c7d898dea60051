"""Canonical job titles in families, with the words Nigerian job seekers and postings use.

One vocabulary for three readers: the preference extractor (what a candidate wants), job
enhancement (what a posting is), and the matcher (titles score by exact title, then by
family). Seniority is not part of a title: "Senior Python Developer" is a Python
Developer at senior level (`seniority_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aremu.domain.vocabulary.phrases import PhraseIndex, phrase_key, plural


@dataclass(frozen=True)
class Role:
    title: str
    family: str


# One role a line: family | canonical title | aliases, comma-separated (indented lines
# continue the one above; "#" starts a comment). The title itself is always an alias, and
# each alias also matches with its last word in the plural ("sales reps", "nurses").
_TABLE = """
# Sales
sales | Sales Representative | sales rep, salesperson, sales person, sales agent, sales girl,
    sales boy, sales staff, sales associate, sales, sales job, field sales, field marketer,
    sales and marketing rep, sales man, salesman, saleswoman, sales lady, dsa, direct sales
    agent, direct sales representative
sales | Sales Executive | sales exec, sales executive officer
sales | Sales Officer
sales | Sales Supervisor | sales team lead
sales | Sales Manager | head of sales, sales and marketing manager, sales head, sales director,
    director of sales
sales | Area Sales Manager | asm, regional sales manager, territory manager, territory sales
    manager
sales | Telesales Agent | telesales, telemarketer, telemarketing, telesales executive, inside
    sales, telesales officer, telesales rep, appointment setter, cold caller
sales | Medical Sales Representative | medical rep, medical sales rep, medical representative,
    pharma rep, pharmaceutical sales rep, pharmaceutical sales representative
sales | Account Executive
sales | Key Account Manager | kam, account manager, key accounts manager
sales | Van Sales Representative | van sales, van sales rep
sales | Merchandiser | merchandising, trade merchandiser, merchandizer
sales | Brand Ambassador | promoter, promo girl, brand promoter
real_estate | Real Estate Agent | realtor, property agent, estate agent, real estate consultant,
    real estate marketer, real estate sales, real estate
real_estate | Estate Surveyor | estate valuer, property valuer, estate surveyor and valuer
# Customer service
customer_service | Customer Service Representative | customer service, customer services,
    customer service rep, customer service officer, customer service executive, customer service
    agent, customer service personnel, customer care, customer care officer, customer care rep,
    customer care representative, customer care agent, customer care executive, customer
    support, customer support representative, customer support agent, customer support officer,
    csr, client service officer, client services officer, customer experience, customer
    experience officer, customer experience associate, cx associate, customer relations officer,
    client support, client support representative, client service, client services
customer_service | Call Centre Agent | call center agent, call centre, call center, contact
    center agent, contact centre agent, call agent, call center rep, call centre rep
customer_service | Customer Success Manager | customer success, csm, customer success executive,
    customer success associate
customer_service | Customer Service Manager | customer care manager, head of customer service
# Front office
front_office | Receptionist | front desk, front desk officer, front desk agent, front desk
    executive, front desk receptionist, front desk staff, front desk personnel, front office,
    front office executive, front office agent, front office assistant, hotel receptionist,
    reception, front desk job
front_office | Guest Relations Officer | guest relations, gro, guest service agent, hostess,
    host
front_office | Front Office Manager | front desk manager
# Admin
admin | Administrative Officer | admin officer, admin, administration, admin staff, admin
    executive, administrative executive, office administrator, admin personnel, admin job, admin
    and hr officer, admin/hr officer
admin | Administrative Assistant | admin assistant, administrative assistant, clerical officer,
    clerk, office clerk, clerical assistant
admin | Office Assistant | office attendant, office helper, office messenger, messenger
admin | Office Manager
admin | Secretary | office secretary, school secretary, secretarial
admin | Personal Assistant | executive assistant, personal assistant to the md, pa to the md, pa
    to the ceo, personal secretary
admin | Data Entry Clerk | data entry, data entry officer, data entry operator, typist
admin | Virtual Assistant | va, remote assistant, online assistant
# Finance and accounting
finance | Accountant | accounting, accounts officer, accounting officer, chartered accountant,
    accounts personnel, accounts job, accounting job, accountant officer, account officer
    accounting, senior accountant, accounts coordinator
finance | Accounts Assistant | accounting assistant, account assistant, accounts clerk, accounts
    intern, assistant accountant, account clerk, accounting clerk
finance | Bookkeeper | book keeper, bookkeeping, book keeping
finance | Financial Analyst | finance analyst, fp&a analyst, financial planning analyst
finance | Finance Officer | finance, finance executive, finance associate, finance staff
finance | Finance Manager | financial manager, head of finance, financial controller, finance
    controller, head of accounts, accounts manager, chief accountant
finance | Treasury Officer | treasury analyst, treasury manager, treasury, treasury associate
finance | Financial Adviser | financial advisor, wealth manager, wealth management advisor,
    investment adviser, investment advisor, wealth advisor
finance | Chief Financial Officer | cfo, finance director, director of finance
finance | Auditor | internal auditor, audit, audit associate, external auditor, audit officer,
    audit trainee, auditing, internal control officer, internal control, internal controls
    officer
finance | Tax Consultant | tax officer, tax analyst, tax associate, tax accountant, tax manager
finance | Payroll Officer | payroll, payroll administrator, payroll specialist, payroll
    accountant
finance | Investment Analyst | investment banker, equity analyst, investment associate
finance | Risk Analyst | risk officer, risk manager, risk management officer, credit risk
    analyst
finance | Economist
finance | Actuarial Analyst | actuary, actuarial
finance | Stockbroker | stock broker, equity sales trader, equities sales trader, equity trader,
    equities trader, securities trader, securities dealer, fixed income trader
# Banking
banking | Relationship Manager | relationship officer, account officer, business relationship
    manager, banker, relationship management officer, bank marketer
banking | Bank Teller | teller, bank cashier, cash officer
banking | Credit Analyst | credit officer, credit analysis
banking | Loan Officer | loan agent, loans officer, microfinance officer, loan sales
banking | Collections Officer | debt recovery officer, recovery officer, collection agent,
    collections agent, debt collector, loan recovery officer, recoveries, recoveries officer,
    recoveries manager
banking | Compliance Officer | compliance analyst, aml analyst, kyc analyst, kyc officer, aml
    officer
banking | Banking Operations Officer | bank operations officer, banking operations
# Insurance
insurance | Insurance Agent | insurance sales, insurance broker, insurance marketer
insurance | Underwriter | underwriting, insurance underwriter
insurance | Claims Officer | claims adjuster, claims analyst
# HR
hr | HR Officer | hr officer, human resources, human resource, human resource officer, human
    resources officer, hr executive, hr generalist, hr personnel, hr job, hr jobs, hr role, hr
    roles, hr position, in hr, people advisor, people partner, people operations, personnel
    officer, people & culture, people and culture
hr | HR Assistant | human resources assistant, human resource assistant, hr intern, personnel
    assistant
hr | HR Manager | human resources manager, human resource manager, head of hr, hr business
    partner, hrbp, people operations manager, people manager, head of people, people & culture
    manager, people and culture manager, head of people & culture, head of people and culture
hr | Recruiter | recruitment officer, talent acquisition, talent acquisition specialist,
    recruitment consultant, recruitment executive, headhunter, talent sourcer, recruitment,
    recruiting, talent acquisition officer, hr recruiter
hr | Learning and Development Officer | l&d officer, learning and development, training officer,
    corporate trainer, l&d specialist, training instructor, learning and development partner,
    trainer
# Marketing
marketing | Marketing Executive | marketing officer, marketing, marketer, marketing associate,
    marketing coordinator, marketing assistant, marketing job, marketing staff
marketing | Marketing Manager | head of marketing, marketing lead, chief marketing officer, cmo
marketing | Brand Manager | brand executive, brand officer, brand activation, trade marketing
marketing | Digital Marketer | digital marketing, digital marketing executive, digital marketing
    specialist, digital marketing officer, digital marketing manager, online marketer,
    performance marketer, growth marketer, digital marketer officer, media buyer, digital media,
    digital media executive, growth specialist, growth marketing
marketing | E-commerce Executive | e-commerce manager, ecommerce executive, ecommerce manager,
    e-commerce, ecommerce, online store manager, e-commerce officer
marketing | Social Media Manager | social media, social media handler, social media executive,
    social media officer, social media marketer, social media specialist, smm, social media
    management, social media marketing, social media strategist, social media intern
marketing | Community Manager | community lead, community management
marketing | SEO Specialist | seo, seo analyst, seo executive, sem specialist, seo expert, search
    engine optimization, search engine optimisation, seo manager
marketing | Public Relations Officer | public relations, pr officer, pr, communications officer,
    comms officer, pr executive, media relations officer, communications executive, corporate
    communications
marketing | Market Research Analyst | market researcher, research analyst, insights analyst
media | Content Creator | influencer, ugc creator, youtuber, tiktoker, content creation
# Writing and media
writing | Content Writer | writer, blog writer, article writer, ghostwriter, ghost writer,
    content writing, freelance writer, script writer, scriptwriter, content specialist, content
    strategist
writing | Copywriter | copy writer, copywriting, copy writing
writing | Technical Writer | documentation writer, technical writing
writing | Editor | copy editor, proofreader, sub-editor, sub editor, proof reader
writing | Translator | interpreter, translation
writing | Transcriptionist | transcriber, transcription
media | Journalist | reporter, correspondent, news writer, news reporter, journalism
media | Broadcaster | presenter, on-air personality, oap, radio presenter, tv presenter,
    newscaster
# Creative
creative | Graphic Designer | graphics designer, graphic design, graphics design, designer,
    brand designer, visual designer, flyer designer, logo designer, canva designer, graphics
    artist
creative | UI/UX Designer | ui/ux, ui ux designer, uiux designer, ux designer, ui designer,
    product designer, ux/ui designer, ux researcher, user experience designer, ui/ux design, ux
    design, ui design, product design
creative | Web Designer | website designer, web design
creative | Video Editor | video editing, film editor, video editors
creative | Photographer | photography
creative | Videographer | cinematographer, cameraman, camera man, videography
creative | Animator | motion designer, motion graphics designer, 3d artist, 2d animator,
    animation
creative | Fashion Designer | tailor, seamstress, dressmaker, fashion stylist, stylist
creative | Interior Designer | interior decorator, interior design
beauty | Makeup Artist | mua, make-up artist, make up artist, makeup, beautician, esthetician,
    nail technician, beauty therapist
beauty | Hair Stylist | hairstylist, hairdresser, hair dresser, barber, braider
# Software
software | Software Developer | developer, dev, programmer, coder, software dev, software
    development, software developer intern
software | Software Engineer | swe, software engineering, software engr
software | Python Developer | python dev, python engineer, python programmer, django developer,
    python backend developer
software | Java Developer | java dev, java engineer, spring boot developer, java programmer, java
    software engineer, java software developer
software | JavaScript Developer | javascript dev, js developer, js dev, typescript developer
software | PHP Developer | php dev, laravel developer, wordpress developer, php programmer
software | .NET Developer | dotnet developer, c# developer, asp.net developer, .net engineer,
    developer .net, .net software engineer
software | Frontend Developer | front end developer, front-end developer, frontend engineer,
    front end engineer, frontend dev, front end dev, react developer, react dev, angular
    developer, vue developer, ui developer, frontend, front end development, frontend
    development, react.js developer, reactjs developer, next.js developer
software | Backend Developer | back end developer, back-end developer, backend engineer, back
    end engineer, backend dev, back end dev, node developer, nodejs developer, node.js
    developer, backend, backend development, back end development, golang developer, go
    developer
software | Full Stack Developer | fullstack developer, full-stack developer, full stack
    engineer, fullstack engineer, fullstack dev, full stack dev, mern stack developer, mern
    developer, full stack, fullstack, full-stack, full stack web developer, mern stack
software | Mobile Developer | mobile app developer, app developer, android developer, ios
    developer, flutter developer, react native developer, mobile engineer, mobile dev, mobile
    app development, android dev, flutter dev, kotlin developer, swift developer, mobile
    application developer, mobile application engineer, mobile app engineer
software | Web Developer | web dev, website developer, web development
software | Game Developer | game dev, unity developer
software | Blockchain Developer | web3 developer, solidity developer, smart contract developer,
    blockchain engineer
# Automating office workflows with UiPath, Power Automate or n8n: not product development.
software | RPA Developer | rpa engineer, rpa, robotic process automation developer, uipath
    developer, power automate developer, rpa analyst
software | Embedded Systems Engineer | embedded engineer, firmware engineer, embedded developer
software | DevOps Engineer | devops, site reliability engineer, sre, platform engineer, devops
    engr
software | Cloud Engineer | aws engineer, azure engineer, cloud architect
software | Solutions Architect | software architect, enterprise architect, solution architect
software | QA Engineer | qa, quality assurance engineer, software tester, tester, test engineer,
    qa tester, qa analyst, automation tester, qa automation engineer, manual tester, software
    testing
# Data
data | Data Analyst | data analysis, data analytics, reporting analyst, data analyst intern
data | Business Intelligence Analyst | bi analyst, business intelligence, power bi developer, bi
    developer, power bi analyst
data | Data Scientist | data science
data | Data Engineer | data engineering, etl developer, big data engineer
data | Machine Learning Engineer | ml engineer, ai engineer, machine learning, mlops engineer,
    ai/ml engineer, artificial intelligence engineer
data | Statistician | statistics officer, biostatistician
it | Database Administrator | dba, database admin, database administration
product | Business Analyst | business analysis, systems analyst, supply chain analyst
# IT
it | IT Support Specialist | it support, it support officer, it support engineer, it officer, it
    technician, helpdesk, help desk, helpdesk officer, help desk officer, desktop support,
    technical support, tech support, it helpdesk, ict officer, ict support, it personnel,
    computer technician, it support specialist, it support analyst, it job, it jobs
it | Network Engineer | network administrator, network admin, network technician, network engr
it | System Administrator | sysadmin, systems administrator, system admin, systems admin,
    operations support system, business support system, oss/bss, bss/oss
it | Cybersecurity Analyst | cyber security analyst, cyber security, cybersecurity, security
    analyst, soc analyst, information security analyst, infosec, penetration tester, pentester,
    ethical hacker, cybersecurity engineer, cyber security engineer
it | IT Manager | head of it, ict manager, it head
it | ERP Consultant | sap consultant, oracle consultant, erp specialist, sap analyst
# Product and projects
product | Product Manager | product owner, product lead, apm, associate product manager, product
    management
project_management | Project Manager | project management, programme manager, program manager,
    project lead, programmes manager, programs manager
project_management | Project Coordinator | project officer, project assistant, project support
    officer
project_management | Scrum Master | agile coach, delivery manager
# Engineering and construction
engineering | Engineer | engr, engineering, graduate engineer
engineering | Civil Engineer | civil engineering, structural engineer, civil engr
engineering | Site Engineer | site supervisor, construction engineer, site manager, construction
    supervisor, construction manager
engineering | Mechanical Engineer | mechanical engineering, mechanical engr
engineering | Electrical Engineer | electrical engineering, electrical electronics engineer,
    electrical/electronics engineer, electronics engineer, power engineer, electrical engr
engineering | Chemical Engineer | chemical engineering, process engineer
engineering | Maintenance Engineer | maintenance officer, maintenance supervisor, facility
    engineer
engineering | Project Engineer
engineering | Instrumentation Engineer | instrument engineer, instrumentation and control
    engineer
construction | Quantity Surveyor | qs, quantity surveying
construction | Architect | architectural designer, architecture
construction | Land Surveyor | surveyor, surveying
construction | Construction Worker | site worker, labourer, laborer, mason, bricklayer, tiler,
    iron bender, construction labourer, pop installer
construction | Draughtsman | draftsman, autocad draughtsman, cad technician, cad designer, autocad
    designer, cad draughtsman, cad drafter, drafter
# Technical trades
technical | Technician | technical officer, field technician, maintenance technician
technical | Electrician | electrical technician, electrical installer, wireman
technical | Plumber | plumbing
technical | Welder | welding, fabricator, welder/fabricator, welder and fabricator
technical | Mechanic | auto mechanic, car mechanic, motor mechanic, auto technician, automobile
    technician
technical | HVAC Technician | ac technician, air conditioning technician, refrigeration
    technician, hvac, ac repairer, hvac engineer
technical | Solar Installer | solar technician, solar engineer, inverter technician, solar
    installation, solar installer technician
technical | Carpenter | furniture maker, joiner, carpentry
technical | Painter | house painter, painting
technical | Generator Technician | generator mechanic, gen technician
technical | CCTV Technician | cctv installer, security systems technician
# Oil and gas, HSE
oil_gas | Petroleum Engineer | reservoir engineer, production engineer, petroleum engineering
oil_gas | Drilling Engineer | driller, drilling supervisor, rig engineer
oil_gas | Pipeline Engineer | pipeline technician
oil_gas | Geologist | geoscientist, geophysicist, exploration geologist
oil_gas | Offshore Technician | rig worker, roustabout
hse | HSE Officer | hse, health and safety officer, safety officer, qhse officer, hse
    supervisor, ehs officer, hse manager, hse coordinator, hsse officer, safety supervisor
# Health
health | Nurse | registered nurse, staff nurse, nursing, nursing officer, icu nurse, theatre
    nurse, perioperative nurse, clinic nurse, home nurse
health | Midwife | nurse midwife, registered midwife, midwifery
health | Doctor | medical doctor, physician, medical officer, general practitioner, house
    officer, resident doctor, medical practitioner, dermatologist, psychiatrist, paediatrician,
    pediatrician, gynaecologist, gynecologist, surgeon, consultant physician, medical consultant
health | Psychologist | clinical psychologist, counsellor, counselor, therapist, mental health
    counsellor, psychotherapist
health | Pharmacist | clinical pharmacist, community pharmacist, hospital pharmacist, pharmacy
health | Pharmacy Technician | pharmacy assistant, pharmacy attendant, pharm tech, pharmacy tech
health | Medical Laboratory Scientist | lab scientist, medical lab scientist, laboratory
    scientist, mls, medical laboratory, microbiologist, medical microbiologist
health | Laboratory Technician | lab technician, lab tech, laboratory assistant, lab assistant,
    laboratory technologist, medical laboratory technician
health | Physiotherapist | physio, physical therapist, physiotherapy
health | Dentist | dental surgeon, dental officer
health | Dental Nurse | dental assistant, dental technician
health | Radiographer | sonographer, radiology, radiologist
health | Optometrist | optician
health | Nutritionist | dietitian, dietician, nutrition
health | Community Health Worker | community health extension worker, community health officer
health | Caregiver | care giver, care assistant, carer, healthcare assistant, health care
    assistant, nursing assistant, support worker, home care, care worker, elderly care
health | Public Health Officer | public health, public health specialist, epidemiologist
health | Medical Receptionist | hospital receptionist, clinic receptionist, medical records
    officer
agriculture | Veterinarian | veterinary doctor, vet doctor, vet
# Education
education | Teacher | class teacher, school teacher, primary school teacher, secondary school
    teacher, nursery teacher, teaching, montessori teacher, maths teacher, mathematics teacher,
    english teacher, physics teacher, chemistry teacher, biology teacher, science teacher,
    subject teacher, french teacher, computer teacher, early years teacher, teaching job,
    teachers, educator, creche teacher
education | Lecturer | assistant lecturer, university lecturer, professor, polytechnic lecturer
education | Tutor | private tutor, home tutor, lesson teacher, online tutor, tutoring
education | Teaching Assistant | classroom assistant, assistant teacher
education | Curriculum Developer | curriculum designer, instructional designer, curriculum writer,
    learning designer, curriculum development
education | Head Teacher | headteacher, headmistress, headmaster, school principal, vice
    principal
research | Research Assistant | research officer, researcher, research associate
fitness | Fitness Instructor | gym instructor, fitness trainer, personal trainer, gym trainer
# Logistics
logistics | Driver | car driver, personal driver, company driver, chauffeur, truck driver,
    official driver, uber driver, bolt driver, bus driver, staff bus driver, private driver,
    family driver, delivery driver, tanker driver, driving, driver job
logistics | Dispatch Rider | dispatch, rider, delivery rider, delivery man, delivery guy,
    courier, bike rider, dispatch bike rider, delivery agent, okada rider, delivery boy,
    dispatcher
logistics | Logistics Officer | logistics, logistics coordinator, logistics executive, logistics
    assistant, logistic officer, logistic executive, logistic coordinator, fleet officer,
    shipping officer, transport officer, logistics associate, distribution supervisor,
    distribution officer, distribution planner
logistics | Logistics Manager | fleet manager, transport manager, head of logistics, fleet
    supervisor, logistics supervisor
logistics | Supply Chain Officer | supply chain, supply chain executive,
    supply chain manager, supply chain associate, demand planner
logistics | Warehouse Officer | warehouse assistant, warehouse supervisor, warehouse manager,
    warehouse staff, warehouse attendant, warehouse, picker, packer, warehouse worker, loader,
    offloader, loader and unloader
logistics | Storekeeper | store keeper, store officer, stores officer, inventory officer,
    inventory controller, inventory clerk, inventory manager, store keeping
logistics | Forklift Operator | forklift driver, forklift, crane operator
logistics | Clearing Agent | clearing and forwarding, customs broker, freight forwarder,
    clearing agent officer
# Procurement
procurement | Procurement Officer | procurement, purchasing officer, purchasing, buyer,
    procurement executive, procurement specialist, sourcing officer, purchase officer,
    procurement analyst, sourcing executive, sourcing specialist
procurement | Procurement Manager | purchasing manager, head of procurement
# Legal
legal | Lawyer | legal practitioner, attorney, solicitor, barrister, counsel, corporate lawyer,
    litigation lawyer, litigation, law
legal | Legal Officer | legal adviser, legal advisor, legal counsel, in-house counsel, legal
    associate, legal, legal job
legal | Paralegal | legal assistant, legal secretary, legal clerk
legal | Company Secretary | corporate secretary, company secretarial
# Hospitality
hospitality | Chef | sous chef, head chef, executive chef, pastry chef, continental chef, local
    chef, chef de partie, commis chef, kitchen supervisor, kitchen manager
hospitality | Cook | cooking, local cook, continental cook, kitchen cook
hospitality | Kitchen Assistant | kitchen staff, kitchen porter, kitchen helper, kitchen hand,
    dishwasher
hospitality | Waiter | waitress, steward, stewardess, waiting staff, restaurant attendant, food
    server, waiters and waitresses, waiter/waitress, service staff
hospitality | Bartender | barman, barmaid, mixologist, barista, bar attendant, bar staff
hospitality | Housekeeper | housekeeping, room attendant, chambermaid, laundry attendant,
    laundry man, laundry, laundry work
hospitality | Hotel Manager | hotel supervisor, guest house manager, lounge manager
hospitality | Restaurant Manager | restaurant supervisor, eatery manager, fast food manager
hospitality | Caterer | catering, catering staff, event caterer, catering assistant
hospitality | Event Planner | event manager, events coordinator, event coordinator, wedding
    planner, event planning, events manager, event management
hospitality | Baker | confectioner, pastry maker, baking
aviation | Flight Attendant | cabin crew, air hostess, cabin crew member
aviation | Pilot | airline pilot, first officer
travel | Travel Agent | travel consultant, ticketing officer, ticketing agent, travel agency
# Security and facilities
security | Security Guard | guard, security man, security officer, security personnel, gateman,
    gate man, watchman, night guard, bouncer, security job, security work, mai guard, executive
    protection, close protection officer, bodyguard, body guard
security | Security Supervisor | chief security officer, security manager, head of security
facilities | Cleaner | janitor, office cleaner, cleaning staff, cleaning, janitorial staff,
    sanitation worker, cleaning job, toilet cleaner
facilities | Gardener | landscaper, gardening
facilities | Facility Manager | facilities manager, facility officer, facilities officer, estate
    manager, property manager, facility management, facility supervisor
domestic | House Help | househelp, house girl, house boy, housemaid, house maid, maid, domestic
    staff, domestic worker, domestic help
domestic | Nanny | au pair, babysitter, baby sitter, nanny job, child minder
# Operations and management
operations | Operations Officer | operations executive, operations associate, ops officer,
    operations assistant, operations analyst, operations, ops, operations staff
operations | Operations Manager | ops manager, head of operations, operations lead
management | General Manager | general manager operations, gm operations
management | Managing Director | ceo, chief executive officer, chief executive
management | Chief Operating Officer | coo
operations | Branch Manager | branch supervisor, branch head
retail | Store Manager | shop manager, supermarket manager, outlet manager, retail manager, shop
    supervisor, store supervisor
manufacturing | Quality Control Officer | qc officer, quality control, qc, quality assurance
    officer, qa officer, quality control analyst, quality inspector, quality control inspector,
    qc analyst, quality assurance, quality assurance manager, quality control manager
manufacturing | Production Supervisor | production manager, production officer, plant manager,
    factory supervisor, shift supervisor
manufacturing | Machine Operator | production operator, plant operator, operator, machine
    operators
manufacturing | Factory Worker | factory hand, production worker, casual worker, general worker,
    factory job, production staff
# Business development
business_development | Business Development Manager | bdm, business development, biz dev,
    bizdev, head of business development, business development lead
business_development | Business Development Executive | business development officer, bde, bdo,
    business development associate, business development representative, bdr, sales development
    representative, sdr, business developer
# Preparing bids for contracts: documents and compliance, not selling.
business_development | Bid and Tender Officer | tender officer, bid officer, bid manager,
    bid/tender officer, tender manager, tenders officer, bids and tenders officer, tender
    executive, bid coordinator, tender analyst, tendering officer
business_development | Partnerships Manager | partnership manager, partnerships, partnership
    executive, partnerships executive, partnerships officer
# Retail
retail | Cashier | sales cashier, till operator, pos operator, pos attendant, checkout operator,
    cashier job
retail | Shop Attendant | sales attendant, store attendant, shop assistant, sales assistant,
    supermarket attendant, retail assistant, showroom attendant, boutique attendant, shop girl,
    shop keeper, shopkeeper, retail sales associate, supermarket staff, store assistant, store
    girl, shop staff
retail | Pump Attendant | fuel attendant, filling station attendant, petrol station attendant,
    fuel station attendant
# Agriculture, NGOs, and others
agriculture | Agronomist | agricultural officer, agric officer, extension officer,
    agriculturist, agricultural extension officer, agriculture, agricultural consultant, farm
    advisor, agric consultant
agriculture | Farm Manager | farm supervisor, poultry manager, poultry farm manager
agriculture | Farm Worker | farm hand, farm attendant, poultry attendant, farmer, farm labourer
ngo | Monitoring and Evaluation Officer | m&e officer, monitoring and evaluation, meal officer,
    m&e, m and e officer, m&e specialist
ngo | Programme Officer | program officer, programs officer, programmes officer, program
    associate, program assistant, programme assistant, program specialist, programme specialist
ngo | Social Worker | case worker, caseworker, community mobilizer, community mobiliser, social
    work
"""


def _parse_table(table: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    entries: list[str] = []
    for line in table.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
        else:
            entries.append(line.strip())
    roles = []
    for entry in entries:
        family, title, *rest = (part.strip() for part in entry.split("|"))
        aliases = tuple(alias.strip() for alias in "|".join(rest).split(",") if alias.strip())
        roles.append((title, family, aliases))
    return tuple(roles)


# (canonical title, family, aliases), in table order.
ROLES: tuple[tuple[str, str, tuple[str, ...]], ...] = _parse_table(_TABLE)

# Short uppercase forms whose lowercase spelling is an everyday word or a unit ("it", "/hr").
EXACT_CASE_ALIASES: dict[str, str] = {
    "IT": "IT Support Specialist",
    "ICT": "IT Support Specialist",
    "HR": "HR Officer",
    "GP": "Doctor",
    "RN": "Nurse",
    "CHEW": "Community Health Worker",
    "EA": "Personal Assistant",
    "UX": "UI/UX Designer",
}

SENIORITY_LEVELS: tuple[str, ...] = (
    "intern", "entry", "junior", "mid", "senior", "lead", "manager", "director",
)  # fmt: skip

# The first level a title states wins, in this order: "Senior Manager" is a manager and
# "Head of Sales" a director. "Manager" counts only for titles that manage people.
_SENIORITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        ("director", r"\b(?:director|head of|chief|c[eoft]o|vp|vice president|partner)\b"),
        ("intern", r"\b(?:intern|interns|internship|siwes|industrial (?:training|attachment)|"
                   r"nysc|corper|corps member)\b"),
        ("entry", r"\b(?:entry[\s-]?level|graduate trainee|trainee|fresh graduate|graduate|"
                  r"no experience|apprentice)\b"),
        # "Asst Sales Manager" assists the manager: a senior staff post, not a manager's.
        ("senior", r"\b(?:assistant|asst)\.?\s+(?:(?!to\b)[a-z&/]+\s+){0,3}(?:manager|mgr)\b"),
        ("manager", r"\b(?:manager|mgr)\b"),
        ("lead", r"\b(?:lead|team lead|principal|supervisor|head)\b"),
        ("senior", r"\b(?:senior|snr|sr|experienced|expert)\b"),
        ("junior", r"\b(?:junior|jnr|jr)\b"),
        ("mid", r"\b(?:mid[\s-]?level|mid|intermediate)\b"),
    )
)  # fmt: skip
# Titles that say "manager" without managing people.
_NOT_MANAGERIAL = frozenset(
    {
        "Relationship Manager",
        "Key Account Manager",
        "Product Manager",
        "Project Manager",
        "Social Media Manager",
        "Community Manager",
        "Customer Success Manager",
        "Partnerships Manager",
    }
)


@lru_cache(maxsize=1)
def _roles_by_title() -> dict[str, Role]:
    return {title: Role(title, family) for title, family, _ in ROLES}


def all_roles() -> list[Role]:
    return list(_roles_by_title().values())


def role_for_title(title: str) -> Role | None:
    """The vocabulary role with exactly this canonical title (case-insensitive)."""
    roles = _roles_by_title()
    if title in roles:
        return roles[title]
    folded = title.casefold()
    return next((role for name, role in roles.items() if name.casefold() == folded), None)


@lru_cache(maxsize=1)
def role_index() -> PhraseIndex[Role]:
    phrases: list[tuple[str, Role | None]] = []
    for title, family, aliases in ROLES:
        role = Role(title, family)
        for alias in (title, *aliases):
            words = phrase_key(alias)
            # "Learning & Development": the ampersand is no word, so "and" may be missing.
            spellings = {words, tuple(word for word in words if word != "and")}
            for spelling in filter(None, spellings):
                phrases.append((" ".join(spelling), role))
                if not spelling[-1].endswith("s"):
                    phrases.append((" ".join((*spelling[:-1], plural(spelling[-1]))), role))
    roles = _roles_by_title()
    exact = [(alias, roles[title]) for alias, title in EXACT_CASE_ALIASES.items()]
    return PhraseIndex(phrases, exact_case=exact)


def find_roles(text: str) -> list[Role]:
    """Every vocabulary role mentioned in `text`, in order of first mention."""
    return role_index().values(text)


_TAIL = re.compile(r"\([^)]*\)|\[[^\]]*\]|\s[-–—|@]\s.*$")
# Words that announce a posting rather than name the job in it.
_ANNOUNCEMENT = re.compile(
    r"\b(?:(?:new|ongoing|massive|mass|job|graduate)\s+)?recruitment\s+(?:for|at|of|into|exercise)\b"
    r"|\b(?:new|ongoing|massive|mass)\s+recruitments?\b"
    r"|\bsubmit (?:your )?cvs?\b|\bwe(?:'re| are) hiring\b|\burgent(?:ly)? (?:hiring|needed)\b"
    r"|\bvacanc(?:y|ies) (?:for|at)\b",
    re.IGNORECASE,
)


def normalise_title(raw_title: str) -> Role | None:
    """The canonical role of a posting title such as "Sales Executive - Lagos (Urgent)".

    The title without its brackets and dash-separated tail is read first; then the whole
    title ("Urgent Hiring - Accountant", "Graduate Trainee (Logistics)"). A title whose
    last word teaches is a teaching job, not its subject's: "ICT Teacher" is a teacher's
    job, and a "Cyber Security Facilitator" no analyst's (nor a school teacher's: it is
    read as no role), unless a role is named by those words ("Fitness Instructor").
    """
    title = _ANNOUNCEMENT.sub(" ", raw_title)
    for text in (_TAIL.sub(" ", title), title):
        teaches, teaching = _teaching_role(text)
        if teaches:
            return teaching
        roles = find_roles(text)
        if roles:
            return roles[0]
    return None


# The teaching word that ends a title, and the teaching role it names. An instructor or
# facilitator of a trade or a profession teaches adults what they must know themselves:
# neither a school teacher's job nor the trade's.
_TEACHING_HEADS: dict[str, str | None] = {
    "teacher": "Teacher",
    "tutor": "Tutor",
    "lecturer": "Lecturer",
    "instructor": None,
    "facilitator": None,
}


def _teaching_role(text: str) -> tuple[bool, Role | None]:
    """(the title ends in a teaching word no role is named by, the role it names)."""
    words = phrase_key(text)
    head = words[-1].removesuffix("s") if words else ""
    if head not in _TEACHING_HEADS:
        return False, None
    # A role whose own name ends in the word ("Training Instructor", "Gym Instructor").
    if any(words[-1] == role_words[-1] for role_words in _phrases_in(words)):
        return False, None
    teaching = _TEACHING_HEADS[head]
    return True, role_for_title(teaching) if teaching else None


def _phrases_in(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The vocabulary phrases (of two words or more) that `words` ends with."""
    return [
        phrase for phrase in _role_phrases() if len(phrase) > 1 and words[-len(phrase) :] == phrase
    ]


@lru_cache(maxsize=1)
def _role_phrases() -> frozenset[tuple[str, ...]]:
    return frozenset(
        phrase_key(alias) for title, _, aliases in ROLES for alias in (title, *aliases)
    )


def seniority_of(title: str) -> str | None:
    """The level a title states, one of SENIORITY_LEVELS, or None when it states none."""
    for level, pattern in _SENIORITY_PATTERNS:
        if not pattern.search(title):
            continue
        if level == "manager":
            role = normalise_title(title)
            if role is not None and role.title in _NOT_MANAGERIAL:
                continue
        return level
    return None


def related_titles(role: Role) -> list[str]:
    """Other canonical titles in the same family, in vocabulary order."""
    return [other.title for other in all_roles() if other.family == role.family and other != role]
