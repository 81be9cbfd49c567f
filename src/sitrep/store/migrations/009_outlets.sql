-- Who published an article when its record does not say, and whose report it carries
-- (ingest/outlets.py): how the outlet is known, and the agency of wire copy.
ALTER TABLE articles ADD COLUMN outlet_from VARCHAR;
ALTER TABLE articles ADD COLUMN wire VARCHAR;
-- The originating outlet of each canonical event (its first report's wire, else outlet),
-- and whether only state media report it.
ALTER TABLE canonical_events ADD COLUMN origin_outlet VARCHAR;
ALTER TABLE canonical_events ADD COLUMN state_media_only BOOLEAN DEFAULT false;
