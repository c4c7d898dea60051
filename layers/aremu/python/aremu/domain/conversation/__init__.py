"""The conversation engine: (candidate, inbound message) -> a decision, with no I/O inside."""
