"""The main single table (with its stream) and the Powertools idempotency table."""

from __future__ import annotations

from aws_cdk import CfnElement, CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from aremu.storage import schema


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Data(Construct):
    """Tables shaped by `aremu.storage.schema`, the same constants the local stack uses."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=_string_key(schema.PARTITION_KEY),
            sort_key=_string_key(schema.SORT_KEY),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=schema.TTL_ATTRIBUTE,
            # Consumers filter on new images; old images let them see what changed.
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            # Candidates' conversations and consent records outlive any one stack, and a
            # stray `aws dynamodb delete-table` as well.
            removal_policy=RemovalPolicy.RETAIN,
            deletion_protection=True,
        )
        self.table.add_global_secondary_index(
            index_name=schema.BY_CANDIDATE_INDEX,
            partition_key=_string_key(schema.BY_CANDIDATE_PARTITION_KEY),
            sort_key=_string_key(schema.BY_CANDIDATE_SORT_KEY),
            projection_type=dynamodb.ProjectionType.ALL,
        )

        self.idempotency_table = dynamodb.Table(
            self,
            "IdempotencyTable",
            partition_key=_string_key(schema.IDEMPOTENCY_KEY),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            # Losing these records would let a redelivered event send a message twice.
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=schema.IDEMPOTENCY_TTL_ATTRIBUTE,
            # Records live for days at most; nothing here needs to outlive the stack.
            removal_policy=RemovalPolicy.DESTROY,
        )

        CfnOutput(self, "TableName", value=self.table.table_name)

    def table_index_wildcard_finding(self) -> str:
        """The cdk-nag finding for the `<table>/index/*` that `grant_*_data` adds for GSIs."""
        stack = Stack.of(self)
        resource = self.table.node.default_child
        assert isinstance(resource, CfnElement)
        logical_id = stack.resolve(stack.get_logical_id(resource))
        return f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>/index/*]"
