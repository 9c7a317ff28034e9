-- A cap on each tenant's calls in progress (its open credit holds): the platform default lives in
-- system_config, an admin may set another one per user (NULL: the default applies).

ALTER TABLE users ADD COLUMN max_concurrent_calls INTEGER,
    ADD CONSTRAINT users_max_concurrent_calls_check CHECK (max_concurrent_calls BETWEEN 0 AND 1000);

INSERT INTO system_config (config_key, config_value, description) VALUES
    ('max_concurrent_calls_per_user', '10', 'Calls in progress one account may have at once, unless an admin set its own cap')
ON CONFLICT (config_key) DO NOTHING;
