"""Alarms on every function, stream, dead-letter queue and the API; the "Aremu" dashboard."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aremu import names
from aremu.names import Metric
from aremu.wiring import FUNCTIONS, FunctionSpec
from infra.cdk.constructs.monitoring import error_rate_expression, product_metric_groups
from tests.infra.synthesized import Synthesized

SPECS = pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
STREAM_CONSUMERS = [spec for spec in FUNCTIONS if spec.streams()]


@pytest.fixture(params=["synthesized", "fake_synthesized"])
def each_stack(request: pytest.FixtureRequest) -> Synthesized:
    stack: Synthesized = request.getfixturevalue(request.param)
    return stack


def alarms(synthesized: Synthesized) -> list[dict[str, Any]]:
    return [a["Properties"] for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()]


def alarms_on(
    synthesized: Synthesized, metric_name: str, dimension: str, value: Any
) -> list[dict[str, Any]]:
    return [
        alarm
        for alarm in alarms(synthesized)
        if alarm.get("MetricName") == metric_name
        and alarm["Dimensions"] == [{"Name": dimension, "Value": value}]
    ]


def function_ref(synthesized: Synthesized, spec: FunctionSpec) -> dict[str, str]:
    return {"Ref": synthesized.logical_id(synthesized.stack.functions.by_name[spec.name])}


def error_rate_alarm(synthesized: Synthesized, spec: FunctionSpec) -> dict[str, Any]:
    def reads(alarm: dict[str, Any], metric_name: str) -> bool:
        return any(
            query.get("MetricStat", {}).get("Metric", {}).get("MetricName") == metric_name
            and query["MetricStat"]["Metric"]["Dimensions"]
            == [{"Name": "FunctionName", "Value": function_ref(synthesized, spec)}]
            for query in alarm["Metrics"]
        )

    (alarm,) = [
        a
        for a in alarms(synthesized)
        if "Metrics" in a and reads(a, "Errors") and reads(a, "Invocations")
    ]
    return alarm


def dead_letter_queue_ids(synthesized: Synthesized) -> set[str]:
    """Every queue something sends its failures to, found from the senders' side."""
    ids: set[str] = set()
    for resource in synthesized.resources.values():
        props = resource.get("Properties", {})
        match resource["Type"]:
            case "AWS::Lambda::EventSourceMapping" if "DestinationConfig" in props:
                ids.add(props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0])
            case "AWS::Lambda::EventInvokeConfig":
                ids.add(props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0])
            case "AWS::SQS::Queue" if "RedrivePolicy" in props:
                ids.add(props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0])
            case "AWS::Events::Rule":
                ids |= {
                    t["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
                    for t in props["Targets"]
                    if "DeadLetterConfig" in t
                }
    return ids


def dashboard_body(synthesized: Synthesized) -> dict[str, Any]:
    props = synthesized.properties(synthesized.stack.monitoring.dashboard)
    # Tokens (function names, queue names) are in Fn::Join parts; their values do not matter.
    parts = props["DashboardBody"]["Fn::Join"][1]
    body: dict[str, Any] = json.loads("".join(p if isinstance(p, str) else "TOKEN" for p in parts))
    return body


def dashboard_metrics(synthesized: Synthesized) -> list[tuple[str, str]]:
    """(namespace, metric name) of every metric drawn; math expressions are skipped."""
    return [
        (metric[0], metric[1])
        for widget in dashboard_body(synthesized)["widgets"]
        for metric in widget["properties"].get("metrics", [])
        if isinstance(metric[0], str)
    ]


def test_alarm_topic_is_encrypted_and_ssl_only(synthesized: Synthesized) -> None:
    topic = synthesized.stack.monitoring.topic
    topic_ref = {"Ref": synthesized.logical_id(topic)}
    policies = synthesized.of_type("AWS::SNS::TopicPolicy").values()

    (policy,) = [p for p in policies if topic_ref in p["Properties"]["Topics"]]

    assert "KmsMasterKeyId" in synthesized.properties(topic)
    assert {
        "Effect": "Deny",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }.items() <= policy["Properties"]["PolicyDocument"]["Statement"][0].items()


def test_cloudwatch_may_publish_to_the_alarm_topic_and_use_its_key(
    synthesized: Synthesized,
) -> None:
    topic_ref = {"Ref": synthesized.logical_id(synthesized.stack.monitoring.topic)}
    key_id = synthesized.properties(synthesized.stack.monitoring.topic)["KmsMasterKeyId"][
        "Fn::GetAtt"
    ][0]
    topic_policy = next(
        p
        for p in synthesized.of_type("AWS::SNS::TopicPolicy").values()
        if topic_ref in p["Properties"]["Topics"]
    )
    cloudwatch = {"Service": "cloudwatch.amazonaws.com"}

    topic_allows = [
        s["Action"]
        for s in topic_policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow" and s["Principal"] == cloudwatch
    ]
    key_allows = [
        s["Action"]
        for s in synthesized.resources[key_id]["Properties"]["KeyPolicy"]["Statement"]
        if s["Principal"] == cloudwatch
    ]

    assert topic_allows == ["sns:Publish"]
    assert key_allows == [["kms:Decrypt", "kms:GenerateDataKey*"]]


def test_every_alarm_notifies_the_alarm_topic(each_stack: Synthesized) -> None:
    topic_ref = {"Ref": each_stack.logical_id(each_stack.stack.monitoring.topic)}

    actions = [(a["AlarmActions"], a["OKActions"]) for a in alarms(each_stack)]

    assert actions
    assert all(alarm == ok == [topic_ref] for alarm, ok in actions)


def test_every_alarm_treats_missing_data_as_fine(each_stack: Synthesized) -> None:
    assert {a["TreatMissingData"] for a in alarms(each_stack)} == {"notBreaching"}


@SPECS
def test_function_alarms_above_one_percent_errors_over_five_minutes(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    alarm = error_rate_alarm(synthesized, spec)

    (expression,) = [q for q in alarm["Metrics"] if "Expression" in q]
    assert expression["Expression"] == error_rate_expression("errors", "invocations")
    assert {q["Id"] for q in alarm["Metrics"]} >= {"errors", "invocations"}
    assert {q["MetricStat"]["Period"] for q in alarm["Metrics"] if "MetricStat" in q} == {300}
    assert alarm["Threshold"] == 1
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_error_rate_expression_is_a_percentage_of_invocations() -> None:
    expression = error_rate_expression("e", "i")

    assert expression == "IF(i > 0, 100 * e / i, 0)"


@SPECS
def test_function_alarms_on_any_throttle(synthesized: Synthesized, spec: FunctionSpec) -> None:
    (alarm,) = alarms_on(synthesized, "Throttles", "FunctionName", function_ref(synthesized, spec))

    assert alarm["Statistic"] == "Sum"
    assert alarm["Threshold"] == 0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


@pytest.mark.parametrize("spec", STREAM_CONSUMERS, ids=lambda spec: spec.name)
def test_stream_consumer_alarms_when_30_seconds_behind(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    (alarm,) = alarms_on(
        synthesized, "IteratorAge", "FunctionName", function_ref(synthesized, spec)
    )

    assert alarm["Statistic"] == "Maximum"
    assert alarm["Threshold"] == 30_000
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_the_fake_wiring_has_every_kind_of_dead_letter_queue(
    fake_synthesized: Synthesized,
) -> None:
    stack = fake_synthesized.stack

    assert stack.queues.dead_letter_queues
    assert stack.events.dead_letter_queues
    assert stack.functions.failed_invocation_queues


def test_every_dead_letter_queue_alarms_on_its_first_message(each_stack: Synthesized) -> None:
    queue_ids = dead_letter_queue_ids(each_stack)

    unwatched = {
        queue_id
        for queue_id in queue_ids
        if [
            (a["Statistic"], a["Threshold"], a["ComparisonOperator"])
            for a in alarms_on(
                each_stack,
                "ApproximateNumberOfMessagesVisible",
                "QueueName",
                {"Fn::GetAtt": [queue_id, "QueueName"]},
            )
        ]
        != [("Maximum", 0, "GreaterThanThreshold")]
    }

    assert queue_ids
    assert unwatched == set()


def test_api_alarms_when_p99_latency_exceeds_one_second(synthesized: Synthesized) -> None:
    api_ref = {"Ref": synthesized.logical_id(synthesized.stack.api.http_api)}

    (alarm,) = alarms_on(synthesized, "Latency", "ApiId", api_ref)

    assert alarm["Namespace"] == "AWS/ApiGateway"
    assert alarm["ExtendedStatistic"] == "p99"
    assert alarm["Threshold"] == 1_000
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_api_alarms_on_any_server_error(synthesized: Synthesized) -> None:
    api_ref = {"Ref": synthesized.logical_id(synthesized.stack.api.http_api)}

    (alarm,) = alarms_on(synthesized, "5xx", "ApiId", api_ref)

    assert alarm["Namespace"] == "AWS/ApiGateway"
    assert alarm["Statistic"] == "Sum"
    assert alarm["Threshold"] == 0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_dashboard_is_named_aremu(synthesized: Synthesized) -> None:
    props = synthesized.properties(synthesized.stack.monitoring.dashboard)

    assert props["DashboardName"] == "Aremu"


def test_dashboard_draws_only_metric_names_the_code_emits(synthesized: Synthesized) -> None:
    product = {name for namespace, name in dashboard_metrics(synthesized) if namespace == "Aremu"}

    assert product
    assert product <= {member.value for member in Metric}


def test_dashboard_draws_every_metric_the_code_emits(synthesized: Synthesized) -> None:
    drawn = set(dashboard_metrics(synthesized))

    assert {(names.METRICS_NAMESPACE, member.value) for member in Metric} <= drawn


def test_dashboard_product_metrics_carry_the_powertools_service_dimension(
    synthesized: Synthesized,
) -> None:
    product = [
        metric
        for widget in dashboard_body(synthesized)["widgets"]
        for metric in widget["properties"].get("metrics", [])
        if metric[0] == names.METRICS_NAMESPACE
    ]

    assert product
    assert all(metric[2:4] == ["service", names.SERVICE_NAME] for metric in product)


def test_dashboard_has_a_health_and_a_product_section(synthesized: Synthesized) -> None:
    headings = [
        widget["properties"]["markdown"]
        for widget in dashboard_body(synthesized)["widgets"]
        if widget["type"] == "text"
    ]

    assert headings == ["## Health", "## Product"]


def test_every_metric_member_is_in_exactly_one_product_widget() -> None:
    groups = product_metric_groups()

    placed = [member for members in groups.values() for member in members]

    assert sorted(placed) == sorted(Metric)
    assert all(groups.values())
