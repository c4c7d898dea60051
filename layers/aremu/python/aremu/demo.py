"""`make demo`: a scripted WhatsApp conversation on the local stack, printed as it happens.

It starts `aremu local` in a child process, then plays two candidates through signed
webhooks as Meta would send them, draining the stack after each step so every reply is
in before the next line. What Aremu says is read back from the WhatsApp sandbox, exactly
as the functions sent it. Any reply the script expects and does not get ends the demo
with a non-zero exit and says which.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from time import perf_counter
from typing import TextIO
from zoneinfo import ZoneInfo

from aremu.config import Settings
from aremu.credentials import LOCAL_DEFAULTS
from aremu.jobs.csv_source import sample_jobs_csv
from aremu.local.client import (
    Json,
    LocalClient,
    WhatsAppUser,
    button_reply,
    image_message,
    messages_value,
    new_message_id,
    new_phone_number,
    status_update,
    statuses_value,
    text_message,
    webhook_payload,
)
from aremu.local.launch import StackDidNotStart, local_stack_process
from aremu.local.slack_client import SlackRecruiter

MAX_LINES = 7
HOUR = 3600
# Timers wake on the whole second after a message; the demo's clock moves pass them by this.
WINDOW_MARGIN_SECONDS = 60
MAX_LINE_WIDTH = 88
INDENT = " " * 7
# Alerts wait through quiet hours; the demo moves the stack's clock to this hour instead.
DEMO_HOUR = 9


def move_clock_out_of_quiet_hours(client: LocalClient) -> tuple[datetime, datetime] | None:
    """Move the stack's clock to the next morning when alerts would now wait for quiet hours.

    Returns the local times before and after, or None when the clock was left alone. An
    hour's margin before quiet hours start, so a script is not caught halfway.
    """
    settings = Settings()
    zone = ZoneInfo(settings.candidate_timezone)
    now = client.now().astimezone(zone)
    day_starts = time.fromisoformat(settings.quiet_hours_end)
    quiet = datetime.combine(now.date(), time.fromisoformat(settings.quiet_hours_start))
    if day_starts <= now.time() < (quiet - timedelta(hours=1)).time():
        return None
    target = now.replace(hour=DEMO_HOUR, minute=0, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    client.advance_clock((target - now).total_seconds())
    return now, target


class DemoFailed(Exception):
    """An expected reply did not come (or an unexpected one did)."""


def words_of(body: Json) -> str:
    """The whole text a message body shows: its body, then its buttons' or rows' titles."""
    text, extras = _text_and_extras(body)
    return "\n".join([*text.splitlines(), *extras])


def render(body: Json) -> list[str]:
    """A Graph API message body as the lines a phone would show, shortened to a few lines."""
    text, extras = _text_and_extras(body)
    lines = [
        wrapped
        for line in text.splitlines()
        if line.strip()
        for wrapped in textwrap.wrap(line, MAX_LINE_WIDTH)
    ]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], "…"]
    return lines + extras


def _text_and_extras(body: Json) -> tuple[str, list[str]]:
    kind = body.get("type", "text")
    extras: list[str] = []
    if kind == "text":
        text = str(body.get("text", {}).get("body", ""))
    elif kind == "interactive":
        interactive = body.get("interactive", {})
        text = str(interactive.get("body", {}).get("text", ""))
        action = interactive.get("action", {})
        if interactive.get("type") == "button":
            titles = [button.get("reply", {}).get("title", "") for button in action["buttons"]]
            extras.append("  ".join(f"[{title}]" for title in titles))
        elif interactive.get("type") == "list":
            extras.append(f"☰ {action.get('button', 'Menu')}:")
            for section in action.get("sections", []):
                for row in section.get("rows", []):
                    description = f" — {row['description']}" if row.get("description") else ""
                    extras.append(f"  • {row['title']}{description}")
    elif kind == "template":
        text = f"(template {body.get('template', {}).get('name', '?')})"
    else:
        text = f"({kind} message)"
    return text, extras


# Slack's date tokens and mentions, shown as their fallback text and @id.
_SLACK_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
_SLACK_MENTION = re.compile(r"<@(\w+)>")


def _slack_plain(text: str) -> str:
    return _SLACK_MENTION.sub(r"@\1", _SLACK_DATE.sub(r"\1", text)).replace("*", "")


def render_slack(args: Json) -> list[str]:
    """A Slack message as lines: header, sections and fields, context, [buttons]."""
    lines: list[str] = []
    for block in args.get("blocks") or []:
        kind = block.get("type")
        if kind in ("header", "section"):
            texts = [block.get("text", {}).get("text", "")]
            texts += [f.get("text", "") for f in block.get("fields", [])]
            lines += [line for text in texts for line in _slack_plain(text).splitlines()]
        elif kind == "context":
            lines += [_slack_plain(e.get("text", "")) for e in block.get("elements", [])]
        elif kind == "actions":
            titles = [e.get("text", {}).get("text", "") for e in block.get("elements", [])]
            lines.append("  ".join(f"[{title}]" for title in titles if title))
    return [line for line in lines if line.strip()] or [str(args.get("text", ""))]


def is_job_alert(body: Json) -> bool:
    buttons = body.get("interactive", {}).get("action", {}).get("buttons", [])
    return any(button.get("reply", {}).get("id", "").startswith("job_no:") for button in buttons)


def button_id(body: Json, title: str) -> str:
    for button in body.get("interactive", {}).get("action", {}).get("buttons", []):
        if button.get("reply", {}).get("title") == title:
            return str(button["reply"]["id"])
    raise DemoFailed(f"the message has no {title!r} button: {render(body)}")


@dataclass
class Reply:
    body: Json
    message_id: str

    @property
    def text(self) -> str:
        return words_of(self.body)


@dataclass
class Person:
    user: WhatsAppUser
    seen: int = 0  # replies to this person already printed
    last: list[Reply] = field(default_factory=list)


class Demo:
    def __init__(self, client: LocalClient, out: TextIO, phone_number_id: str) -> None:
        self.client = client
        self.out = out
        self.phone_number_id = phone_number_id
        self.messages_in = 0
        self.replies_out = 0
        self.alerts = 0
        self.slack_seen = 0

    # Output.

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def scene(self, title: str) -> None:
        self.say()
        self.say(f"== {title} ==")

    def narrate(self, line: str) -> None:
        self.say(f"  ({line})")

    # Talking to the stack as Meta would.

    def _post(self, person: Person, message: Json, shown: str) -> list[Reply]:
        payload = webhook_payload(
            messages_value([message], [person.user], phone_number_id=self.phone_number_id)
        )
        return self._post_payload(person, payload, shown)

    def _post_payload(self, person: Person, payload: Json, shown: str | None) -> list[Reply]:
        if shown is not None:
            self.say(f"{person.user.name.split()[0]}: {shown}")
            self.messages_in += 1
        response = self.client.post_webhook(payload)
        if response.status_code != 200:
            raise DemoFailed(f"the webhook answered {response.status_code}, not 200")
        self.client.drain()
        return self.new_replies(person)

    def new_replies(self, person: Person) -> list[Reply]:
        exchanges = self.client.exchanges_with(person.user)
        fresh = [
            Reply(e["request"], e["response"]["messages"][0]["id"])
            for e in exchanges[person.seen :]
        ]
        person.seen = len(exchanges)
        for reply in fresh:
            self.replies_out += 1
            self.alerts += is_job_alert(reply.body)
            first, *rest = render(reply.body) or [""]
            self.say(f"Aremu: {first}")
            for line in rest:
                self.say(f"{INDENT}{line}")
        if fresh:
            person.last = fresh
        return fresh

    def text(self, person: Person, words: str) -> list[Reply]:
        # Stamped with the stack's clock, which the demo moves, as WhatsApp's would be.
        message = text_message(person.user, words, at=self.client.now())
        return self._post(person, message, words)

    def tap(self, person: Person, on: Reply, title: str) -> list[Reply]:
        message = button_reply(
            person.user,
            button_id(on.body, title),
            title,
            reply_to=on.message_id,
            at=self.client.now(),
        )
        return self._post(person, message, f"[taps {title}]")

    def image(self, person: Person, caption: str) -> list[Reply]:
        message = image_message(person.user, caption=caption)
        return self._post(person, message, f"[sends a photo: {caption!r}]")

    def new_slack_posts(self) -> list[Json]:
        """Messages Aremu posted to Slack since the last look, printed as a recruiter sees them."""
        calls = self.client.slack_messages()
        fresh = [c for c in calls[self.slack_seen :] if c["method"] == "chat.postMessage"]
        self.slack_seen = len(calls)
        for call in fresh:
            where = "thread" if call["args"].get("thread_ts") else "#recruiters"
            first, *rest = render_slack(call["args"])
            self.say(f"Slack {where}: {first}")
            for line in rest[:MAX_LINES]:
                self.say(f"{INDENT}{line}")
        return fresh

    # Checks.

    @staticmethod
    def expect_post(posts: Sequence[Json], *, containing: str, step: str) -> Json:
        for post in posts:
            if containing in json.dumps(post["args"]):
                return post
        raise DemoFailed(f"{step}: expected a Slack post containing {containing!r}")

    @staticmethod
    def expect(replies: Sequence[Reply], *, containing: str, step: str) -> Reply:
        for reply in replies:
            if containing.lower() in reply.text.lower():
                return reply
        got = "; ".join(reply.text.splitlines()[0] for reply in replies) or "no reply"
        raise DemoFailed(f"{step}: expected a reply containing {containing!r}, got: {got}")

    @staticmethod
    def expect_silence(replies: Sequence[Reply], *, step: str) -> None:
        if replies:
            raise DemoFailed(f"{step}: expected no reply, got: {replies[0].text.splitlines()[0]}")

    # The script.

    def run(self) -> None:
        self.daylight()
        self.basics()
        ada = Person(WhatsAppUser(wa_id=new_phone_number(), name="Ada Okafor"))
        self.onboarding(ada)
        alert = self.jobs_in(ada)
        self.commands(ada, alert)
        self.edits(ada)
        self.stop_and_start(ada)
        chidi = Person(WhatsAppUser(wa_id=new_phone_number(), name="Chidi Eze"))
        self.the_window(chidi)
        emeka = Person(WhatsAppUser(wa_id=new_phone_number(), name="Emeka Nwosu"))
        self.recruiters(
            emeka,
            SlackRecruiter(
                self.client.base_url, "UTOLU", signing_secret=_secret("SLACK_SIGNING_SECRET")
            ),
        )

    def daylight(self) -> None:
        moved = move_clock_out_of_quiet_hours(self.client)
        if moved is not None:
            before, after = moved
            self.narrate(
                f"it is {before:%H:%M} in Lagos: job alerts wait through quiet hours, so the "
                f"demo moves the stack's clock to {after:%H:%M} with POST /sandbox/clock"
            )

    def basics(self) -> None:
        self.scene("1. The basics: a message, Meta's redelivery, a photo, a button, a status")
        bola = Person(WhatsAppUser(wa_id=new_phone_number(), name="Bola Adeyemi"))
        hello = text_message(bola.user, "Hi there", message_id=new_message_id())
        welcome = self.expect(self._post(bola, hello, "Hi there"), containing="Aremu", step="hi")
        self.narrate("Meta delivers the same webhook again, same message id: it is stored once")
        again = self._post_payload(
            bola,
            webhook_payload(
                messages_value([hello], [bola.user], phone_number_id=self.phone_number_id)
            ),
            None,
        )
        self.expect_silence(again, step="redelivered message")
        self.narrate("no second reply")
        reminder = self.expect(
            self.image(bola, "my CV"), containing="need your OK", step="photo before consent"
        )
        self.expect(
            self.tap(bola, reminder, "No thanks"), containing="won't send", step="declining"
        )
        self.narrate("WhatsApp reports Aremu's first message delivered, then read")
        for status in ("delivered", "read"):
            update = status_update(welcome.message_id, bola.user, status)
            payload = webhook_payload(
                statuses_value([update], phone_number_id=self.phone_number_id)
            )
            self.expect_silence(self._post_payload(bola, payload, None), step=f"{status} status")
        self.narrate("statuses recorded on the outbound message; nothing is sent for them")

    def onboarding(self, ada: Person) -> None:
        self.scene("2. Onboarding: consent, preferences in plain words, confirmation")
        welcome = self.expect(self.text(ada, "Hi"), containing="automated assistant", step="hi")
        question = self.expect(
            self.tap(ada, welcome, "Yes, send jobs"), containing="What kind of work", step="consent"
        )
        del question
        card = self.expect(
            self.text(ada, "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine"),
            containing="Is this right?",
            step="preferences",
        )
        self.expect(self.tap(ada, card, "Confirm"), containing="all set", step="confirm")

    def jobs_in(self, ada: Person) -> Reply:
        self.scene("3. Jobs in: the sample postings through ingest, enhance, match and send")
        before = self.client.job_counts()["by_status"].get("ENHANCED", 0)
        summary = self.client.ingest_csv(sample_jobs_csv())
        self.narrate(
            f"POST /sandbox/ingest: {summary['read']} rows read, {summary['stored']} stored, "
            f"{summary['duplicates']} duplicates, {summary['skipped']} skipped"
        )
        self.client.drain()
        enhanced = self.client.job_counts()["by_status"].get("ENHANCED", 0) - before
        self.narrate(
            f"{enhanced} jobs enhanced by the offline enhancer, then matched; Ada's alerts:"
        )
        alerts = [reply for reply in self.new_replies(ada) if is_job_alert(reply.body)]
        if not alerts:
            raise DemoFailed("jobs in: Ada got no job alert from the sample postings")
        return alerts[0]

    def commands(self, ada: Person, alert: Reply) -> None:
        self.scene("4. Commands: her best matches, and feedback on an alert")
        self.expect(self.text(ada, "jobs"), containing="best matches", step="jobs")
        self.expect(
            self.tap(ada, alert, "Not interested"), containing="no more", step="not interested"
        )

    def edits(self, ada: Person) -> None:
        self.scene("5. Changing her mind: an edit in plain words, pause, resume")
        self.expect(self.text(ada, "change my location to Abuja"), containing="Abuja", step="edit")
        self.expect(self.text(ada, "pause"), containing="paused", step="pause")
        self.expect(self.text(ada, "resume"), containing="on again", step="resume")

    def stop_and_start(self, ada: Person) -> None:
        self.scene("6. Stop means stop; START brings her back")
        self.expect(self.text(ada, "stop"), containing="won't get any more", step="stop")
        self.expect_silence(self.text(ada, "Any new jobs for me?"), step="after stop")
        self.narrate("no answer: she has opted out")
        self.expect(self.text(ada, "start"), containing="Welcome back", step="start")

    def the_window(self, chidi: Person) -> None:
        self.scene("7. The 24-hour window: a reminder at 20 h, a warning at 23 h, expiry at 24 h")
        welcome = self.expect(
            self.text(chidi, "Hello"), containing="automated assistant", step="hi"
        )
        self.tap(chidi, welcome, "Yes, send jobs")
        card = self.expect(
            self.text(chidi, "Accountant in Abuja, 2 years experience, 250k a month, on-site"),
            containing="Is this right?",
            step="window preferences",
        )
        self.expect(self.tap(chidi, card, "Confirm"), containing="all set", step="window confirm")
        # Ada's alerts may still be queued from scene 3; only the window's messages matter.
        self.new_replies(chidi)
        for hours, (label, words) in {
            20: ("20 h after his last message", "4 hours left"),
            3: ("23 h", "1 hour left"),
        }.items():
            self.narrate(f"POST /sandbox/clock moves the clock {hours} h: {label}")
            self.client.advance_clock(hours * HOUR + (WINDOW_MARGIN_SECONDS if hours == 20 else 0))
            self.expect(self.new_replies(chidi), containing=words, step=f"window {label}")
        self.narrate("one more hour: 24 h")
        self.client.advance_clock(HOUR)
        self.expect_silence(self.new_replies(chidi), step="window expiry")
        self.narrate("no message: the window has expired; only templates may reach him now")
        self.narrate("Chidi writes again: a new window opens, and a new timer is armed")
        self.expect(self.text(chidi, "jobs"), containing="", step="window reopened")

    def recruiters(self, emeka: Person, tolu: SlackRecruiter) -> None:
        self.scene("8. Recruiters in Slack: a quiet candidate flagged, taken over, handed back")
        welcome = self.expect(self.text(emeka, "Hi"), containing="automated assistant", step="hi")
        self.tap(emeka, welcome, "Yes, send jobs")
        self.new_slack_posts()
        self.narrate("Emeka goes quiet before giving his preferences; the clock moves 20 h 30 min")
        self.client.advance_clock(20.5 * HOUR)
        alert = self.expect_post(
            self.new_slack_posts(), containing="At risk: Emeka", step="at-risk alert"
        )
        candidate_id = next(
            b["elements"][0]["value"] for b in alert["args"]["blocks"] if b["type"] == "actions"
        )
        self.narrate("Tolu presses Take over (a signed Slack request to POST /slack/events)")
        tolu.press("aremu_take_over", candidate_id, message_ts=alert["ts"])
        self.client.drain()
        thread = self.expect_post(
            self.new_slack_posts(), containing="Conversation with", step="takeover thread"
        )
        words = "Hi Emeka, I'm Tolu from Aremu. What kind of work are you after?"
        self.say(f"Tolu (in the thread): {words}")
        tolu.write_in_thread(thread["ts"], words)
        self.client.drain()
        self.expect(self.new_replies(emeka), containing="Tolu", step="recruiter reply")
        self.expect_silence(
            self.text(emeka, "Sales, but I didn't know what to write"), step="while held"
        )
        self.narrate("the bot stays quiet while Tolu holds the conversation; his words reach Slack")
        self.expect_post(self.new_slack_posts(), containing="know what to write", step="mirror")
        self.narrate(f"Tolu types /aremu handback {candidate_id} <summary>")
        tolu.command(f"handback {candidate_id} Wants sales jobs; prefers to write briefly")
        self.client.drain()
        self.expect_post(self.new_slack_posts(), containing="Wants sales jobs", step="handback")
        self.expect(self.text(emeka, "sales rep in Lagos"), containing="", step="bot resumes")
        self.narrate("handed back: Aremu answers him again")


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    del argv
    started = perf_counter()
    print("Aremu demo: a scripted WhatsApp conversation on the local stack", file=out)
    try:
        with local_stack_process() as stack:
            print(f"Local stack at {stack.base_url} (AWS services: moto)", file=out, flush=True)
            client = LocalClient(
                stack.base_url,
                app_secret=_secret("WHATSAPP_APP_SECRET"),
                verify_token=_secret("WHATSAPP_VERIFY_TOKEN"),
            )
            demo = Demo(client, out, _secret("WHATSAPP_PHONE_NUMBER_ID"))
            try:
                demo.run()
            except DemoFailed as error:
                stack.keep_log = True
                print(f"\ndemo failed: {error}", file=sys.stderr)
                print(f"the stack's log: {stack.log_path}", file=sys.stderr)
                return 1
    except StackDidNotStart as error:
        print(f"demo failed: {error}", file=sys.stderr)
        return 1
    elapsed = perf_counter() - started
    print(
        f"\nDemo complete: {demo.messages_in} messages from candidates, {demo.replies_out} "
        f"replies from Aremu ({demo.alerts} job alerts), in {elapsed:.1f} s.",
        file=out,
    )
    return 0


def _secret(name: str) -> str:
    # The stack uses what the shell set, else the documented default; so must the client.
    return os.environ.get(name) or LOCAL_DEFAULTS[name]


if __name__ == "__main__":
    sys.exit(main())
