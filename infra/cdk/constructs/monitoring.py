"""Alarms to an SNS topic, and the "Aremu" dashboard: platform health, then product metrics.

The product section is built only from `aremu.names.Metric`, the names the code emits, so
the dashboard and the code cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from aremu import names
from aremu.config import Settings
from aremu.domain.journey import JourneyPlan
from aremu.names import Metric
from infra.cdk.constructs.api import Api
from infra.cdk.constructs.functions import Functions

DASHBOARD_NAME = "Aremu"
PERIOD = Duration.minutes(5)

ERROR_RATE_PERCENT = 1
ITERATOR_AGE_MS = 30_000
API_P99_LATENCY_MS = 1_000

OTHER_PRODUCT_METRICS = "Other product metrics"

SUM = cloudwatch.Stats.SUM
MAXIMUM = cloudwatch.Stats.MAXIMUM
P50 = cloudwatch.Stats.p(50)
P90 = cloudwatch.Stats.p(90)

# The functions run with the default journey (no deploy-time override), so its stages are
# the Stage dimension values the code emits.
JOURNEY_STAGES = JourneyPlan.from_settings(Settings()).stages

CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"


@dataclass(frozen=True)
class Ratio:
    """One product metric as a percentage of the sum of others, drawn with metric math."""

    label: str
    numerator: Metric
    denominator: tuple[Metric, ...]


@dataclass(frozen=True)
class Split:
    """One line per value of a dimension the metrics carry besides `service`."""

    dimension: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Search:
    """Every series of a metric with these dimensions, found by a SEARCH expression.

    For dimension values the synth cannot list: From/To pairs, drop-off reasons. `label`
    may use dynamic labels such as ${PROP('Dim.From')}.
    """

    metric: Metric
    dimensions: tuple[str, ...]
    label: str
    statistic: str = SUM

    @property
    def expression(self) -> str:
        schema = ",".join((names.METRICS_NAMESPACE, *sorted((*self.dimensions, "service"))))
        query = f'{{{schema}}} MetricName="{self.metric.value}" service="{names.SERVICE_NAME}"'
        return f"SEARCH('{query}', '{self.statistic}', {int(PERIOD.to_seconds())})"


@dataclass(frozen=True)
class ProductWidget:
    """A graph of product metrics (summed per period unless `statistics` says otherwise),
    the ratios between them, and searched series.

    `split` draws each metric once per value of a dimension. `total` draws a single number
    over the dashboard's whole time range instead, for "how much so far" figures (spend).
    """

    title: str
    metrics: tuple[Metric, ...] = ()
    labels: Mapping[Metric, str] = field(default_factory=dict)
    ratios: tuple[Ratio, ...] = ()
    total: bool = False
    # Gauges read as their Maximum, durations as percentiles; several draw several lines.
    statistics: Mapping[Metric, tuple[str, ...]] = field(default_factory=dict)
    split: Split | None = None
    searches: tuple[Search, ...] = ()
    axis: str | None = None  # the left axis's label, where a count is not what it shows

    @property
    def drawn(self) -> set[Metric]:
        return {
            *self.metrics,
            *(m for r in self.ratios for m in (r.numerator, *r.denominator)),
            *(search.metric for search in self.searches),
        }

    def statistics_of(self, member: Metric) -> tuple[str, ...]:
        return self.statistics.get(member, (SUM,))


# Item 2 of the deploy-ready issue, in reading order. A member that no widget names lands
# in OTHER_PRODUCT_METRICS, so a new metric is on the dashboard before anyone places it.
PRODUCT_WIDGETS: tuple[ProductWidget, ...] = (
    ProductWidget(
        "Funnel: candidates by stage",
        # A gauge each risk run sets: the latest level, never a sum of runs.
        (Metric.CANDIDATES_IN_STAGE,),
        statistics={Metric.CANDIDATES_IN_STAGE: (MAXIMUM,)},
        split=Split("Stage", JOURNEY_STAGES),
        axis="candidates",
    ),
    ProductWidget(
        "Stage conversion and drop-off",
        (Metric.JOURNEY_FOLLOW_FAILURES,),
        labels={Metric.JOURNEY_FOLLOW_FAILURES: "moves missed (not counted above)"},
        searches=(
            Search(
                Metric.STAGE_CONVERSION,
                ("From", "To"),
                "${PROP('Dim.From')} → ${PROP('Dim.To')}",
            ),
            Search(
                Metric.DROP_OFF,
                ("Stage", "Reason"),
                "dropped off at ${PROP('Dim.Stage')} (${PROP('Dim.Reason')})",
            ),
        ),
    ),
    ProductWidget(
        "Time in stage",
        (Metric.TIME_IN_STAGE,),
        statistics={Metric.TIME_IN_STAGE: (P50,)},
        split=Split("Stage", JOURNEY_STAGES),
        axis="seconds, p50",
    ),
    ProductWidget(
        "Funnel: candidates entering each stage",
        (
            Metric.CANDIDATES_OPTED_IN,
            Metric.CANDIDATES_ACTIVATED,
            Metric.CANDIDATES_PAUSED,
            Metric.CANDIDATES_OPTED_OUT,
            Metric.CANDIDATES_ERASED,
        ),
    ),
    ProductWidget(
        "Funnel conversion (%)",
        ratios=(
            Ratio("opted in → active", Metric.CANDIDATES_ACTIVATED, (Metric.CANDIDATES_OPTED_IN,)),
            Ratio("matched → alert delivered", Metric.ALERTS_DELIVERED, (Metric.JOBS_MATCHED,)),
        ),
    ),
    ProductWidget(
        "Messages in",
        (
            Metric.WEBHOOK_MESSAGES_STORED,
            Metric.WEBHOOK_DUPLICATES,
            Metric.WEBHOOK_UNKNOWN_TYPES,
            Metric.WEBHOOK_REJECTED,
        ),
    ),
    ProductWidget(
        "Messages out",
        (
            Metric.MESSAGES_SENT,
            Metric.TEMPLATES_SENT,
            Metric.SEND_FAILURES,
            Metric.SEND_THROTTLED,
            Metric.WEBHOOK_STATUSES_APPLIED,
            Metric.WEBHOOK_STATUSES_IGNORED,
        ),
    ),
    ProductWidget(
        "Job alerts",
        (
            Metric.JOBS_MATCHED,
            Metric.ALERTS_QUEUED,
            Metric.ALERTS_DELIVERED,
            Metric.ALERTS_WAITING,
            Metric.ALERTS_SKIPPED,
            Metric.DIGESTS_SENT,
        ),
    ),
    ProductWidget(
        "Paid vs free messages",
        # Since July 2025 Meta bills delivered templates; service messages are free.
        (Metric.TEMPLATES_SENT, Metric.MESSAGES_SENT),
        labels={
            Metric.TEMPLATES_SENT: "paid: templates",
            Metric.MESSAGES_SENT: "free: service messages",
        },
        ratios=(
            Ratio(
                "paid share (%)",
                Metric.TEMPLATES_SENT,
                (Metric.TEMPLATES_SENT, Metric.MESSAGES_SENT),
            ),
        ),
    ),
    ProductWidget(
        "Estimated spend in range (USD)",
        (Metric.MESSAGE_COST_USD, Metric.ENHANCEMENT_COST_USD),
        labels={
            Metric.MESSAGE_COST_USD: "WhatsApp messages",
            Metric.ENHANCEMENT_COST_USD: "OpenAI enhancement",
        },
        total=True,
    ),
    ProductWidget(
        "Window reminders and expiries",
        (
            Metric.WINDOW_TIMERS_ARMED,
            Metric.WINDOW_TIMERS_REARMED,
            Metric.WINDOW_REMINDERS_SENT,
            Metric.WINDOWS_EXPIRED,
        ),
    ),
    ProductWidget(
        "At-risk candidates and interventions",
        (
            Metric.CANDIDATES_AT_RISK,
            Metric.RISK_ALERTS_RAISED,
            Metric.OPERATOR_TAKEOVERS,
            Metric.NUDGES_SENT,
            Metric.AT_RISK_DISMISSALS,
            Metric.OPERATOR_HANDBACKS,
            Metric.INTERVENTIONS_RETAINED,
        ),
        labels={Metric.CANDIDATES_AT_RISK: "at risk now"},
        statistics={Metric.CANDIDATES_AT_RISK: (MAXIMUM,)},
        ratios=(
            Ratio(
                "intervention success rate (%)",
                Metric.INTERVENTIONS_RETAINED,
                (Metric.OPERATOR_HANDBACKS,),
            ),
        ),
    ),
    ProductWidget(
        "Operator response time",
        (Metric.OPERATOR_RESPONSE_SECONDS,),
        labels={Metric.OPERATOR_RESPONSE_SECONDS: "alert to first action"},
        statistics={Metric.OPERATOR_RESPONSE_SECONDS: (P50, P90)},
        axis="seconds",
    ),
    ProductWidget(
        "Recruiters in Slack",
        (
            Metric.PERSON_REQUESTED,
            Metric.SLACK_ALERTS_POSTED,
            Metric.OPERATOR_MESSAGES_SENT,
            Metric.SLACK_MESSAGES_MIRRORED,
            Metric.SLACK_TEMPLATE_OFFERS,
            Metric.SLACK_HANDBACK_SUMMARIES_POSTED,
            Metric.HOLDS_ENDED_BY_CANDIDATE,
            Metric.SLACK_ACTIONS_REFUSED,
        ),
    ),
    ProductWidget(
        "Risk runs",
        (
            Metric.RISK_CANDIDATES_DUE,
            Metric.RISK_ITEMS_READ,
            Metric.RISK_ALERTS_RAISED,
            Metric.RISK_EPISODES_CLOSED,
        ),
    ),
    ProductWidget(
        "Jobs in",
        (
            Metric.JOBS_READ,
            Metric.JOBS_STORED,
            Metric.JOBS_DUPLICATES,
            Metric.JOBS_SKIPPED,
            Metric.JOB_SITE_ERRORS,
        ),
    ),
    ProductWidget(
        "Job enhancement",
        (Metric.JOBS_ENHANCED_AI, Metric.JOBS_ENHANCED_OFFLINE, Metric.ENHANCEMENT_FALLBACKS),
    ),
)


def error_rate_expression(errors_id: str = "errors", invocations_id: str = "invocations") -> str:
    # IF() keeps a quiet function at 0 % rather than dividing by zero.
    return f"IF({invocations_id} > 0, 100 * {errors_id} / {invocations_id}, 0)"


def ratio_expression(numerator_id: str, denominator_ids: Iterable[str]) -> str:
    total = " + ".join(denominator_ids)
    return f"IF(({total}) > 0, 100 * {numerator_id} / ({total}), 0)"


def product_widgets() -> tuple[ProductWidget, ...]:
    """PRODUCT_WIDGETS, plus a catch-all for the members none of them draws."""
    placed = set().union(*(widget.drawn for widget in PRODUCT_WIDGETS))
    others = tuple(m for m in Metric if m not in placed)
    if not others:
        return PRODUCT_WIDGETS
    return (*PRODUCT_WIDGETS, ProductWidget(OTHER_PRODUCT_METRICS, others))


def product_metric(
    member: Metric,
    label: str | None = None,
    *,
    statistic: str = SUM,
    dimensions: Mapping[str, str] | None = None,
) -> cloudwatch.Metric:
    # Powertools adds the `service` dimension to every metric it flushes.
    return cloudwatch.Metric(
        namespace=names.METRICS_NAMESPACE,
        metric_name=member.value,
        dimensions_map={"service": names.SERVICE_NAME, **(dimensions or {})},
        statistic=statistic,
        period=PERIOD,
        label=label or member.value,
    )


def widget_lines(widget: ProductWidget) -> list[cloudwatch.Metric]:
    """Each metric of a widget, once per statistic and per value of its split."""
    lines = []
    for member in widget.metrics:
        name = widget.labels.get(member, member.value)
        statistics = widget.statistics_of(member)
        for statistic in statistics:
            suffix = f" {statistic}" if len(statistics) > 1 else ""
            if widget.split is None:
                lines.append(product_metric(member, name + suffix, statistic=statistic))
                continue
            for value in widget.split.values:
                # A one-metric widget is named by its title: its lines need only the value.
                label = value if len(widget.metrics) == 1 else f"{name} {value}"
                lines.append(
                    product_metric(
                        member,
                        label + suffix,
                        statistic=statistic,
                        dimensions={widget.split.dimension: value},
                    )
                )
    return lines


def search_metric(search: Search) -> cloudwatch.MathExpression:
    return cloudwatch.MathExpression(
        expression=search.expression, using_metrics={}, period=PERIOD, label=search.label
    )


def ratio_metric(ratio: Ratio) -> cloudwatch.MathExpression:
    # Metric ids must start with a lower-case letter; member names are unique upper snake.
    using: dict[str, cloudwatch.IMetric] = {
        member.name.lower(): product_metric(member)
        for member in (ratio.numerator, *ratio.denominator)
    }
    return cloudwatch.MathExpression(
        expression=ratio_expression(
            ratio.numerator.name.lower(), (m.name.lower() for m in ratio.denominator)
        ),
        using_metrics=using,
        period=PERIOD,
        label=ratio.label,
    )


def product_widget(widget: ProductWidget, width: int) -> cloudwatch.IWidget:
    metrics: list[cloudwatch.IMetric] = [*widget_lines(widget)]
    metrics += [search_metric(search) for search in widget.searches]
    if widget.total:
        return cloudwatch.SingleValueWidget(
            title=widget.title,
            metrics=metrics,
            set_period_to_time_range=True,
            full_precision=True,
            width=width,
            height=6,
        )
    ratios = [ratio_metric(r) for r in widget.ratios]
    if not metrics:
        return _graph(widget.title, ratios, width=width)
    # Counts on the left, percentages on the right: their scales have nothing in common.
    graph = _graph(widget.title, metrics, width=width, axis=widget.axis)
    for ratio in ratios:
        graph.add_right_metric(ratio)
    return graph


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
        self.topic_output = CfnOutput(
            self,
            "AlarmTopicArn",
            value=self.topic.topic_arn,
            description="Subscribe ops (email, chat) to the Aremu alarms here",
        )
        self.alarms: list[cloudwatch.Alarm] = []
        stream_consumers = sorted(set(stream_consumers))
        dead_letter_queues = list(dead_letter_queues)
        # Found in the stack rather than passed in, so that a new machine is watched without
        # touching the stack; Monitoring is built last, after every machine exists.
        state_machines = {
            machine.node.id: machine
            for machine in Stack.of(self).node.find_all()
            if isinstance(machine, sfn.StateMachine)
        }

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

        # A failed window-timer execution is a reminder or an expiry that never happened.
        self.state_machine_alarms = {
            name: self._alarm(
                f"{name}ExecutionsFailed",
                machine.metric_failed(statistic=cloudwatch.Stats.SUM, period=PERIOD),
                threshold=0,
                description=f"A {name} execution failed: see its execution history",
            )
            for name, machine in state_machines.items()
        }

        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=DASHBOARD_NAME, default_interval=Duration.hours(3)
        )
        self._health_section(functions, stream_consumers, dead_letter_queues, api, state_machines)
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
        state_machines: Mapping[str, sfn.IStateMachine],
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
            _graph("Errors", [fn.metric_errors(**_sum(n)) for n, fn in by_name.items()]),
            _graph("Throttles", [fn.metric_throttles(**_sum(n)) for n, fn in by_name.items()]),
        )
        self.dashboard.add_widgets(
            _graph("Invocations", [fn.metric_invocations(**_sum(n)) for n, fn in by_name.items()]),
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
        )
        http_api = api.http_api
        self.dashboard.add_widgets(
            _graph(
                "Dead-letter queues (messages)",
                [_messages_visible(queue, label=queue.node.id) for queue in dead_letter_queues],
            ),
            _graph(
                "HTTP API latency (ms)",
                [
                    http_api.metric_latency(statistic="p50", period=PERIOD, label="p50"),
                    http_api.metric_latency(statistic="p99", period=PERIOD, label="p99"),
                ],
                annotation=API_P99_LATENCY_MS,
            ),
            _graph(
                "HTTP API requests and errors",
                [
                    http_api.metric_count(statistic="Sum", period=PERIOD, label="requests"),
                    http_api.metric_client_error(statistic="Sum", period=PERIOD, label="4xx"),
                    http_api.metric_server_error(statistic="Sum", period=PERIOD, label="5xx"),
                ],
            ),
        )
        if state_machines:
            self.dashboard.add_widgets(
                *(
                    _graph(
                        f"{name} executions",
                        [
                            machine.metric_started(**_sum("started")),
                            machine.metric_succeeded(**_sum("succeeded")),
                            machine.metric_failed(**_sum("failed")),
                            machine.metric_timed_out(**_sum("timed out")),
                        ],
                    )
                    for name, machine in state_machines.items()
                )
            )

    def _product_section(self) -> None:
        self.dashboard.add_widgets(_heading("Product"))
        widgets = [product_widget(widget, width=8) for widget in product_widgets()]
        # Three to a row, in PRODUCT_WIDGETS order.
        for row in range(0, len(widgets), 3):
            self.dashboard.add_widgets(*widgets[row : row + 3])


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
    metrics: Sequence[cloudwatch.IMetric],
    *,
    annotation: float | None = None,
    width: int = 8,
    axis: str | None = None,
) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=title,
        left=metrics,
        width=width,
        height=6,
        left_y_axis=cloudwatch.YAxisProps(label=axis, show_units=False) if axis else None,
        left_annotations=(
            [cloudwatch.HorizontalAnnotation(value=annotation, label="alarm")]
            if annotation is not None
            else None
        ),
    )
