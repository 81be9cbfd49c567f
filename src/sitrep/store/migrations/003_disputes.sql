-- Claims and the denials that dispute them, across articles of a story.
ALTER TABLE canonical_events ADD COLUMN disputes VARCHAR[];
