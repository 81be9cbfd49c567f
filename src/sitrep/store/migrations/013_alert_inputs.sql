-- Incremental alerts (analyze/alert_inputs.py): what each canonical event contributes to
-- the alerts, kept between runs so a run re-reads only the events its resolution changed.
-- `alert_pair_days`: per explicit pair and day, the reports (articles) of hostile events
-- the escalation model counts and whether the day's corroborated matter passes the
-- evidence rules; `alert_event_days`: which of those pair-days each canonical event feeds;
-- `alert_rule_hits`: the canonical events each watchlist rule matches.
-- `alert_inputs_state` holds the digest of the settings and rules they were built with;
-- no row: they must be rebuilt from the whole store (after a full resolution).
-- `alert_stale_events`: canonical events an incremental resolution replaced or wrote
-- since the inputs were last brought up to date.
CREATE TABLE alert_pair_days (
    source_country VARCHAR,
    target_country VARCHAR,
    day VARCHAR,
    reports INTEGER,
    judged BOOLEAN
);
CREATE TABLE alert_event_days (
    event_id VARCHAR,
    source_country VARCHAR,
    target_country VARCHAR,
    day VARCHAR
);
CREATE TABLE alert_rule_hits (
    rule VARCHAR,
    event_id VARCHAR
);
CREATE TABLE alert_inputs_state (
    digest VARCHAR
);
CREATE TABLE alert_stale_events (
    event_id VARCHAR
);
