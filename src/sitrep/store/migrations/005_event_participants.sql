-- Compound actors: every source and target participant of an event ("Russia and Belarus
-- held joint exercises" is one event with two sources). The JSON columns hold the contract's
-- participant objects; the id lists are for queries (list_contains(source_actor_ids, …)).
-- Events stored before this migration get id lists from their single source/target.
ALTER TABLE events ADD COLUMN sources VARCHAR;
ALTER TABLE events ADD COLUMN targets VARCHAR;
ALTER TABLE events ADD COLUMN source_actor_ids VARCHAR[];
ALTER TABLE events ADD COLUMN target_actor_ids VARCHAR[];
UPDATE events SET
    source_actor_ids = CASE WHEN source_actor_id IS NULL THEN [] ELSE [source_actor_id] END,
    target_actor_ids = CASE WHEN target_actor_id IS NULL THEN [] ELSE [target_actor_id] END;
