"""pynamodb models of the items in Aremu's single table, and the access patterns they serve.

| item            | pk                 | sk              | by_candidate (gsi1pk / gsi1sk)  |
|-----------------|--------------------|-----------------|---------------------------------|
| identity        | ID#wa#<wa_id> or   | IDENTITY        | CAND#<id> / ID#<kind>#<value>   |
|                 | ID#bsuid#<user_id> |                 |                                 |
| candidate       | CAND#<id>          | PROFILE         | STAGE#<stage> / <last in>#<id>  |
| window          | CAND#<id>          | WINDOW          | -                               |
| message         | CAND#<id>          | MSG#<wamid>     | CAND#<id> / MSG#<iso time>#<id> |
| transition      | CAND#<id>          | STAGE#<iso>#<n> | -                               |
| delivery        | CAND#<id>          | DELIVERY#<job>  | -                               |
| event           | CAND#<id>          | EVENT#<iso>#<n> | -                               |
| intervention    | CAND#<id>          | INTERVENTION#   | -                               |
|                 |                    | <iso>#<action>  |                                 |
| send claim      | CAND#<id>          | SEND#<key>      | -                               |
| slack thread    | ID#slack#<channel> | IDENTITY        | CAND#<id> / ID#slack#<channel># |
|                 | #<thread ts>       |                 | <thread ts>                     |

Access patterns, each a GetItem, BatchGetItem or Query on a key:
- who sent this message: BatchGetItem on the sender's identity items (phone and/or user id);
- store an inbound message exactly once: conditional Put on CAND#<id> / MSG#<wamid> (in one
  transaction with the candidate and window updates);
- apply a status callback: GetItem on the recipient's identity, then a conditional Update;
- a candidate's profile or window: GetItem on CAND#<id>;
- candidates in a stage, by last activity (risk runs, search plans): Query by_candidate
  on STAGE#<stage>;
- a candidate's conversation in time order: Query by_candidate on MSG#;
- everything to erase: Query CAND#<id>, plus Query by_candidate for the identities (a
  Slack thread is one: it goes with the candidate);
- take over / hand back: conditional Update of CAND#<id> / PROFILE on `operator_id`, in one
  transaction with the intervention item and the outbox event;
- the candidate behind a Slack thread reply: GetItem on ID#slack#<channel>#<thread ts>
  (written when the thread is attached to a hold), then GetItem on CAND#<id>;
- one send per Slack event: conditional Put of CAND#<id> / SEND#<key> (see interventions);
- a candidate's interventions: Query CAND#<id> on INTERVENTION#;
- find a candidate (a recruiter's admin command): by phone, GetItem on ID#wa#<wa_id>; by
  name, a Query by_candidate per STAGE#<stage>, newest first and capped, filtered on
  `profile_name`: bounded, never a Scan.

Messages share their candidate's partition key on purpose: the table stream keeps the
records of one partition key in order on one shard, so a candidate's messages reach the
conversation consumer one after another, never concurrently.

The candidate id is random and opaque, so it can appear in logs and metrics where a phone
number never may.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from aremu.config import Settings
from aremu.storage import schema


class _TableMeta:
    table_name = "aremu"
    region: str | None = None
    host: str | None = None


class ByCandidateIndex(GlobalSecondaryIndex["_Item"]):
    class Meta:
        index_name = schema.BY_CANDIDATE_INDEX
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _Item(Model):
    """Keys every item shares; `kind` lets stream filters tell the entities apart."""

    class Meta(_TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()


def candidate_key(candidate_id: str) -> str:
    return f"CAND#{candidate_id}"


def stage_key(stage: str) -> str:
    return f"STAGE#{stage}"


def activity_key(last_activity: datetime, candidate_id: str) -> str:
    return f"{last_activity.isoformat()}#{candidate_id}"


def message_sort_key(message_id: str) -> str:
    return f"MSG#{message_id}"


def identity_key(kind: str, value: str) -> str:
    return f"ID#{kind}#{value}"


class IdentityItem(_Item):
    class Meta(_TableMeta):
        pass

    SORT_KEY: ClassVar[str] = "IDENTITY"
    kind = UnicodeAttribute(default="identity")

    candidate_id = UnicodeAttribute()
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_candidate = ByCandidateIndex()


class CandidateItem(_Item):
    class Meta(_TableMeta):
        pass

    SORT_KEY: ClassVar[str] = "PROFILE"
    kind = UnicodeAttribute(default="candidate")

    candidate_id = UnicodeAttribute()
    wa_id = UnicodeAttribute(null=True)
    bsuid = UnicodeAttribute(null=True)
    username = UnicodeAttribute(null=True)
    profile_name = UnicodeAttribute(null=True)
    state = UnicodeAttribute(default="new")
    created_at = UTCDateTimeAttribute()
    last_inbound_at = UTCDateTimeAttribute(null=True)
    # The inbound before the latest one: tells whether the latest reopened a closed window.
    previous_inbound_at = UTCDateTimeAttribute(null=True)
    messages_in = NumberAttribute(default=0)
    # The conversation's memory: what was asked last and what the candidate wants.
    awaiting = UnicodeAttribute(null=True)
    preferences = JSONAttribute(null=True)
    stage_changed_at = UTCDateTimeAttribute(null=True)
    needs_person_at = UTCDateTimeAttribute(null=True)
    # Delivery: the daily cap's count in the candidate's local day, and job titles they
    # said "not interested" to.
    alerts_day = UnicodeAttribute(null=True)
    alerts_today = NumberAttribute(null=True)
    muted_titles = ListAttribute(of=UnicodeAttribute, null=True)
    last_template_at = UTCDateTimeAttribute(null=True)
    # A recruiter holding the conversation (a takeover): the bot, alerts and reminders stay
    # silent while `operator_id` is set. The thread is where Slack mirrors the conversation.
    operator_id = UnicodeAttribute(null=True)
    operator_since = UTCDateTimeAttribute(null=True)
    operator_reason = UnicodeAttribute(null=True)
    operator_channel = UnicodeAttribute(null=True)
    operator_thread_ts = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    by_stage = ByCandidateIndex()


class WindowItem(_Item):
    """The candidate's 24-hour customer-service window; `epoch` changes on every extension."""

    class Meta(_TableMeta):
        pass

    SORT_KEY: ClassVar[str] = "WINDOW"
    kind = UnicodeAttribute(default="window")

    candidate_id = UnicodeAttribute()
    last_inbound_at = UTCDateTimeAttribute()
    epoch = NumberAttribute(default=0)


class MessageItem(_Item):
    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="message")

    message_id = UnicodeAttribute()
    candidate_id = UnicodeAttribute()
    direction = UnicodeAttribute()  # "in" or "out"
    message_type = UnicodeAttribute()
    text = UnicodeAttribute(null=True)
    # The id of the button or list row the candidate tapped, when they tapped one.
    button_id = UnicodeAttribute(null=True)
    # Type-specific content (button ids, media ids, location…) kept as Meta sent it.
    content = JSONAttribute(null=True)
    reply_to = UnicodeAttribute(null=True)
    sent_at = UTCDateTimeAttribute()
    stored_at = UTCDateTimeAttribute()
    # Who wrote an outbound message: the bot, or a recruiter (operator) from Slack.
    operator_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    status_rank = NumberAttribute(null=True)
    status_at = UTCDateTimeAttribute(null=True)
    errors = JSONAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    expires_at = TTLAttribute(null=True)
    by_candidate = ByCandidateIndex()


class TransitionItem(_Item):
    """One change of a candidate's stage; the journey is the Query of these in time order."""

    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="transition")
    candidate_id = UnicodeAttribute()
    previous_stage = UnicodeAttribute()
    new_stage = UnicodeAttribute()
    trigger = UnicodeAttribute()
    at = UTCDateTimeAttribute()


def transition_sort_key(at: datetime, sequence: int) -> str:
    return f"STAGE#{at.isoformat()}#{sequence}"


class OutboxEventItem(_Item):
    """A domain event written in the same transaction as the change it reports.

    The stream hands it to the events publisher (the outbox), so an event is never lost
    when a function fails after its write, and never invented when the write failed.
    For events that no other item already describes: at-risk episodes, takeovers,
    handbacks, window reminders.
    """

    class Meta(_TableMeta):
        pass

    kind = UnicodeAttribute(default="event")
    candidate_id = UnicodeAttribute()
    detail_type = UnicodeAttribute()
    detail = JSONAttribute()
    at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)


def outbox_event(
    candidate_id: str,
    detail_type: str,
    detail: dict[str, object],
    at: datetime,
    retention: timedelta = timedelta(days=30),
) -> OutboxEventItem:
    """An event item, unique per candidate, type and moment (a retried write is a no-op)."""
    return OutboxEventItem(
        candidate_key(candidate_id),
        f"EVENT#{at.isoformat()}#{detail_type}",
        candidate_id=candidate_id,
        detail_type=detail_type,
        detail=detail,
        at=at,
        expires_at=at + retention,
    )


ALL_MODELS: tuple[type[_Item], ...] = (
    IdentityItem,
    CandidateItem,
    WindowItem,
    MessageItem,
    TransitionItem,
    OutboxEventItem,
)


def bind_models(settings: Settings) -> None:
    """Point every model at the configured table and endpoint; called once per container."""
    # Imported here: these modules build on this module's base item.
    from aremu.storage.deliveries import DeliveryItem
    from aremu.storage.interventions import DESK_MODELS
    from aremu.storage.jobs import JOB_MODELS
    from aremu.storage.journey import JOURNEY_MODELS
    from aremu.storage.risk import RISK_MODELS

    models: tuple[type[_Item], ...] = (
        *ALL_MODELS,
        *JOB_MODELS,
        DeliveryItem,
        *DESK_MODELS,
        *JOURNEY_MODELS,
        *RISK_MODELS,
        _Item,
    )
    for model in models:
        model.Meta.table_name = settings.table_name
        model.Meta.region = settings.region
        model.Meta.host = settings.aws_endpoint_url
        model._connection = None
