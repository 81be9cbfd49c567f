-- Current news or background (extract/timing.py): background events stay in the store but
-- are left out of alerts, escalation, the brief and the dashboard's default views.
ALTER TABLE events ADD COLUMN timing VARCHAR DEFAULT 'current';
-- Boilerplate lines removed from an article before extraction, and the rule that removed
-- each (a rule of data/boilerplate.yaml, or 'repeated' for a line found in many articles).
CREATE TABLE IF NOT EXISTS boilerplate (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    rule VARCHAR NOT NULL,
    line VARCHAR NOT NULL,
    PRIMARY KEY (article_id, idx)
);
