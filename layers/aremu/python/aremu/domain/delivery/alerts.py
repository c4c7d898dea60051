"""The words of a job alert and of a digest of waiting matches."""

from __future__ import annotations

from dataclasses import dataclass

from aremu.channels.whatsapp.outbound import Buttons, ReplyButton, Text

NOT_INTERESTED = "job_no"
MORE_LIKE_THIS = "job_more"
APPLIED = "job_applied"


@dataclass(frozen=True)
class AlertContent:
    job_id: str
    title: str
    company: str | None
    place: str | None
    pay: str | None
    match_percent: int
    reason: str
    summary: str | None
    apply_url: str | None


def job_alert(content: AlertContent) -> Buttons:
    heading = f"*{content.title}*" + (f" at {content.company}" if content.company else "")
    lines = [heading]
    details = " · ".join(part for part in (content.place, content.pay) if part)
    if details:
        lines.append(details)
    lines.append(f"Match: {content.match_percent}% ({content.reason})")
    summary = _without_heading(content.summary, content.title)
    if summary:
        lines.append("")
        lines.append(summary)
    if content.apply_url:
        lines.append("")
        lines.append(f"Apply: {content.apply_url}")
    return Buttons(
        body="\n".join(lines),
        footer="Aremu job alert",
        buttons=[
            ReplyButton(id=f"{NOT_INTERESTED}:{content.job_id}", title="Not interested"),
            ReplyButton(id=f"{MORE_LIKE_THIS}:{content.job_id}", title="More like this"),
            ReplyButton(id=f"{APPLIED}:{content.job_id}", title="I applied"),
        ],
    )


def _without_heading(summary: str | None, title: str) -> str | None:
    """The summary, minus a first line that only repeats the title shown above it."""
    if not summary:
        return None
    first, _, rest = summary.partition("\n")
    if title.lower() not in first.lower():
        return summary
    return rest.strip() or None


def digest(contents: list[AlertContent], waiting: int) -> Text:
    """The best waiting matches, ranked, in one message with their apply links."""
    plural = "s" if waiting != 1 else ""
    return ranked_jobs(
        contents, f"While you were away I found {waiting} job{plural} for you. The best:"
    )


def top_matches(contents: list[AlertContent]) -> Text:
    return ranked_jobs(contents, "Your best matches right now:")


def ranked_jobs(contents: list[AlertContent], heading: str) -> Text:
    lines = [heading]
    for rank, content in enumerate(contents, start=1):
        where = " · ".join(p for p in (content.company, content.place, content.pay) if p)
        lines.append("")
        lines.append(f"{rank}. *{content.title}* ({content.match_percent}% match)")
        if where:
            lines.append(where)
        if content.apply_url:
            lines.append(f"Apply: {content.apply_url}")
    lines.append("")
    lines.append("Write JOBS any time for your best matches.")
    return Text(body="\n".join(lines))
