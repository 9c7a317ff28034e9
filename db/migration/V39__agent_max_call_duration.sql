-- Every agent has a hard limit on the length of its calls, sent to Bolna as the task's
-- call_terminate: no call can outlast it, so the most a call can cost is known before it is dialled
-- (the credit hold). Agents created before this migration get the platform default of 600 seconds.

ALTER TABLE agents ADD COLUMN max_call_duration_seconds INTEGER NOT NULL DEFAULT 600,
    ADD CONSTRAINT agents_max_call_duration_seconds_check CHECK (max_call_duration_seconds BETWEEN 30 AND 3600);

INSERT INTO system_config (config_key, config_value, description) VALUES
    ('default_max_call_duration_seconds', '600',
     'Hard limit of a call, in seconds, for agents created without maxCallDurationSeconds (30 to 3600)')
ON CONFLICT (config_key) DO NOTHING;
