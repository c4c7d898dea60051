"""Alarms to an SNS topic, and the "Aremu" dashboard: platform health, then product metrics.

The product section is built only from `aremu.names.Metric`, the names the code emits, so
the dashboard and the code cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from aremu import names
from aremu.names import Metric
from infra.cdk.constructs.api import Api
from infra.cdk.constructs.functions import Functions

DASHBOARD_NAME = "Aremu"
PERIOD = Duration.minutes(5)

ERROR_RATE_PERCENT = 1
ITERATOR_AGE_MS = 30_000
API_P99_LATENCY_MS = 1_000

# Webhook-in is every WEBHOOK_ member; messages-out is named; anything else lands in the
# catch-all, so a new member shows up on the dashboard without touching this file.
MESSAGES_OUT = (Metric.MESSAGES_SENT, Metric.SEND_FAILURES)
OTHER_PRODUCT_METRICS = "Other product metrics"

CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"


def error_rate_expression(errors_id: str = "errors", invocations_id: str = "invocations") -> str:
    # IF() keeps a quiet function at 0 % rather than dividing by zero.
    return f"IF({invocations_id} > 0, 100 * {errors_id} / {invocations_id}, 0)"


def product_metric_groups() -> dict[str, list[Metric]]:
    """Every `Metric` member, each in exactly one dashboard widget."""
    groups: dict[str, list[Metric]] = {
        "Webhook in": [m for m in Metric if m.name.startswith("WEBHOOK_")],
        "Messages out": [m for m in Metric if m in MESSAGES_OUT],
    }
    grouped = {m for members in groups.values() for m in members}
    others = [m for m in Metric if m not in grouped]
    if others:
        groups[OTHER_PRODUCT_METRICS] = others
    return groups


def product_metric(member: Metric) -> cloudwatch.Metric:
    # Powertools adds the `service` dimension to every metric it flushes.
    return cloudwatch.Metric(
        namespace=names.METRICS_NAMESPACE,
        metric_name=member.value,
        dimensions_map={"service": names.SERVICE_NAME},
        statistic=cloudwatch.Stats.SUM,
        period=PERIOD,
        label=member.value,
    )


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Functions,
        stream_consumers: Iterable[str],
        dead_letter_queues: Iterable[sqs.IQueue],
        api: Api,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = self._alarm_topic()
        self.alarms: list[cloudwatch.Alarm] = []
        stream_consumers = sorted(set(stream_consumers))
        dead_letter_queues = list(dead_letter_queues)

        self.error_rate_alarms: dict[str, cloudwatch.Alarm] = {}
        self.throttle_alarms: dict[str, cloudwatch.Alarm] = {}
        for name, function in functions.by_name.items():
            self.error_rate_alarms[name] = self._alarm(
                f"{name}ErrorRate",
                _error_rate(function),
                threshold=ERROR_RATE_PERCENT,
                description=f"{name}: more than {ERROR_RATE_PERCENT} % of invocations failed "
                "in 5 minutes",
            )
            self.throttle_alarms[name] = self._alarm(
                f"{name}Throttles",
                function.metric_throttles(statistic=cloudwatch.Stats.SUM, period=PERIOD),
                threshold=0,
                description=f"{name} was throttled: its events wait or are retried",
            )

        self.iterator_age_alarms = {
            name: self._alarm(
                f"{name}IteratorAge",
                _iterator_age(functions.by_name[name]),
                threshold=ITERATOR_AGE_MS,
                description=f"{name} is more than {ITERATOR_AGE_MS // 1000} s behind the "
                "table stream (records expire after 24 h)",
            )
            for name in stream_consumers
        }

        self.dead_letter_alarms = {
            queue.node.id: self._alarm(
                f"{queue.node.id}NotEmpty",
                _messages_visible(queue),
                threshold=0,
                description=f"{queue.node.id} holds failed work: inspect and redrive it",
            )
            for queue in dead_letter_queues
        }

        self.api_latency_alarm = self._alarm(
            "ApiLatencyP99",
            api.http_api.metric_latency(statistic=cloudwatch.Stats.p(99), period=PERIOD),
            threshold=API_P99_LATENCY_MS,
            description=f"The webhook API's p99 latency is over {API_P99_LATENCY_MS} ms; "
            "Meta retries slow webhooks",
        )
        self.api_server_error_alarm = self._alarm(
            "ApiServerErrors",
            api.http_api.metric_server_error(statistic=cloudwatch.Stats.SUM, period=PERIOD),
            threshold=0,
            description="The webhook API answered 5xx: Meta and Slack will redeliver",
        )

        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=DASHBOARD_NAME, default_interval=Duration.hours(3)
        )
        self._health_section(functions, stream_consumers, dead_letter_queues, api)
        self._product_section()

    def _alarm_topic(self) -> sns.Topic:
        # A customer-managed key: CloudWatch cannot use the AWS-managed SNS key.
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description="Encrypts the Aremu alarm topic",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        topic = sns.Topic(
            self, "AlarmTopic", display_name="Aremu alarms", enforce_ssl=True, master_key=key
        )
        # The topic policy replaces SNS's default one; alarms of this account may publish.
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
                actions=["sns:Publish"],
                resources=[topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            )
        )
        return topic

    def _alarm(
        self, construct_id: str, metric: cloudwatch.IMetric, *, threshold: float, description: str
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            # No data means no traffic, which is not a fault.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        action = cloudwatch_actions.SnsAction(self.topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        self.alarms.append(alarm)
        return alarm

    def _health_section(
        self,
        functions: Functions,
        stream_consumers: list[str],
        dead_letter_queues: list[sqs.IQueue],
        api: Api,
    ) -> None:
        by_name = functions.by_name
        self.dashboard.add_widgets(_heading("Health"))
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(alarms=self.alarms, title="Alarms", width=24, height=4)
        )
        self.dashboard.add_widgets(
            _graph(
                "Function error rate (%)",
                [
                    _error_rate(fn, f"errors{i}", f"invocations{i}", label=name)
                    for i, (name, fn) in enumerate(by_name.items())
                ],
                annotation=ERROR_RATE_PERCENT,
            ),
            _graph("Invocations", [fn.metric_invocations(**_sum(n)) for n, fn in by_name.items()]),
            _graph("Throttles", [fn.metric_throttles(**_sum(n)) for n, fn in by_name.items()]),
        )
        self.dashboard.add_widgets(
            _graph(
                "Duration p99 (ms)",
                [
                    fn.metric_duration(statistic="p99", period=PERIOD, label=n)
                    for n, fn in by_name.items()
                ],
            ),
            _graph(
                "Stream iterator age, max (ms)",
                [_iterator_age(by_name[name], label=name) for name in stream_consumers],
                annotation=ITERATOR_AGE_MS,
            ),
            _graph(
                "Dead-letter queues (messages)",
                [_messages_visible(queue, label=queue.node.id) for queue in dead_letter_queues],
            ),
        )
        http_api = api.http_api
        self.dashboard.add_widgets(
            _graph(
                "HTTP API latency (ms)",
                [
                    http_api.metric_latency(statistic="p50", period=PERIOD, label="p50"),
                    http_api.metric_latency(statistic="p99", period=PERIOD, label="p99"),
                ],
                annotation=API_P99_LATENCY_MS,
                width=12,
            ),
            _graph(
                "HTTP API requests and errors",
                [
                    http_api.metric_count(statistic="Sum", period=PERIOD, label="requests"),
                    http_api.metric_client_error(statistic="Sum", period=PERIOD, label="4xx"),
                    http_api.metric_server_error(statistic="Sum", period=PERIOD, label="5xx"),
                ],
                width=12,
            ),
        )

    def _product_section(self) -> None:
        self.dashboard.add_widgets(_heading("Product"))
        groups = product_metric_groups()
        width = max(24 // len(groups), 8)
        self.dashboard.add_widgets(
            *(
                _graph(title, [product_metric(m) for m in members], width=width)
                for title, members in groups.items()
            )
        )


def _error_rate(
    function: lambda_.IFunction,
    errors_id: str = "errors",
    invocations_id: str = "invocations",
    label: str = "error rate (%)",
) -> cloudwatch.MathExpression:
    using: Mapping[str, cloudwatch.IMetric] = {
        errors_id: function.metric_errors(statistic=cloudwatch.Stats.SUM, period=PERIOD),
        invocations_id: function.metric_invocations(statistic=cloudwatch.Stats.SUM, period=PERIOD),
    }
    return cloudwatch.MathExpression(
        expression=error_rate_expression(errors_id, invocations_id),
        using_metrics=using,
        period=PERIOD,
        label=label,
    )


def _iterator_age(function: lambda_.IFunction, label: str | None = None) -> cloudwatch.Metric:
    return function.metric(
        "IteratorAge", statistic=cloudwatch.Stats.MAXIMUM, period=PERIOD, label=label
    )


def _messages_visible(queue: sqs.IQueue, label: str | None = None) -> cloudwatch.Metric:
    return queue.metric_approximate_number_of_messages_visible(
        statistic=cloudwatch.Stats.MAXIMUM, period=PERIOD, label=label
    )


def _sum(label: str) -> dict[str, Any]:
    return {"statistic": cloudwatch.Stats.SUM, "period": PERIOD, "label": label}


def _heading(text: str) -> cloudwatch.TextWidget:
    return cloudwatch.TextWidget(markdown=f"## {text}", width=24, height=1)


def _graph(
    title: str,
    metrics: list[cloudwatch.IMetric],
    *,
    annotation: float | None = None,
    width: int = 8,
) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=title,
        left=metrics,
        width=width,
        height=6,
        left_annotations=(
            [cloudwatch.HorizontalAnnotation(value=annotation, label="alarm")]
            if annotation is not None
            else None
        ),
    )
