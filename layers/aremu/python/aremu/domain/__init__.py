"""Plain domain models and rules: no AWS, no HTTP, no clock reads."""
