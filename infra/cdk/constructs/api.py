"""The public HTTP API: a route per `HttpRoute` in the wiring, throttled and access-logged."""

from __future__ import annotations

import json

import jsii
from aws_cdk import Acknowledgment, CfnOutput, RemovalPolicy, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from aremu.wiring import HttpRoute
from infra.cdk.constructs.functions import Functions

# Meta and Slack retry politely; these guard the account's Lambda concurrency against
# anything else that finds the URL.
THROTTLE_RATE_PER_SECOND = 100
THROTTLE_BURST = 200

# No path or query string: the verify token travels in the query string.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "sourceIp": "$context.identity.sourceIp",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationStatus": "$context.integrationStatus",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
    "error": "$context.error.message",
}


class Api(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, functions: Functions) -> None:
        super().__init__(scope, construct_id)

        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.http_api = apigwv2.HttpApi(
            self,
            "HttpApi",
            api_name="aremu",
            description="Aremu webhooks (WhatsApp, Slack)",
            # The default stage is made below, where throttling and access logs can be set.
            create_default_stage=False,
        )
        self.stage = apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=THROTTLE_RATE_PER_SECOND, burst_limit=THROTTLE_BURST
            ),
            access_log_settings=_AccessLogSettings(
                apigwv2.LogGroupLogDestination(self.access_logs),
                apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
            ),
        )

        integrations: dict[str, HttpLambdaIntegration] = {}
        for spec, function, route in functions.triggered(HttpRoute):
            if spec.name not in integrations:
                integrations[spec.name] = HttpLambdaIntegration(f"{spec.name}Integration", function)
            self.http_api.add_routes(
                path=route.path,
                methods=[apigwv2.HttpMethod(route.method.upper())],
                integration=integrations[spec.name],
            )

        Validations.of(self.http_api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-APIG4",
                reason="Meta and Slack cannot present IAM, JWT or Lambda-authorizer "
                "credentials; each handler authenticates the raw body by HMAC signature "
                "(X-Hub-Signature-256, X-Slack-Signature) before doing anything.",
            )
        )

        self.url_output = CfnOutput(
            self, "Url", value=self.stage.url, description="Base URL of the webhooks"
        )


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogSettings:
    """IAccessLogSettings is an interface, not a struct, so Python needs a class for it."""

    def __init__(
        self, destination: apigwv2.IAccessLogDestination, log_format: apigw.AccessLogFormat
    ) -> None:
        self._destination = destination
        self._format = log_format

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw.AccessLogFormat:
        return self._format
