-- The durable queue of lead analyses: one job per call with a transcript, claimed with
-- FOR UPDATE SKIP LOCKED so it runs once across instances and survives restarts. A job retries
-- with backoff and ends done or failed (the reason kept, re-runnable by the user).

CREATE TABLE lead_analysis_jobs (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    call_id         UUID NOT NULL,
    state           VARCHAR(20) NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT lead_analysis_jobs_call_unique UNIQUE (call_id),
    CONSTRAINT lead_analysis_jobs_call_same_user_fk FOREIGN KEY (call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE CASCADE,
    CONSTRAINT lead_analysis_jobs_state_check CHECK (state IN ('queued', 'running', 'done', 'failed'))
);
CREATE INDEX idx_lead_analysis_jobs_due ON lead_analysis_jobs (next_attempt_at) WHERE state = 'queued';

CREATE TRIGGER update_lead_analysis_jobs_updated_at BEFORE UPDATE ON lead_analysis_jobs
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- one individual analysis per call, so a re-run updates it (and the analytics triggers follow)
CREATE UNIQUE INDEX lead_analytics_individual_call_unique ON lead_analytics (call_id) WHERE analysis_type = 'individual';
