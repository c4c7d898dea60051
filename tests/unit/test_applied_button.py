"""The "I applied" button of a job alert: the congratulation and the journey move it asks."""

from __future__ import annotations

from aremu.domain.conversation.commands import Intent, read_intent
from aremu.domain.conversation.engine import APPLIED_MOVE, journey_move, respond
from aremu.domain.conversation.state import Candidate, Decision, Incoming, Stage
from aremu.domain.delivery.alerts import AlertContent, job_alert
from aremu.domain.extraction.offline import OfflinePreferenceExtractor
from aremu.domain.preferences import Preferences

EXTRACTOR = OfflinePreferenceExtractor()
ALERT = AlertContent(
    job_id="j42",
    title="Sales Executive",
    company="Ezinne",
    place="Lagos",
    pay="₦330k+/month",
    match_percent=75,
    reason="Sales Executive · Lagos",
    summary=None,
    apply_url="https://ezinne.example/jobs/42",
)


def candidate(stage: Stage) -> Candidate:
    return Candidate("c1", stage, Preferences(), profile_name="Ada Obi")


def tap_applied(stage: Stage, job_title: str | None = "Sales Executive") -> Decision:
    incoming = Incoming(
        "wamid.1", "interactive", text="I applied", button_id="job_applied:j42", job_title=job_title
    )
    return respond(candidate(stage), incoming, EXTRACTOR)


def reply_text(decision: Decision) -> str:
    assert decision.reply is not None
    return str(decision.reply.to_body("234")["text"]["body"])


def test_a_job_alert_offers_i_applied_as_its_third_button() -> None:
    buttons = job_alert(ALERT).to_body("234")["interactive"]["action"]["buttons"]

    assert [(b["reply"]["id"], b["reply"]["title"]) for b in buttons] == [
        ("job_no:j42", "Not interested"),
        ("job_more:j42", "More like this"),
        ("job_applied:j42", "I applied"),
    ]


def test_the_i_applied_button_is_read_whatever_job_it_carries() -> None:
    assert read_intent("I applied", "job_applied:any-job-id") is Intent.APPLIED


def test_tapping_i_applied_congratulates_the_candidate_on_that_job() -> None:
    decision = tap_applied(Stage.ACTIVE)

    assert reply_text(decision).startswith("Well done on applying for Sales Executive!")


def test_tapping_i_applied_asks_the_journey_to_move_to_applied() -> None:
    decision = tap_applied(Stage.ACTIVE)

    assert journey_move(decision) == APPLIED_MOVE
    assert (APPLIED_MOVE.stage, APPLIED_MOVE.trigger) == ("applied", "candidate:applied")


def test_tapping_i_applied_leaves_the_conversation_stage_as_it_was() -> None:
    decision = tap_applied(Stage.PAUSED)

    assert decision.stage is Stage.PAUSED
    assert decision.transitions == ()


def test_i_applied_for_a_job_no_longer_known_still_gets_a_congratulation() -> None:
    decision = tap_applied(Stage.ACTIVE, job_title=None)

    assert reply_text(decision).startswith("Well done on applying!")
    assert journey_move(decision) == APPLIED_MOVE


def test_saying_i_applied_in_words_counts_too() -> None:
    incoming = Incoming("wamid.1", "text", text="I have applied")

    decision = respond(candidate(Stage.ACTIVE), incoming, EXTRACTOR)

    assert journey_move(decision) == APPLIED_MOVE


def test_an_opted_out_candidate_tapping_i_applied_hears_nothing_and_moves_nowhere() -> None:
    decision = tap_applied(Stage.OPTED_OUT)

    assert decision.reply is None
    assert journey_move(decision) is None


def test_a_candidate_who_has_not_opted_in_is_not_moved_by_saying_applied() -> None:
    decision = respond(candidate(Stage.NEW), Incoming("wamid.1", "text", text="applied"), EXTRACTOR)

    assert journey_move(decision) is None


def test_other_job_feedback_asks_for_no_journey_move() -> None:
    incoming = Incoming(
        "wamid.1", "interactive", button_id="job_more:j42", job_title="Sales Executive"
    )

    decision = respond(candidate(Stage.ACTIVE), incoming, EXTRACTOR)

    assert journey_move(decision) is None
