"""The window timer's Standard state machine, in Amazon States Language: one definition for
the CDK app and the local stack.

A loop: wait until the due time, run the step Lambda, and either wait again for what it
names next or stop. The step Lambda decides everything (remind, warn, expire, re-arm for a
newer message) from the window it re-reads, so the definition stays this small. Its input,
and the Lambda's answer, are `{candidate_id, epoch, step, due_at}`; the answer adds
`next` ("wait" or "stop") and `outcome`.
"""

from __future__ import annotations

from typing import Any

WAIT_STATE = "WaitUntilDue"
STEP_STATE = "RunStep"
CHOICE_STATE = "WaitAgainOrStop"
DONE_STATE = "Done"
STOP = "stop"

# Transient Lambda errors, retried quickly; anything the function raised (a throttled
# Graph API, a DynamoDB hiccup), retried more slowly. Steps are idempotent per window epoch.
_LAMBDA_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]
STEP_TIMEOUT_SECONDS = 60


def window_timer_definition(step_function_arn: str) -> dict[str, Any]:
    """The definition, invoking the window-timer step Lambda at `step_function_arn`."""
    return {
        "Comment": "Aremu 24-hour window timer: 4 hours left, battery warning, expiry",
        "StartAt": WAIT_STATE,
        "States": {
            WAIT_STATE: {"Type": "Wait", "TimestampPath": "$.due_at", "Next": STEP_STATE},
            STEP_STATE: {
                "Type": "Task",
                "Resource": step_function_arn,
                "Parameters": {
                    "candidate_id.$": "$.candidate_id",
                    "epoch.$": "$.epoch",
                    "step.$": "$.step",
                    "due_at.$": "$.due_at",
                    # Tells a duplicate execution (Scheduler fires at least once) from a
                    # retry of this one.
                    "execution_id.$": "$$.Execution.Id",
                    "execution_started_at.$": "$$.Execution.StartTime",
                },
                "ResultPath": "$",
                "TimeoutSeconds": STEP_TIMEOUT_SECONDS,
                "Retry": [
                    {
                        "ErrorEquals": _LAMBDA_ERRORS,
                        "IntervalSeconds": 2,
                        "MaxAttempts": 6,
                        "BackoffRate": 2.0,
                    },
                    {
                        "ErrorEquals": ["States.Timeout", "States.TaskFailed"],
                        "IntervalSeconds": 30,
                        "MaxAttempts": 4,
                        "BackoffRate": 2.0,
                    },
                ],
                "Next": CHOICE_STATE,
            },
            CHOICE_STATE: {
                "Type": "Choice",
                "Choices": [{"Variable": "$.next", "StringEquals": STOP, "Next": DONE_STATE}],
                "Default": WAIT_STATE,
            },
            DONE_STATE: {"Type": "Succeed"},
        },
    }
