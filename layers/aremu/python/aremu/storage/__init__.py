"""Persistence: one DynamoDB table modelled with pynamodb, plus the idempotency table."""
