-- Incremental resolution (store/incremental.py): what the last resolution saw of each
-- article (its `ingested_at`, so a rewritten article is told from a resolved one, and its
-- MinHash signature, NULL when the text has no words), the confirmed copy pairs the copy
-- groups are built from, and a digest of the settings the resolution ran with.
CREATE TABLE article_signatures (
    article_id VARCHAR PRIMARY KEY,
    ingested_at TIMESTAMP,
    minhash BLOB
);
CREATE TABLE copy_pairs (
    earlier VARCHAR,
    later VARCHAR,
    PRIMARY KEY (earlier, later)
);
CREATE TABLE resolution_state (
    settings_digest VARCHAR
);
