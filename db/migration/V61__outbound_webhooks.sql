-- Outbound webhooks: customers' endpoints, the transactional outbox of events (written in the
-- transaction of the change that causes them), one delivery per event and subscribed endpoint, and
-- the log of every attempt.

CREATE TABLE webhook_endpoints (
    id                         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url                        VARCHAR(2048) NOT NULL,
    description                VARCHAR(500),
    events                     VARCHAR(40)[] NOT NULL,
    -- the signing secrets (whsec_ + base64): needed in clear to sign, never shown after creation
    secret                     VARCHAR(100) NOT NULL,
    previous_secret            VARCHAR(100),
    previous_secret_expires_at TIMESTAMPTZ,
    enabled                    BOOLEAN NOT NULL DEFAULT true,
    disabled_reason            VARCHAR(200),
    -- the first failure since the last success: 3 days of failures disable the endpoint
    failing_since              TIMESTAMPTZ,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT webhook_endpoints_id_user UNIQUE (id, user_id)
);
CREATE INDEX idx_webhook_endpoints_user ON webhook_endpoints (user_id, created_at);

CREATE TABLE outbound_events (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type       VARCHAR(40) NOT NULL CHECK (type IN ('call.completed', 'call.failed', 'lead.analyzed',
                                                    'campaign.completed', 'credits.low', 'webhook.test')),
    -- the body every delivery sends: {type, timestamp, data}
    payload    JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_outbound_events_user_seq ON outbound_events (user_id, seq);

CREATE TABLE webhook_deliveries (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seq                  BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    event_id             UUID NOT NULL REFERENCES outbound_events (id) ON DELETE CASCADE,
    endpoint_id          UUID NOT NULL,
    user_id              UUID NOT NULL,
    status               VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- a worker holds the delivery until then (the HTTP call runs outside any transaction)
    leased_until         TIMESTAMPTZ,
    last_attempt_at      TIMESTAMPTZ,
    last_response_status INTEGER,
    last_duration_ms     INTEGER,
    last_error           VARCHAR(500),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (endpoint_id, user_id) REFERENCES webhook_endpoints (id, user_id) ON DELETE CASCADE
);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq);
CREATE INDEX idx_webhook_deliveries_event ON webhook_deliveries (event_id);
-- the head of each endpoint's queue, for leasing
CREATE INDEX idx_webhook_deliveries_pending_endpoint ON webhook_deliveries (endpoint_id, seq) WHERE status = 'pending';

CREATE TABLE webhook_delivery_attempts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     UUID NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at    TIMESTAMPTZ NOT NULL,
    response_status INTEGER,
    duration_ms     INTEGER NOT NULL,
    error           VARCHAR(500)
);
CREATE INDEX idx_webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id);

-- What the platform told an account about its integrations (an endpoint disabled after failing)
CREATE TABLE integration_notifications (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint_id UUID REFERENCES webhook_endpoints (id) ON DELETE SET NULL,
    kind        VARCHAR(40) NOT NULL CHECK (kind IN ('webhook_endpoint_disabled')),
    message     VARCHAR(1000) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_integration_notifications_user ON integration_notifications (user_id, created_at);
