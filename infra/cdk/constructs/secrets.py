"""The channel secrets: one Secrets Manager secret holding a JSON object."""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, CfnOutput, RemovalPolicy, Validations
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

CHANNEL_SECRETS_NAME = "aremu/channels"
PLACEHOLDER = "REPLACE_ME"
# We choose the verify token ourselves and type it into Meta's webhook settings, so it
# can be generated; every other value is issued by Meta, Slack or OpenAI.
GENERATED_KEY = "whatsapp_verify_token"
# An empty OpenAI key means "use the offline enhancer" until the operator sets one.
TEMPLATE: dict[str, str] = {
    "whatsapp_app_secret": PLACEHOLDER,
    "whatsapp_access_token": PLACEHOLDER,
    "whatsapp_phone_number_id": PLACEHOLDER,
    "slack_signing_secret": PLACEHOLDER,
    "slack_bot_token": PLACEHOLDER,
    "openai_api_key": "",
}


class ChannelSecrets(Construct):
    """Created with placeholders; the operator puts the real values in after deploying."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            secret_name=CHANNEL_SECRETS_NAME,
            description="Aremu channel credentials (WhatsApp, Slack, OpenAI) as one JSON object",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps(TEMPLATE),
                generate_string_key=GENERATED_KEY,
                # It travels in a query string (hub.verify_token).
                exclude_punctuation=True,
                password_length=32,
            ),
            # Deleting the stack must not throw away credentials that were typed in by hand.
            removal_policy=RemovalPolicy.RETAIN,
        )
        Validations.of(self.secret).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SMG4",
                reason="The values are issued by Meta, Slack and OpenAI and can only be "
                "rotated in their consoles; the operator rotates them there and updates "
                "the secret.",
            )
        )
        CfnOutput(
            self,
            "ChannelSecretsName",
            value=CHANNEL_SECRETS_NAME,
            description="Fill in the REPLACE_ME values after the first deploy",
        )
