-- Every Bolna webhook delivery (and every execution fetched by reconciliation) is stored as
-- received before it is processed, so a delivery is never lost because processing failed. Failed
-- events are retried with backoff by a scheduled job and can be replayed by an admin.
-- shedlock: the lock table of ShedLock, so scheduled jobs run on one instance at a time.

CREATE TABLE bolna_webhook_events (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    execution_id    VARCHAR(255) NOT NULL,
    bolna_agent_id  VARCHAR(255),
    status          VARCHAR(50),
    source          VARCHAR(20) NOT NULL DEFAULT 'webhook',
    payload         JSONB NOT NULL,
    state           VARCHAR(20) NOT NULL DEFAULT 'received',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TIMESTAMPTZ,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    processed_at    TIMESTAMPTZ,
    CONSTRAINT bolna_webhook_events_state_check CHECK (state IN ('received', 'processed', 'failed', 'ignored')),
    CONSTRAINT bolna_webhook_events_source_check CHECK (source IN ('webhook', 'reconciliation', 'replay'))
);
CREATE INDEX idx_bolna_webhook_events_execution ON bolna_webhook_events (execution_id, received_at);
CREATE INDEX idx_bolna_webhook_events_retry ON bolna_webhook_events (next_attempt_at) WHERE state = 'failed';
CREATE INDEX idx_bolna_webhook_events_state ON bolna_webhook_events (state, received_at);

CREATE TABLE shedlock (
    name       VARCHAR(64) PRIMARY KEY,
    lock_until TIMESTAMPTZ NOT NULL,
    locked_at  TIMESTAMPTZ NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
