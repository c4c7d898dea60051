"""Alarms on every function, stream, dead-letter queue and the API; the "Aremu" dashboard."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from aremu import names
from aremu.config import Settings
from aremu.names import Metric
from aremu.wiring import FUNCTIONS, FunctionSpec
from bench.monthly_cost import alarm_metric_count
from infra.cdk.constructs.monitoring import (
    OTHER_PRODUCT_METRICS,
    PRODUCT_WIDGETS,
    Search,
    error_rate_expression,
    product_widgets,
    ratio_expression,
)
from tests.infra.synthesized import Synthesized

SPECS = pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
STREAM_CONSUMERS = [spec for spec in FUNCTIONS if spec.streams()]
JOURNEY_STAGES = Settings().journey_stages.split(",")
# SEARCH('{schema} MetricName="name" service="aremu"', 'statistic', period)
SEARCH = re.compile(
    r"SEARCH\('\{(?P<schema>[^}]*)\} MetricName=\"(?P<name>\w+)\" "
    r"service=\"(?P<service>\w+)\"', '(?P<statistic>\w+)', (?P<period>\d+)\)"
)


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


def widgets_titled(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        widget["properties"]["title"]: widget
        for widget in dashboard_body(synthesized)["widgets"]
        if "title" in widget["properties"]
    }


def expressions(widget: dict[str, Any]) -> dict[str, str]:
    """label -> metric math expression of a widget's math lines."""
    return {
        metric[0]["label"]: metric[0]["expression"]
        for metric in widget["properties"]["metrics"]
        if isinstance(metric[0], dict)
    }


def searches(widget: dict[str, Any]) -> list[dict[str, str]]:
    """The parts of each SEARCH expression a widget draws."""
    return [
        match.groupdict()
        for expression in expressions(widget).values()
        for match in SEARCH.finditer(expression)
    ]


def lines(widget: dict[str, Any]) -> list[tuple[str, dict[str, str], dict[str, Any]]]:
    """(metric name, dimensions, options) of a widget's metric lines; math lines skipped."""
    found = []
    for metric in widget["properties"]["metrics"]:
        if not isinstance(metric[0], str):
            continue
        options = metric[-1] if isinstance(metric[-1], dict) else {}
        pairs = metric[2:-1] if options else metric[2:]
        found.append((metric[1], dict(zip(pairs[::2], pairs[1::2], strict=True)), options))
    return found


def dashboard_metrics(synthesized: Synthesized) -> list[tuple[str, str]]:
    """(namespace, metric name) of every metric drawn, searched ones included."""
    drawn = []
    for widget in dashboard_body(synthesized)["widgets"]:
        if "metrics" not in widget["properties"]:
            continue
        drawn += [
            (metric[0], metric[1])
            for metric in widget["properties"]["metrics"]
            if isinstance(metric[0], str)
        ]
        drawn += [(found["schema"].split(",")[0], found["name"]) for found in searches(widget)]
    return drawn


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


def test_alarm_topic_arn_is_an_output_to_subscribe_to(synthesized: Synthesized) -> None:
    monitoring = synthesized.stack.monitoring

    output = synthesized.outputs[synthesized.logical_id(monitoring.topic_output)]

    assert output["Value"] == {"Ref": synthesized.logical_id(monitoring.topic)}


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
    widgets = [w for w in dashboard_body(synthesized)["widgets"] if "metrics" in w["properties"]]
    product = [
        dimensions
        for widget in widgets
        for name, dimensions, _ in lines(widget)
        if name in Metric.__members__.values()
    ]
    searched = [found for widget in widgets for found in searches(widget)]

    assert product
    assert searched
    assert all(dimensions["service"] == names.SERVICE_NAME for dimensions in product)
    assert all(
        found["service"] == names.SERVICE_NAME and "service" in found["schema"].split(",")
        for found in searched
    )


def test_dashboard_has_a_health_and_a_product_section(synthesized: Synthesized) -> None:
    headings = [
        widget["properties"]["markdown"]
        for widget in dashboard_body(synthesized)["widgets"]
        if widget["type"] == "text"
    ]

    assert headings == ["## Health", "## Product"]


def test_every_metric_member_is_drawn_by_some_product_widget() -> None:
    drawn = set().union(*(widget.drawn for widget in product_widgets()))

    assert drawn == set(Metric)


def test_no_product_widget_is_empty() -> None:
    assert all(widget.drawn for widget in product_widgets())


def test_members_no_widget_names_land_in_the_catch_all_widget() -> None:
    named = set().union(*(widget.drawn for widget in PRODUCT_WIDGETS))

    catch_all = [w for w in product_widgets() if w.title == OTHER_PRODUCT_METRICS]

    leftovers = set(Metric) - named
    assert [set(w.metrics) for w in catch_all] == ([leftovers] if leftovers else [])


def test_ratio_expression_is_a_percentage_of_the_sum_of_its_denominators() -> None:
    expression = ratio_expression("p", ["p", "f"])

    assert expression == "IF((p + f) > 0, 100 * p / (p + f), 0)"


@pytest.mark.parametrize(
    "title",
    [
        "Funnel: candidates entering each stage",
        "Funnel conversion (%)",
        "Messages in",
        "Messages out",
        "Job alerts",
        "Paid vs free messages",
        "Estimated spend in range (USD)",
        "Window reminders and expiries",
        "Funnel: candidates by stage",
        "Stage conversion and drop-off",
        "Time in stage",
        "At-risk candidates and interventions",
        "Operator response time",
        "Recruiters in Slack",
        "Risk runs",
    ],
)
def test_dashboard_has_the_product_widget(synthesized: Synthesized, title: str) -> None:
    assert title in widgets_titled(synthesized)


@pytest.mark.parametrize(
    "title",
    [
        "Function error rate (%)",
        "Errors",
        "Throttles",
        "Duration p99 (ms)",
        "Stream iterator age, max (ms)",
        "Dead-letter queues (messages)",
        "HTTP API latency (ms)",
        "HTTP API requests and errors",
    ],
)
def test_dashboard_has_the_health_widget(synthesized: Synthesized, title: str) -> None:
    assert title in widgets_titled(synthesized)


def test_funnel_conversion_is_activated_candidates_as_a_share_of_opted_in(
    synthesized: Synthesized,
) -> None:
    widget = widgets_titled(synthesized)["Funnel conversion (%)"]

    assert expressions(widget)["opted in → active"] == ratio_expression(
        "candidates_activated", ["candidates_opted_in"]
    )


def test_paid_share_is_templates_over_all_messages_sent(synthesized: Synthesized) -> None:
    widget = widgets_titled(synthesized)["Paid vs free messages"]

    assert expressions(widget)["paid share (%)"] == ratio_expression(
        "templates_sent", ["templates_sent", "messages_sent"]
    )


def test_estimated_spend_is_one_number_over_the_dashboard_range(
    synthesized: Synthesized,
) -> None:
    props = widgets_titled(synthesized)["Estimated spend in range (USD)"]["properties"]

    drawn = {metric[1] for metric in props["metrics"]}

    assert props["view"] == "singleValue"
    assert props["setPeriodToTimeRange"] is True
    assert drawn == {Metric.MESSAGE_COST_USD.value, Metric.ENHANCEMENT_COST_USD.value}


def test_funnel_by_stage_draws_each_journey_stage_at_its_maximum(
    synthesized: Synthesized,
) -> None:
    widget = widgets_titled(synthesized)["Funnel: candidates by stage"]

    drawn = [(name, dims["Stage"], options["stat"]) for name, dims, options in lines(widget)]

    assert drawn == [("CandidatesInStage", stage, "Maximum") for stage in JOURNEY_STAGES]


def test_time_in_stage_draws_each_journey_stage_at_its_median(synthesized: Synthesized) -> None:
    widget = widgets_titled(synthesized)["Time in stage"]

    drawn = [(name, dims["Stage"], options["stat"]) for name, dims, options in lines(widget)]

    assert drawn == [("TimeInStage", stage, "p50") for stage in JOURNEY_STAGES]


def test_stage_conversion_and_drop_off_sum_every_pair_and_reason(synthesized: Synthesized) -> None:
    widget = widgets_titled(synthesized)["Stage conversion and drop-off"]

    searched = {(f["name"], f["schema"], f["statistic"], f["period"]) for f in searches(widget)}

    assert searched == {
        ("StageConversion", "Aremu,From,To,service", "Sum", "300"),
        ("DropOff", "Aremu,Reason,Stage,service", "Sum", "300"),
    }


def test_search_expression_names_the_metric_its_dimensions_and_the_service() -> None:
    search = Search(Metric.DROP_OFF, ("Stage", "Reason"), "label")

    assert search.expression == (
        'SEARCH(\'{Aremu,Reason,Stage,service} MetricName="DropOff" service="aremu"\', '
        "'Sum', 300)"
    )


def test_at_risk_widget_reads_the_gauge_at_its_maximum_and_sums_interventions(
    synthesized: Synthesized,
) -> None:
    widget = widgets_titled(synthesized)["At-risk candidates and interventions"]

    statistics = {name: options["stat"] for name, _, options in lines(widget)}

    assert statistics == {
        "CandidatesAtRisk": "Maximum",
        "RiskAlertsRaised": "Sum",
        "OperatorTakeovers": "Sum",
        "NudgesSent": "Sum",
        "AtRiskDismissals": "Sum",
        "OperatorHandbacks": "Sum",
        "InterventionsRetained": "Sum",
    }


def test_intervention_success_rate_is_retained_over_handbacks_on_the_right_axis(
    synthesized: Synthesized,
) -> None:
    widget = widgets_titled(synthesized)["At-risk candidates and interventions"]

    (rate,) = [
        metric[0]
        for metric in widget["properties"]["metrics"]
        if isinstance(metric[0], dict) and metric[0]["label"] == "intervention success rate (%)"
    ]

    assert rate["expression"] == ratio_expression("interventions_retained", ["operator_handbacks"])
    assert rate["yAxis"] == "right"


def test_operator_response_time_draws_its_median_and_90th_percentile(
    synthesized: Synthesized,
) -> None:
    widget = widgets_titled(synthesized)["Operator response time"]

    drawn = sorted((name, options["stat"]) for name, _, options in lines(widget))

    assert drawn == [("OperatorResponseSeconds", "p50"), ("OperatorResponseSeconds", "p90")]


def test_every_state_machine_alarms_on_a_failed_execution(synthesized: Synthesized) -> None:
    machine_ids = set(synthesized.of_type("AWS::StepFunctions::StateMachine"))

    watched = {
        alarm["Dimensions"][0]["Value"]["Ref"]
        for alarm in alarms(synthesized)
        if alarm.get("Namespace") == "AWS/States"
        and alarm["MetricName"] == "ExecutionsFailed"
        and alarm["Statistic"] == "Sum"
        and alarm["Threshold"] == 0
    }

    assert machine_ids
    assert watched == machine_ids


def test_cost_model_counts_the_alarm_metrics_the_template_bills(
    synthesized: Synthesized,
) -> None:
    billed = sum(
        sum(1 for query in alarm["Metrics"] if "MetricStat" in query) if "Metrics" in alarm else 1
        for alarm in alarms(synthesized)
    )

    assert alarm_metric_count(FUNCTIONS) == billed
