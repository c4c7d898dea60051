"""`aremu local`: the same functions on one machine, with moto standing in for AWS."""
