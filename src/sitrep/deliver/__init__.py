"""Alerts delivered: to a webhook (JSON POST with retries) and, for `sitrep alerts
--follow`, as JSON lines. What went out is stored per alert, version and channel
(store/deliveries.py), so an alert is delivered once, also across restarts.

Placed after analyze in the one-way flow: it reads alerts (analyze) and the store; only
run/ and the CLI import it.
"""
