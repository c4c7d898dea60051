"""The Powertools tracer (X-Ray SDK), for every function but the webhook API.

Importing the X-Ray SDK and patching botocore costs about 200 ms of cold start here
(bench/cold_import.py), half of the webhook's budget. The webhook API answers Meta and
does two DynamoDB calls, so it relies on Lambda's active tracing (the invocation and
init segments, set in the CDK) instead of in-process subsegments.
"""

from __future__ import annotations

from aws_lambda_powertools import Tracer

from aremu.names import SERVICE_NAME

tracer = Tracer(service=SERVICE_NAME)
