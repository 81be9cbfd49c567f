-- What story clustering reads of each article (resolve/story_features.py), computed once:
-- the four views' bags of terms (64-bit term hashes and their counts, views ending at
-- `ends`), the distinct names of the text, its word count and first line. Incremental
-- resolution reads these instead of tokenising every article of a re-clustered block
-- again. A row counts only for the article's `ingested_at` and the features `version`
-- it was computed with; any other is computed again.
CREATE TABLE story_features (
    article_id VARCHAR PRIMARY KEY,
    ingested_at TIMESTAMP,
    version INTEGER,
    words INTEGER,
    first_line VARCHAR,
    names VARCHAR[],
    ends INTEGER[],
    terms BLOB,
    counts BLOB
);
