-- Alerts from the escalation index and the indicator watchlists (sitrep/analyze). Rewritten
-- after each evaluation; first_fired survives re-evaluation so analysts see what is new.
CREATE TABLE alerts (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR,
    rule VARCHAR,
    title VARCHAR,
    day VARCHAR,
    source_country VARCHAR,
    target_country VARCHAR,
    events INTEGER,
    score DOUBLE,
    zscore DOUBLE,
    baseline DOUBLE,
    event_ids VARCHAR[],
    article_ids VARCHAR[],
    why VARCHAR,
    first_fired TIMESTAMP,
    evaluated_at TIMESTAMP
);
