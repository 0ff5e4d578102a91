"""LiteLLM's ``litellm.integrations`` path: ``custom_logger.CustomLogger``."""
