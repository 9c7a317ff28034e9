-- Campaigns: an agent calling a list of recipients within a calling window, with a concurrency limit
-- and a retry policy. A recipient's window is read in its own time zone when its number maps to
-- exactly one (time_zone), otherwise in the campaign's. The dispatcher claims pending recipients
-- with FOR UPDATE SKIP LOCKED; a recipient is in_progress while its call is in flight, so it is never
-- dialled twice at once.

CREATE TABLE campaigns (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agent_id             UUID NOT NULL,
    name                 VARCHAR(255) NOT NULL,
    status               VARCHAR(20) NOT NULL DEFAULT 'draft',
    pause_reason         VARCHAR(30),
    timezone             VARCHAR(64) NOT NULL,
    window_start         TIME NOT NULL,
    window_end           TIME NOT NULL,
    -- ISO days of the week (1 = Monday ... 7 = Sunday)
    window_days          SMALLINT[] NOT NULL,
    max_concurrent_calls INTEGER NOT NULL,
    retry_max_attempts   INTEGER NOT NULL,
    retry_on             VARCHAR(20)[] NOT NULL,
    retry_delay_minutes  INTEGER NOT NULL,
    started_at           TIMESTAMPTZ,
    completed_at         TIMESTAMPTZ,
    cancelled_at         TIMESTAMPTZ,
    -- the dispatcher serves campaigns round-robin, least recently served first
    last_dispatched_at   TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT campaigns_id_user_id_unique UNIQUE (id, user_id),
    CONSTRAINT campaigns_agent_same_user_fk FOREIGN KEY (agent_id, user_id) REFERENCES agents (id, user_id),
    CONSTRAINT campaigns_status_check CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled')),
    CONSTRAINT campaigns_pause_reason_check CHECK (pause_reason IN ('user', 'insufficient_credits', 'agent_inactive')),
    CONSTRAINT campaigns_paused_has_reason_check CHECK ((status = 'paused') = (pause_reason IS NOT NULL)),
    CONSTRAINT campaigns_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT campaigns_window_check CHECK (window_start < window_end AND cardinality(window_days) BETWEEN 1 AND 7
        AND window_days <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::SMALLINT[]),
    CONSTRAINT campaigns_max_concurrent_calls_check CHECK (max_concurrent_calls BETWEEN 1 AND 1000),
    CONSTRAINT campaigns_retry_max_attempts_check CHECK (retry_max_attempts BETWEEN 1 AND 10),
    CONSTRAINT campaigns_retry_on_check CHECK (retry_on <@ ARRAY['no_answer', 'busy', 'failed']::VARCHAR(20)[]),
    CONSTRAINT campaigns_retry_delay_check CHECK (retry_delay_minutes BETWEEN 1 AND 10080)
);
CREATE INDEX idx_campaigns_user_created ON campaigns (user_id, created_at);
CREATE INDEX idx_campaigns_running ON campaigns (last_dispatched_at NULLS FIRST) WHERE status = 'running';

CREATE TABLE campaign_recipients (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id     UUID NOT NULL,
    user_id         UUID NOT NULL,
    phone_number    VARCHAR(50) NOT NULL,
    contact_id      UUID,
    name            VARCHAR(255),
    -- the number's own zone when it maps to exactly one; NULL: the campaign's
    time_zone       VARCHAR(64),
    status          VARCHAR(20) NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_call_id    UUID,
    last_outcome    VARCHAR(30),
    next_attempt_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT campaign_recipients_phone_unique UNIQUE (campaign_id, phone_number),
    CONSTRAINT campaign_recipients_campaign_same_user_fk FOREIGN KEY (campaign_id, user_id)
        REFERENCES campaigns (id, user_id) ON DELETE CASCADE,
    CONSTRAINT campaign_recipients_contact_same_user_fk FOREIGN KEY (contact_id, user_id)
        REFERENCES contacts (id, user_id) ON DELETE SET NULL (contact_id),
    CONSTRAINT campaign_recipients_status_check CHECK (status IN ('pending', 'in_progress', 'completed', 'no_answer',
        'busy', 'failed', 'cancelled', 'skipped_dnc')),
    CONSTRAINT campaign_recipients_attempts_check CHECK (attempts >= 0)
);
-- the dispatcher's claim: a campaign's pending recipients, due first
CREATE INDEX idx_campaign_recipients_due ON campaign_recipients (campaign_id, next_attempt_at NULLS FIRST, id)
    WHERE status = 'pending';
CREATE INDEX idx_campaign_recipients_status ON campaign_recipients (campaign_id, status);
CREATE INDEX idx_campaign_recipients_last_call ON campaign_recipients (last_call_id) WHERE last_call_id IS NOT NULL;

-- campaigns.updated_at is stamped by the application on the changes a user sees, not by a trigger:
-- the dispatcher's last_dispatched_at changes every round and is not one of them
CREATE TRIGGER update_campaign_recipients_updated_at BEFORE UPDATE ON campaign_recipients
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
