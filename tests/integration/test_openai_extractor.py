"""The OpenAI preference extractor against a local fake of the Responses API."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from openai import OpenAI

from aremu.channels.openai_extractor import (
    MAX_INPUT_CHARACTERS,
    OpenAIPreferenceExtractor,
    preference_extractor,
)
from aremu.domain.extraction.offline import OfflinePreferenceExtractor
from aremu.domain.preferences import Arrangement, ListChange, Money
from aremu.domain.vocabulary import Place, Role

MESSAGE = "I'm a sales rep in Lagos, 3 years, want 300k a month, hybrid is fine"
TIMEOUT_SECONDS = 0.2

EMPTY_ANSWER: dict[str, Any] = {
    "roles_replace": None, "roles_add": [], "roles_remove": [],
    "locations_replace": None, "locations_add": [], "locations_remove": [],
    "skills_replace": None, "skills_add": [], "skills_remove": [],
    "anywhere_in_nigeria": None, "open_to_remote": None, "willing_to_relocate": None,
    "years_experience": None, "min_pay_amount": None, "min_pay_currency": None,
    "min_pay_period": None, "pay_negotiable": None, "arrangement": None,
}  # fmt: skip


def _message(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "resp_test",
        "object": "response",
        "output": [{"type": "message", "role": "assistant", "content": [content]}],
    }


def text_reply(text: str) -> tuple[int, dict[str, Any]]:
    return 200, _message({"type": "output_text", "text": text})


def answer(**fields: Any) -> tuple[int, dict[str, Any]]:
    return text_reply(json.dumps({**EMPTY_ANSWER, **fields}))


@dataclass
class FakeResponsesApi:
    """Answers POST /v1/responses with queued replies and records each request body."""

    replies: list[tuple[int, dict[str, Any]] | str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                fake.requests.append(json.loads(self.rfile.read(length)))
                reply = fake.replies.pop(0) if fake.replies else answer()
                if reply == "hang":
                    # Longer than the client waits; released when the test ends.
                    fake.released.wait(timeout=10)
                    reply = answer()
                assert not isinstance(reply, str)
                status, body = reply
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test output is not the place for request lines."""

        return Handler


@pytest.fixture
def fake_api() -> Iterator[tuple[FakeResponsesApi, OpenAI]]:
    fake = FakeResponsesApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    client = OpenAI(
        base_url=f"http://127.0.0.1:{server.server_address[1]}/v1", api_key="test", max_retries=0
    )
    yield fake, client
    fake.released.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def extract(
    fake_api: tuple[FakeResponsesApi, OpenAI],
) -> Callable[[str], Any]:
    _, client = fake_api
    extractor = OpenAIPreferenceExtractor(
        client, timeout_seconds=TIMEOUT_SECONDS, fallback=OfflinePreferenceExtractor()
    )
    return extractor.extract


def test_a_good_answer_is_read_through_the_vocabulary(
    fake_api: tuple[FakeResponsesApi, OpenAI], extract: Callable[[str], Any]
) -> None:
    fake, _ = fake_api
    fake.replies.append(
        answer(
            roles_replace=["Senior Python Dev"],
            locations_replace=["PH", "Lekki, Lagos"],
            years_experience=4,
            min_pay_amount=2000,
            min_pay_currency="USD",
            min_pay_period="month",
            arrangement="remote",
            skills_add=["ms excel"],
        )
    )

    update = extract("python dev, PH or Lekki, 4 yrs, $2k/month, remote, add excel to my skills")

    assert update.roles == ListChange[Role](replace=[Role("Python Developer", "software")])
    assert update.locations == ListChange[Place](
        replace=[Place("Port Harcourt", "Rivers"), Place("Lekki", "Lagos")]
    )
    assert update.years_experience == 4
    assert update.min_pay == Money(amount=Decimal(2000), currency="USD", period="month")
    assert update.arrangement is Arrangement.REMOTE
    assert update.skills == ListChange[str](add=["Excel"])


def test_a_title_outside_the_vocabulary_is_kept_in_no_family(
    fake_api: tuple[FakeResponsesApi, OpenAI], extract: Callable[[str], Any]
) -> None:
    fake, _ = fake_api
    fake.replies.append(answer(roles_add=["Astronaut"]))

    update = extract("add astronaut")

    assert update.roles == ListChange[Role](add=[Role("Astronaut", "other")])


def test_nigeria_as_a_location_means_anywhere_in_nigeria(
    fake_api: tuple[FakeResponsesApi, OpenAI], extract: Callable[[str], Any]
) -> None:
    fake, _ = fake_api
    fake.replies.append(answer(locations_replace=["Nigeria"]))

    update = extract("anywhere for 9ja")

    assert update.anywhere_in_nigeria is True
    assert update.locations == ListChange[Place](replace=[])


def test_the_request_asks_for_strict_structured_output(
    fake_api: tuple[FakeResponsesApi, OpenAI], extract: Callable[[str], Any]
) -> None:
    fake, _ = fake_api

    extract("x" * (MAX_INPUT_CHARACTERS + 500))

    request = fake.requests[0]
    assert request["model"] == "gpt-4o-mini"
    assert request["text"]["format"]["type"] == "json_schema"
    assert request["text"]["format"]["strict"] is True
    assert request["text"]["format"]["schema"]["additionalProperties"] is False
    assert [item["role"] for item in request["input"]] == ["system", "user"]
    assert len(request["input"][1]["content"]) == MAX_INPUT_CHARACTERS


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(text_reply("this is not json {"), id="junk-json"),
        pytest.param(text_reply(json.dumps({"roles": "sales"})), id="wrong-schema"),
        pytest.param(answer(years_experience=-3), id="value-out-of-range"),
        pytest.param(answer(min_pay_amount=0), id="zero-pay"),
        pytest.param(
            (200, _message({"type": "refusal", "refusal": "I can't help with that."})),
            id="refusal",
        ),
        pytest.param((200, {"id": "resp_test", "object": "response", "output": []}), id="empty"),
        pytest.param(answer(), id="nothing-found"),
        pytest.param((429, {"error": {"message": "Rate limit", "type": "rate_limit"}}), id="429"),
        pytest.param((500, {"error": {"message": "boom", "type": "server_error"}}), id="500"),
        pytest.param("hang", id="timeout"),
    ],
)
def test_any_failure_falls_back_to_the_offline_answer(
    fake_api: tuple[FakeResponsesApi, OpenAI],
    extract: Callable[[str], Any],
    reply: tuple[int, dict[str, Any]] | str,
) -> None:
    fake, _ = fake_api
    fake.replies.append(reply)

    update = extract(MESSAGE)

    assert update == OfflinePreferenceExtractor().extract(MESSAGE)


def test_a_fallback_is_logged_with_its_reason_and_without_the_message(
    fake_api: tuple[FakeResponsesApi, OpenAI],
    extract: Callable[[str], Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, _ = fake_api
    fake.replies.append(text_reply("junk"))

    extract(MESSAGE)

    [record] = [r for r in caplog.records if r.getMessage().startswith("preference extraction")]
    assert record.getMessage() == "preference extraction fell back to offline"
    assert record.__dict__["reason"] == "ValidationError"
    assert "sales rep" not in json.dumps(record.__dict__, default=str)


def test_without_a_key_the_extractor_is_the_offline_one() -> None:
    assert isinstance(preference_extractor(None), OfflinePreferenceExtractor)
    assert isinstance(preference_extractor(""), OfflinePreferenceExtractor)


def test_with_a_key_the_extractor_is_the_openai_one() -> None:
    assert isinstance(preference_extractor("sk-test"), OpenAIPreferenceExtractor)


def test_the_offline_path_never_imports_openai() -> None:
    script = (
        "import sys\n"
        "from aremu.channels.openai_extractor import preference_extractor\n"
        "preference_extractor(None).extract('sales rep in Lagos')\n"
        "print('openai' in sys.modules)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
