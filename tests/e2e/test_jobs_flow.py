"""Jobs into `aremu local` through `/sandbox/ingest`, and on through the real functions."""

from __future__ import annotations

import pytest
import requests

from aremu.local.client import (
    IngestRefused,
    LocalClient,
    WhatsAppUser,
    button_reply,
    messages_value,
    text_webhook,
    webhook_payload,
)

from .fakes import jobspy_csv, posting


def enhanced(client: LocalClient) -> int:
    count: int = client.job_counts()["by_status"].get("ENHANCED", 0)
    return count


def test_a_jobspy_csv_is_summarised_stored_and_enhanced(client: LocalClient) -> None:
    first, second = posting(), posting(title="Customer Service Representative")
    untitled = posting(title="")
    before = enhanced(client)

    summary = client.ingest_csv(jobspy_csv(first, second, first, untitled))
    client.drain()

    assert (summary["read"], summary["stored"], summary["duplicates"]) == (4, 2, 1)
    assert summary["skipped"] == 1
    assert summary["skipped_rows"] == [{"row": 4, "reason": "no title"}]
    assert len(summary["stored_job_ids"]) == 2
    assert enhanced(client) - before == 2


def test_the_same_file_twice_stores_nothing_the_second_time(client: LocalClient) -> None:
    text = jobspy_csv(posting())
    client.ingest_csv(text)

    again = client.ingest_csv(text)

    assert (again["stored"], again["already_stored"]) == (0, 1)


def test_a_file_that_is_not_a_jobspy_csv_is_refused_with_the_reason(
    client: LocalClient,
) -> None:
    response = requests.post(
        f"{client.base_url}/sandbox/ingest", data=b"name,age\nAda,30\n", timeout=30
    )

    assert response.status_code == 400
    assert "not a python-jobspy CSV" in response.json()["error"]


def test_a_binary_file_is_refused(client: LocalClient) -> None:
    with pytest.raises(IngestRefused, match="binary"):
        client.ingest_csv("PK\x03\x04\x00\x00binary")


def onboard(client: LocalClient, user: WhatsAppUser) -> None:
    def tap(button_id: str, title: str) -> None:
        reply_to = client.sent_message_ids(user)[-1]
        message = button_reply(user, button_id, title, reply_to=reply_to)
        client.post_webhook(webhook_payload(messages_value([message], [user])))
        client.drain()

    client.post_webhook(text_webhook(user, "Hi"))
    client.drain()
    tap("consent_yes", "Yes, send jobs")
    client.post_webhook(
        text_webhook(user, "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine")
    )
    client.drain()
    tap("prefs_confirm", "Confirm")


def test_an_ingested_job_that_fits_reaches_an_active_candidate_as_an_alert(
    client: LocalClient,
) -> None:
    user = WhatsAppUser.with_phone("Ada")
    onboard(client, user)
    replies_before = len(client.replies_to(user))
    job = posting()

    client.ingest_csv(jobspy_csv(job))
    client.drain()

    (alert,) = client.replies_to(user)[replies_before:]
    interactive = alert["interactive"]
    assert job["company"] in interactive["body"]["text"]
    assert "Match:" in interactive["body"]["text"]
    titles = [button["reply"]["title"] for button in interactive["action"]["buttons"]]
    assert titles == ["Not interested", "More like this", "I applied"]
