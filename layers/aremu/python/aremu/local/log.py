"""The local stack's own logger, apart from the one the handlers share.

Handlers append Lambda context keys to `aremu.observability.logger`; the pump and the
gateway run beside them in other threads and must not pick those keys up.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="aremu-local")
