"""The delivery outbox: an SQS queue of send requests, consumed by the paced sender."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

# SendMessageBatch takes at most ten entries per call.
MAX_BATCH = 10


class SendRequest(BaseModel):
    kind: Literal["alert", "digest"]
    candidate_id: str
    job_id: str | None = None


class Outbox:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self._queue_url = queue_url

    def enqueue(self, requests: list[SendRequest]) -> None:
        for start in range(0, len(requests), MAX_BATCH):
            chunk = requests[start : start + MAX_BATCH]
            response = self._client.send_message_batch(
                QueueUrl=self._queue_url,
                Entries=[
                    {"Id": str(index), "MessageBody": request.model_dump_json()}
                    for index, request in enumerate(chunk)
                ],
            )
            if response.get("Failed"):
                # Raising fails the matcher's batch: the stream retries and the delivery
                # records already written keep the retry from sending anything twice.
                raise RuntimeError(f"outbox refused {len(response['Failed'])} requests")


def parse_request(body: str) -> SendRequest:
    return SendRequest.model_validate(json.loads(body))
