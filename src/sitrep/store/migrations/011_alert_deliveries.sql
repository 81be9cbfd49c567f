-- Alerts delivered (sitrep/deliver): what went out on which channel, so an alert is
-- delivered once, also across restarts. `version` is the number of reports behind the alert
-- when it went out: an episode that grows gets a new version and is delivered again, once.
-- A webhook row is written only after a 2xx answer (status 'delivered'), or after the
-- last retry failed (status 'failed', retried by a later pass).
CREATE TABLE alert_deliveries (
    alert_id VARCHAR,
    version INTEGER,
    channel VARCHAR,
    status VARCHAR,
    attempts INTEGER,
    detail VARCHAR,
    delivered_at TIMESTAMP,
    PRIMARY KEY (alert_id, version, channel)
);
-- When each alert was stored with its current events: its first fire, or its episode's
-- last growth (the Atom feed's <updated>).
ALTER TABLE alerts ADD COLUMN updated_at TIMESTAMP;
