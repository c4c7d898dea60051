"""Use cases that tie rules to adapters; handlers call exactly one of these."""
