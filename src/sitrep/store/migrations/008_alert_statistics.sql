-- Escalation alerts are episodes judged by a Gamma–Poisson model (analyze/rate_model.py):
-- the episode's last day, the tail probability of its peak day and the independent
-- witnesses (outlet, else URL domain, else article) its evidence rests on.
ALTER TABLE alerts ADD COLUMN last_day VARCHAR;
ALTER TABLE alerts ADD COLUMN probability DOUBLE;
ALTER TABLE alerts ADD COLUMN outlets VARCHAR[];
