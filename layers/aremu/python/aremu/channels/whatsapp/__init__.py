"""WhatsApp Cloud API: inbound webhook models, signature check and the Graph API sender."""
