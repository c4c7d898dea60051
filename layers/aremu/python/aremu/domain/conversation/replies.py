"""The words Aremu says, shaped as WhatsApp messages (the models keep them within limits)."""

from __future__ import annotations

from aremu.channels.whatsapp.outbound import Buttons, ListMessage, ListRow, ReplyButton, Text
from aremu.domain.conversation.state import Awaiting

QUESTIONS: dict[Awaiting, str] = {
    Awaiting.ROLES: "What kind of work are you looking for? You can name more than one role, "
    'e.g. "sales rep or customer service".',
    Awaiting.LOCATIONS: "Where do you want to work? Name cities or states, "
    '"anywhere in Nigeria", or "remote".',
    Awaiting.EXPERIENCE: 'How many years of experience do you have? e.g. "3 years" or '
    '"fresh graduate".',
    Awaiting.PAY: 'What is the least pay you would accept? e.g. "300k a month" or "$2k/month".',
    Awaiting.ARRANGEMENT: "Do you want remote, hybrid or on-site work? Or any?",
}


def welcome(profile_name: str | None) -> Buttons:
    name = profile_name.split()[0] if profile_name and profile_name.strip() else ""
    greeting = f"Hi {name}!" if name else "Hi!"
    return Buttons(
        body=(
            f"{greeting} I'm Aremu, an automated assistant. I find jobs that fit you and send "
            "them here on WhatsApp.\n\nShall I send you job alerts? You can pause or stop "
            "them at any time by writing PAUSE or STOP."
        ),
        buttons=[
            ReplyButton(id="consent_yes", title="Yes, send jobs"),
            ReplyButton(id="consent_no", title="No thanks"),
        ],
    )


def consent_reminder() -> Buttons:
    return Buttons(
        body="Before I send any jobs, I need your OK. Shall I send you job alerts?",
        buttons=[
            ReplyButton(id="consent_yes", title="Yes, send jobs"),
            ReplyButton(id="consent_no", title="No thanks"),
        ],
    )


def question(awaiting: Awaiting, preface: str = "") -> Text:
    body = QUESTIONS[awaiting]
    return Text(body=f"{preface}\n\n{body}" if preface else body)


def summary_card(lines: list[str], preface: str = "Here is what I have:") -> Buttons:
    return Buttons(
        body=preface + "\n\n" + "\n".join(lines) + "\n\nIs this right?",
        buttons=[
            ReplyButton(id="prefs_confirm", title="Confirm"),
            ReplyButton(id="prefs_edit", title="Edit"),
        ],
    )


def preferences_card(lines: list[str]) -> Buttons:
    return Buttons(
        body="Your job preferences:\n\n" + "\n".join(lines),
        buttons=[
            ReplyButton(id="prefs_edit", title="Edit"),
            ReplyButton(id="menu_jobs", title="Show jobs"),
        ],
    )


def menu(paused: bool) -> ListMessage:
    toggle = (
        ListRow(id="menu_resume", title="Resume alerts", description="Start job alerts again")
        if paused
        else ListRow(
            id="menu_pause", title="Pause alerts", description="No alerts until you resume"
        )
    )
    return ListMessage.of_rows(
        body="Here is what I can do. Pick one, or just type it.",
        button="Menu",
        rows=[
            ListRow(id="menu_jobs", title="Jobs", description="Your best matches now"),
            ListRow(id="menu_preferences", title="My preferences", description="See what I know"),
            ListRow(
                id="menu_edit", title="Edit preferences", description='e.g. "add data analyst"'
            ),
            toggle,
            ListRow(id="menu_person", title="Talk to a person", description="A recruiter replies"),
            ListRow(id="menu_delete", title="Delete my data", description="Erase everything"),
            ListRow(id="menu_stop", title="Stop", description="No more messages"),
        ],
    )


EDIT_PROMPT = Text(
    body="What would you like to change? Say it in your own words, e.g. "
    '"change my location to Abuja", "add data analyst" or "minimum pay 400k".'
)
CONFIRMED = Text(
    body="You're all set! I'll send you jobs that fit as soon as I find them. "
    "Write MENU any time to see what I can do."
)


def fewer_like(title: str) -> Text:
    return Text(body=f"Got it: no more {title} jobs. Thanks for telling me.")


def more_like(title: str) -> Text:
    return Text(body=f"Noted! I'll look out for more {title} jobs for you.")


def applied(title: str | None) -> Text:
    job = f" for {title}" if title else ""
    return Text(
        body=f"Well done on applying{job}! Good luck. I've noted it, and I'll keep "
        "looking out for more jobs that fit you."
    )


NO_MATCHES_YET = Text(
    body="I have no matches for you yet. I'm looking, and I'll message you as soon as a job fits."
)
PAUSED = Text(body="Job alerts are paused. Write RESUME when you want them again.")
RESUMED = Text(body="Welcome back! Job alerts are on again.")
ALREADY_ACTIVE = Text(body="Your job alerts are on. Write MENU to see what else I can do.")
STOPPED = Text(
    body="Done. You won't get any more messages from Aremu. If you change your mind, write START."
)
DECLINED = Text(body="No problem, I won't send job alerts. If you change your mind, write START.")
PERSON_FLAGGED = Text(
    body="Thanks. I've asked a recruiter to join this chat; they'll reply here as soon as they can."
)
ERASED = Text(body="Your data has been deleted from Aremu. Goodbye, and good luck!")
ERASE_KEPT = Text(body="Okay, I've kept your data. Write MENU to see what I can do.")
NOT_UNDERSTOOD = Text(
    body="Sorry, I didn't catch that. Write MENU to see what I can do, or tell me about the "
    "job you want."
)
UNSUPPORTED_MEDIA = Text(
    body="Sorry, I can only read text messages and button replies for now. "
    "Please type your answer and I'll take it from there."
)


def erase_confirmation() -> Buttons:
    return Buttons(
        body="This deletes everything Aremu knows about you: your preferences, messages and "
        "matches. It cannot be undone. Delete your data?",
        buttons=[
            ReplyButton(id="erase_yes", title="Yes, delete"),
            ReplyButton(id="erase_no", title="No, keep it"),
        ],
    )


def welcome_back(missing: bool) -> Text:
    if missing:
        return Text(body="Welcome back! Let's finish your job preferences.")
    return Text(body="Welcome back! Job alerts are on again.")
