-- sitrep store, version 1. Flat columns for filtering; `record` keeps the full contract JSON.
CREATE TABLE articles (
    id VARCHAR PRIMARY KEY,
    url VARCHAR,
    title VARCHAR,
    outlet VARCHAR,
    published VARCHAR,
    published_date DATE,
    text VARCHAR NOT NULL,
    origin VARCHAR,
    ingested_at TIMESTAMP
);
CREATE TABLE entities (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    label VARCHAR,
    name VARCHAR,
    actor_id VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    span_start INTEGER,
    span_end INTEGER,
    span_text VARCHAR,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE places (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    name VARCHAR,
    geonameid BIGINT,
    country VARCHAR,
    admin1 VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    feature VARCHAR,
    span_start INTEGER,
    span_end INTEGER,
    span_text VARCHAR,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE times (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    type VARCHAR,
    value VARCHAR,
    span_start INTEGER,
    span_end INTEGER,
    span_text VARCHAR,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE quotes (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    kind VARCHAR,
    content_start INTEGER,
    content_end INTEGER,
    content_text VARCHAR,
    cue_text VARCHAR,
    speaker_name VARCHAR,
    speaker_actor_id VARCHAR,
    speaker_country VARCHAR,
    speaker_sector VARCHAR,
    addressee_name VARCHAR,
    via_sources VARCHAR,
    hedged BOOLEAN,
    record VARCHAR
);
CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    type VARCHAR,
    mode VARCHAR,
    factuality VARCHAR,
    source_name VARCHAR,
    source_actor_id VARCHAR,
    source_country VARCHAR,
    source_sector VARCHAR,
    target_name VARCHAR,
    target_actor_id VARCHAR,
    target_country VARCHAR,
    target_sector VARCHAR,
    trigger_text VARCHAR,
    sentence_start INTEGER,
    sentence_end INTEGER,
    sentence_text VARCHAR,
    event_date VARCHAR,
    place_name VARCHAR,
    place_country VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    cameo VARCHAR,
    intensity DOUBLE,
    confidence DOUBLE,
    record VARCHAR
);
CREATE TABLE rejects (
    id VARCHAR PRIMARY KEY,
    origin VARCHAR,
    code VARCHAR,
    reason VARCHAR,
    snippet VARCHAR,
    rejected_at TIMESTAMP
);
