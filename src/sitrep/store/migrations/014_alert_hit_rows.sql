-- Watchlist hits keep the row each rule judges (the canonical event with its report facts,
-- as JSON) and its day, so an evaluation reads the hits from this table alone instead of
-- joining every hit's event, first report and article again (analyze/alert_inputs.py).
-- Inputs stored without them are rebuilt from the whole store.
ALTER TABLE alert_rule_hits ADD COLUMN day VARCHAR;
ALTER TABLE alert_rule_hits ADD COLUMN row_json VARCHAR;
DELETE FROM alert_inputs_state;
