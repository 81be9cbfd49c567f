-- Cross-article resolution: copies, stories and canonical events (recomputed after each run).
ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR;
ALTER TABLE articles ADD COLUMN story_id VARCHAR;
CREATE TABLE stories (
    story_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    first_seen VARCHAR,
    last_seen VARCHAR,
    articles INTEGER,
    outlets VARCHAR[],
    key_actors VARCHAR[],
    article_ids VARCHAR[]
);
CREATE TABLE canonical_events (
    id VARCHAR PRIMARY KEY,
    type VARCHAR,
    story_id VARCHAR,
    reports INTEGER,
    independent_sources INTEGER,
    outlets VARCHAR[],
    article_ids VARCHAR[],
    mention_ids VARCHAR[],
    first_article_id VARCHAR,
    first_mention_id VARCHAR,
    first_reported VARCHAR
);
