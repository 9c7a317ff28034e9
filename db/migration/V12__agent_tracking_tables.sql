-- Agent performance tracking: per-call outcomes, period-over-period trends and targets.
-- All three carry user_id and reference agents (and calls) through the composite tenancy keys.

CREATE TABLE agent_call_outcomes (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id              UUID NOT NULL,
    call_id               UUID NOT NULL,
    user_id               UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    outcome               VARCHAR(20) NOT NULL,
    call_quality_score    NUMERIC(5, 2),
    customer_satisfaction NUMERIC(5, 2),
    is_qualified_lead     BOOLEAN NOT NULL DEFAULT false,
    lead_temperature      VARCHAR(20),
    follow_up_required    BOOLEAN NOT NULL DEFAULT false,
    follow_up_date        DATE,
    sentiment_score       NUMERIC(5, 2),
    key_topics            TEXT[] NOT NULL DEFAULT '{}',
    objections_raised     TEXT[] NOT NULL DEFAULT '{}',
    next_steps            TEXT,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT agent_call_outcomes_agent_same_user_fk FOREIGN KEY (agent_id, user_id)
        REFERENCES agents (id, user_id) ON DELETE CASCADE,
    CONSTRAINT agent_call_outcomes_call_same_user_fk FOREIGN KEY (call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE CASCADE,
    CONSTRAINT agent_call_outcomes_outcome_check
        CHECK (outcome IN ('completed', 'no_answer', 'busy', 'failed', 'voicemail', 'disconnected')),
    CONSTRAINT agent_call_outcomes_quality_check CHECK (call_quality_score BETWEEN 1 AND 10),
    CONSTRAINT agent_call_outcomes_satisfaction_check CHECK (customer_satisfaction BETWEEN 1 AND 10),
    CONSTRAINT agent_call_outcomes_temperature_check
        CHECK (lead_temperature IN ('hot', 'warm', 'cold', 'not_interested')),
    CONSTRAINT agent_call_outcomes_sentiment_check CHECK (sentiment_score BETWEEN -1 AND 1)
);
CREATE INDEX idx_agent_call_outcomes_agent_id ON agent_call_outcomes (agent_id);
CREATE INDEX idx_agent_call_outcomes_call_id ON agent_call_outcomes (call_id);
CREATE INDEX idx_agent_call_outcomes_user_id ON agent_call_outcomes (user_id, created_at);

CREATE TABLE agent_performance_trends (
    id                             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id                       UUID NOT NULL,
    user_id                        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    period_start                   DATE NOT NULL,
    period_end                     DATE NOT NULL,
    period_type                    VARCHAR(20) NOT NULL,
    calls_change_percent           NUMERIC(7, 2) NOT NULL DEFAULT 0,
    success_rate_change_percent    NUMERIC(7, 2) NOT NULL DEFAULT 0,
    conversion_rate_change_percent NUMERIC(7, 2) NOT NULL DEFAULT 0,
    avg_duration_change_percent    NUMERIC(7, 2) NOT NULL DEFAULT 0,
    cost_efficiency_change_percent NUMERIC(7, 2) NOT NULL DEFAULT 0,
    performance_rank               INTEGER,
    total_agents_count             INTEGER,
    created_at                     TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT agent_performance_trends_period_unique UNIQUE (agent_id, period_start, period_end, period_type),
    CONSTRAINT agent_performance_trends_agent_same_user_fk FOREIGN KEY (agent_id, user_id)
        REFERENCES agents (id, user_id) ON DELETE CASCADE,
    CONSTRAINT agent_performance_trends_period_type_check
        CHECK (period_type IN ('daily', 'weekly', 'monthly', 'quarterly')),
    CONSTRAINT agent_performance_trends_period_order_check CHECK (period_end >= period_start),
    CONSTRAINT agent_performance_trends_rank_check CHECK (performance_rank >= 1)
);
CREATE INDEX idx_agent_performance_trends_user ON agent_performance_trends (user_id, period_type, period_start);

CREATE TABLE agent_targets (
    id                       UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id                 UUID NOT NULL,
    user_id                  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_date              DATE NOT NULL,
    target_type              VARCHAR(20) NOT NULL,
    target_calls             INTEGER,
    target_success_rate      NUMERIC(5, 2),
    target_leads             INTEGER,
    target_conversion_rate   NUMERIC(5, 2),
    target_cost_per_lead     NUMERIC(10, 2),
    achieved_calls           INTEGER NOT NULL DEFAULT 0,
    achieved_success_rate    NUMERIC(5, 2) NOT NULL DEFAULT 0,
    achieved_leads           INTEGER NOT NULL DEFAULT 0,
    achieved_conversion_rate NUMERIC(5, 2) NOT NULL DEFAULT 0,
    actual_cost_per_lead     NUMERIC(10, 2) NOT NULL DEFAULT 0,
    achievement_percentage   NUMERIC(7, 2) NOT NULL DEFAULT 0,
    created_at               TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT agent_targets_period_unique UNIQUE (agent_id, target_date, target_type),
    CONSTRAINT agent_targets_agent_same_user_fk FOREIGN KEY (agent_id, user_id)
        REFERENCES agents (id, user_id) ON DELETE CASCADE,
    CONSTRAINT agent_targets_target_type_check CHECK (target_type IN ('daily', 'weekly', 'monthly')),
    CONSTRAINT agent_targets_targets_check CHECK (
        (target_calls IS NULL OR target_calls >= 0) AND (target_leads IS NULL OR target_leads >= 0)
        AND (target_success_rate IS NULL OR target_success_rate BETWEEN 0 AND 100)
        AND (target_conversion_rate IS NULL OR target_conversion_rate BETWEEN 0 AND 100))
);
CREATE INDEX idx_agent_targets_user ON agent_targets (user_id, target_date);
