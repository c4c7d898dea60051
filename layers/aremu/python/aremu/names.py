"""Names shared by the code that emits them and the CDK that wires and dashboards them."""

from __future__ import annotations

from enum import StrEnum

METRICS_NAMESPACE = "Aremu"
SERVICE_NAME = "aremu"
EVENT_SOURCE = "aremu"
EVENT_BUS_NAME = "aremu"
SCHEDULE_GROUP_NAME = "aremu"

# Set on every function (and on the local stack and the cold-import benchmark). Pydantic
# otherwise scans every installed distribution's entry points for plugins on the first
# model it builds: tens of milliseconds of cold start for plugins Aremu does not use.
RUNTIME_ENVIRONMENT = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}


class Metric(StrEnum):
    WEBHOOK_MESSAGES_STORED = "WebhookMessagesStored"
    WEBHOOK_DUPLICATES = "WebhookDuplicateMessages"
    WEBHOOK_UNKNOWN_TYPES = "WebhookUnknownMessageTypes"
    WEBHOOK_STATUSES_APPLIED = "WebhookStatusesApplied"
    WEBHOOK_STATUSES_IGNORED = "WebhookStatusesIgnored"
    WEBHOOK_REJECTED = "WebhookRejected"
    MESSAGES_SENT = "MessagesSent"
    SEND_FAILURES = "SendFailures"
    CANDIDATES_OPTED_IN = "CandidatesOptedIn"
    CANDIDATES_ACTIVATED = "CandidatesActivated"
    CANDIDATES_PAUSED = "CandidatesPaused"
    CANDIDATES_OPTED_OUT = "CandidatesOptedOut"
    CANDIDATES_ERASED = "CandidatesErased"
    PERSON_REQUESTED = "PersonRequested"
    JOBS_READ = "JobsRead"
    JOBS_STORED = "JobsStored"
    JOBS_DUPLICATES = "JobsDuplicates"
    JOBS_SKIPPED = "JobsSkipped"
    JOB_SITE_ERRORS = "JobSiteErrors"
    JOBS_ENHANCED_AI = "JobsEnhancedAI"
    JOBS_ENHANCED_OFFLINE = "JobsEnhancedOffline"
    ENHANCEMENT_FALLBACKS = "EnhancementFallbacks"
    ENHANCEMENT_COST_USD = "EnhancementEstimatedCostUSD"
    JOBS_MATCHED = "JobsMatched"
    ALERTS_QUEUED = "AlertsQueued"
    ALERTS_WAITING = "AlertsWaiting"
    ALERTS_DELIVERED = "AlertsDelivered"
    ALERTS_SKIPPED = "AlertsSkipped"
    DIGESTS_SENT = "DigestsSent"
    SEND_THROTTLED = "SendThrottled"
    MESSAGE_COST_USD = "MessageEstimatedCostUSD"
    TEMPLATES_SENT = "TemplatesSent"
    WINDOW_TIMERS_ARMED = "WindowTimersArmed"
    WINDOW_TIMERS_REARMED = "WindowTimersRearmed"
    WINDOW_REMINDERS_SENT = "WindowRemindersSent"
    WINDOWS_EXPIRED = "WindowsExpired"
    # Recruiters: takeovers and what came of them.
    OPERATOR_TAKEOVERS = "OperatorTakeovers"
    OPERATOR_HANDBACKS = "OperatorHandbacks"
    OPERATOR_MESSAGES_SENT = "OperatorMessagesSent"
    NUDGES_SENT = "NudgesSent"
    AT_RISK_DISMISSALS = "AtRiskDismissals"
    INTERVENTIONS_RETAINED = "InterventionsRetained"
    HOLDS_ENDED_BY_CANDIDATE = "HoldsEndedByCandidate"
    # Seconds from an at-risk alert in Slack to a recruiter acting on it.
    OPERATOR_RESPONSE_SECONDS = "OperatorResponseSeconds"
    # The recruitment journey (dimensions From/To, Stage, Reason).
    STAGE_CONVERSION = "StageConversion"
    TIME_IN_STAGE = "TimeInStage"
    DROP_OFF = "DropOff"
    JOURNEY_FOLLOW_FAILURES = "JourneyFollowFailures"
    # Risk runs: gauges (CandidatesInStage has a Stage dimension) and what each run did.
    CANDIDATES_IN_STAGE = "CandidatesInStage"
    CANDIDATES_AT_RISK = "CandidatesAtRisk"
    RISK_ALERTS_RAISED = "RiskAlertsRaised"
    RISK_EPISODES_CLOSED = "RiskEpisodesClosed"
    RISK_CANDIDATES_DUE = "RiskCandidatesDue"
    RISK_ITEMS_READ = "RiskItemsRead"
    # Slack.
    SLACK_ALERTS_POSTED = "SlackAlertsPosted"
    SLACK_MESSAGES_MIRRORED = "SlackMessagesMirrored"
    SLACK_HANDBACK_SUMMARIES_POSTED = "SlackHandbackSummariesPosted"
    SLACK_ACTIONS_REFUSED = "SlackActionsRefused"
    SLACK_TEMPLATE_OFFERS = "SlackTemplateOffers"
    SLACK_THREADS_NOT_OPENED = "SlackThreadsNotOpened"


class EventType(StrEnum):
    MESSAGE_RECEIVED = "MessageReceived"
    MESSAGE_SENT = "MessageSent"
    CANDIDATE_STATE_CHANGED = "CandidateStateChanged"
    CANDIDATE_AT_RISK = "CandidateAtRisk"
    OPERATOR_TAKEOVER = "OperatorTakeover"
    OPERATOR_HANDBACK = "OperatorHandback"
    # A candidate's message while a recruiter holds the conversation: what Slack mirrors,
    # so that the notifier is not invoked for every MessageReceived.
    HELD_MESSAGE_RECEIVED = "HeldMessageReceived"
    JOB_INGESTED = "JobIngested"
    JOB_ENHANCED = "JobEnhanced"
    JOB_MATCHED = "JobMatched"
    JOB_DELIVERED = "JobDelivered"
    WINDOW_REMINDER_SENT = "WindowReminderSent"
    WINDOW_EXPIRED = "WindowExpired"
