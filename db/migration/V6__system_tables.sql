-- System tables: runtime configuration, the legacy migration tracker, the trigger error log that
-- every trigger function writes to instead of failing its transaction, and the legacy Twilio
-- dedupe table.

CREATE TABLE system_config (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    config_key   VARCHAR(255) NOT NULL,
    config_value TEXT NOT NULL,
    is_encrypted BOOLEAN NOT NULL DEFAULT false,
    description  TEXT,
    updated_by   UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT system_config_key_unique UNIQUE (config_key)
);

CREATE TABLE migration_status (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    migration_name   VARCHAR(255) NOT NULL,
    table_name       VARCHAR(255) NOT NULL,
    status           VARCHAR(20) NOT NULL DEFAULT 'pending',
    records_total    INTEGER NOT NULL DEFAULT 0,
    records_migrated INTEGER NOT NULL DEFAULT 0,
    error_message    TEXT,
    started_at       TIMESTAMPTZ,
    completed_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT migration_status_name_table_unique UNIQUE (migration_name, table_name),
    CONSTRAINT migration_status_status_check CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    CONSTRAINT migration_status_records_check
        CHECK (records_total >= 0 AND records_migrated >= 0)
);

CREATE TABLE trigger_error_log (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    trigger_name  VARCHAR(100),
    table_name    VARCHAR(100) NOT NULL,
    operation     VARCHAR(10) NOT NULL,
    error_message TEXT NOT NULL,
    error_context JSONB NOT NULL DEFAULT '{}'::jsonb,
    sqlstate      VARCHAR(5),
    occurred_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_trigger_error_log_occurred_at ON trigger_error_log (occurred_at);
CREATE INDEX idx_trigger_error_log_table_name ON trigger_error_log (table_name, occurred_at);

CREATE TABLE twilio_processed_calls (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    twilio_call_sid VARCHAR(255) NOT NULL,
    phone_number    VARCHAR(50),
    call_status     VARCHAR(50),
    processed_at    TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    user_id         UUID REFERENCES users (id) ON DELETE SET NULL,
    contact_id      UUID REFERENCES contacts (id) ON DELETE SET NULL,
    CONSTRAINT twilio_processed_calls_sid_unique UNIQUE (twilio_call_sid)
);
CREATE INDEX idx_twilio_processed_calls_sid ON twilio_processed_calls (twilio_call_sid);
CREATE INDEX idx_twilio_processed_calls_phone ON twilio_processed_calls (phone_number);
CREATE INDEX idx_twilio_processed_calls_processed_at ON twilio_processed_calls (processed_at);
