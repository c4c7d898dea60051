"""Aremu: the shared package behind every Lambda function (domain, storage, channels, config)."""
