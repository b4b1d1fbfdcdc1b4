"""QuickReply: a tray quick-reply tool for customer-service chat agents."""

__version__ = "0.1.0"
