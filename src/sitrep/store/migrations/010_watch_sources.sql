-- `sitrep watch`: what each followed source has answered and seen, written in the same
-- transaction as the articles of a poll, so a killed watcher never marks an entry seen
-- without its article, nor stores an article twice.
CREATE TABLE watch_sources (
    source VARCHAR PRIMARY KEY,      -- the URL or folder as given on the command line
    kind VARCHAR,                    -- feed, page or folder (known after the first poll)
    etag VARCHAR,                    -- conditional GET: sent back as If-None-Match
    last_modified VARCHAR,           -- conditional GET: sent back as If-Modified-Since
    failures INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls (backoff)
    next_poll_at DOUBLE,             -- Unix seconds before which the source is not polled
    last_polled_at DOUBLE,           -- Unix seconds
    last_status VARCHAR              -- "ok: 3 new", "not modified", "error: HTTP 500" ...
);
-- Entries (feed items, pages, files) already taken from a source: never fetched again.
CREATE TABLE watch_seen (
    source VARCHAR NOT NULL,
    key VARCHAR NOT NULL,            -- entry id, else link (feeds); file path (folders)
    article_id VARCHAR,              -- the article it became (NULL: rejected)
    text_from VARCHAR,               -- page, feed (whole article in the feed), feed-summary, file
    note VARCHAR,                    -- why the feed's own text was used, when it was
    seen_at TIMESTAMP DEFAULT now(),
    PRIMARY KEY (source, key)
);
-- A poll stored articles that resolution has not yet seen (cleared once it has run).
CREATE TABLE watch_pending (name VARCHAR PRIMARY KEY);
