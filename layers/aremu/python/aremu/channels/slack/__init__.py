"""The Slack adapter: the Web API client, Block Kit builders and who counts as a recruiter."""
