"""Delivering matches: when an alert may go out, what it says, and how fast."""
