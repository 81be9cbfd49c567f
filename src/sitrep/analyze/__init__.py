"""Escalation index, indicator watchlists and alerts over the stored events."""
