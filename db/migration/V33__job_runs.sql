-- One row per run of a scheduled maintenance job (start, duration, outcome), shown to admins.

CREATE TABLE job_runs (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    job_name    VARCHAR(64) NOT NULL,
    trigger     VARCHAR(20) NOT NULL DEFAULT 'schedule',
    started_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    duration_ms BIGINT,
    outcome     VARCHAR(20) NOT NULL DEFAULT 'running',
    detail      TEXT,
    CONSTRAINT job_runs_outcome_check CHECK (outcome IN ('running', 'succeeded', 'failed')),
    CONSTRAINT job_runs_trigger_check CHECK (trigger IN ('schedule', 'manual'))
);
CREATE INDEX idx_job_runs_name_started ON job_runs (job_name, started_at DESC);
