"""Channel secrets: Secrets Manager on AWS (cached by Powertools), the environment locally."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, SecretStr

from aremu.config import Settings, get_settings

# Documented local defaults; `aremu local` prints which ones are in use. They only ever
# sign and check requests between this machine's own processes.
LOCAL_DEFAULTS: dict[str, str] = {
    "WHATSAPP_APP_SECRET": "local-app-secret",
    "WHATSAPP_VERIFY_TOKEN": "local-verify-token",
    "WHATSAPP_ACCESS_TOKEN": "local-access-token",
    "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
    "SLACK_SIGNING_SECRET": "local-slack-signing-secret",
    "SLACK_BOT_TOKEN": "xoxb-local-bot-token",
    "OPENAI_API_KEY": "",
}


class ChannelSecrets(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    whatsapp_app_secret: SecretStr
    whatsapp_verify_token: SecretStr
    whatsapp_access_token: SecretStr
    whatsapp_phone_number_id: str
    slack_signing_secret: SecretStr
    slack_bot_token: SecretStr
    openai_api_key: SecretStr | None = None


def from_environment(environ: dict[str, str] | None = None) -> ChannelSecrets:
    env = os.environ if environ is None else environ
    values = {name.lower(): env.get(name) or default for name, default in LOCAL_DEFAULTS.items()}
    return ChannelSecrets.model_validate({k: v for k, v in values.items() if v})


def _from_secrets_manager(settings: Settings) -> ChannelSecrets:
    # Imported here so the local path never loads the parameters utility.
    from aws_lambda_powertools.utilities import parameters

    raw = parameters.get_secret(
        settings.secrets_name, transform="json", max_age=settings.secrets_max_age_seconds
    )
    if not isinstance(raw, dict):
        raise ValueError("the channel secret must be a JSON object")
    return ChannelSecrets.model_validate({k.lower(): v for k, v in raw.items() if v})


def get_channel_secrets(settings: Settings | None = None) -> ChannelSecrets:
    settings = settings or get_settings()
    if settings.secrets_name:
        return _from_secrets_manager(settings)
    return from_environment()
