import os

# Before any aws_cdk import in this suite starts jsii: quiets Node 20's end-of-life banner.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
