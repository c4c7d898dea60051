"""Aremu's CDK app: one stack composed of one construct per concern."""

import os

# Read when jsii starts its Node process, i.e. on the first aws_cdk import, which every
# module of this package does after this line. This machine's Node 20 otherwise prints a
# banner on every synth.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
