-- The level of available credits (balance minus holds) below which an account's integrations get a
-- credits.low event, once per fall below it.
INSERT INTO system_config (config_key, config_value, description) VALUES
    ('low_credit_threshold', '50', 'Available credits below which a credits.low event is sent (0: never)')
ON CONFLICT (config_key) DO NOTHING;
