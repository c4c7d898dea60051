"""The channel secret holds every key the code reads, and no real value."""

from __future__ import annotations

import json
from typing import Any

from aremu.credentials import ChannelSecrets
from tests.infra.synthesized import Synthesized


def secret_generator(synthesized: Synthesized) -> dict[str, Any]:
    props = synthesized.properties(synthesized.stack.secrets.secret)
    generator: dict[str, Any] = props["GenerateSecretString"]
    return generator


def test_secret_has_the_name_functions_are_given(synthesized: Synthesized) -> None:
    props = synthesized.properties(synthesized.stack.secrets.secret)

    assert props["Name"] == "aremu/channels"


def test_secret_json_has_every_field_of_the_channel_secrets_model(
    synthesized: Synthesized,
) -> None:
    generator = secret_generator(synthesized)

    keys = set(json.loads(generator["SecretStringTemplate"])) | {generator["GenerateStringKey"]}

    assert keys == set(ChannelSecrets.model_fields)


def test_secret_template_holds_only_placeholders(synthesized: Synthesized) -> None:
    template = json.loads(secret_generator(synthesized)["SecretStringTemplate"])

    assert set(template.values()) <= {"REPLACE_ME", ""}


def test_generated_verify_token_is_safe_in_a_query_string(synthesized: Synthesized) -> None:
    generator = secret_generator(synthesized)

    assert generator["GenerateStringKey"] == "whatsapp_verify_token"
    assert generator["ExcludePunctuation"] is True


def test_secret_survives_stack_deletion(synthesized: Synthesized) -> None:
    resource = synthesized.resources[synthesized.logical_id(synthesized.stack.secrets.secret)]

    assert resource["DeletionPolicy"] == "Retain"
    assert resource["UpdateReplacePolicy"] == "Retain"
