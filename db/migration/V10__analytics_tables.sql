-- Daily analytics tables that the triggers keep up to date: per agent (agent_analytics), per user
-- (user_analytics, user_daily_analytics) and the dashboard's per-period cache (call_analytics_cache).
-- Analytics days are UTC calendar days of the call's created_at.

CREATE TABLE agent_analytics (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id               UUID NOT NULL,
    user_id                UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date                   DATE NOT NULL,
    -- legacy: hourly rows are no longer written; daily rows have hour NULL
    hour                   INTEGER,
    total_calls            INTEGER NOT NULL DEFAULT 0,
    successful_calls       INTEGER NOT NULL DEFAULT 0,
    failed_calls           INTEGER NOT NULL DEFAULT 0,
    total_duration_minutes INTEGER NOT NULL DEFAULT 0,
    avg_duration_minutes   NUMERIC(10, 2) NOT NULL DEFAULT 0,
    leads_generated        INTEGER NOT NULL DEFAULT 0,
    qualified_leads        INTEGER NOT NULL DEFAULT 0,
    conversion_rate        NUMERIC(5, 2) NOT NULL DEFAULT 0,
    cta_pricing_clicks     INTEGER NOT NULL DEFAULT 0,
    cta_demo_clicks        INTEGER NOT NULL DEFAULT 0,
    cta_followup_clicks    INTEGER NOT NULL DEFAULT 0,
    cta_sample_clicks      INTEGER NOT NULL DEFAULT 0,
    cta_human_escalations  INTEGER NOT NULL DEFAULT 0,
    total_cta_interactions INTEGER NOT NULL DEFAULT 0,
    -- analysed calls with at least one CTA interaction: the numerator of cta_conversion_rate
    leads_with_cta         INTEGER NOT NULL DEFAULT 0,
    cta_conversion_rate    NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_engagement_score   NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_intent_score       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_urgency_score      NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_budget_score       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_fit_score          NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_total_score        NUMERIC(5, 2) NOT NULL DEFAULT 0,
    credits_used           INTEGER NOT NULL DEFAULT 0,
    cost_per_lead          NUMERIC(10, 2) NOT NULL DEFAULT 0,
    success_rate           NUMERIC(5, 2) NOT NULL DEFAULT 0,
    answer_rate            NUMERIC(5, 2) NOT NULL DEFAULT 0,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT agent_analytics_agent_user_date_unique UNIQUE (agent_id, user_id, date),
    CONSTRAINT agent_analytics_agent_same_user_fk FOREIGN KEY (agent_id, user_id)
        REFERENCES agents (id, user_id) ON DELETE CASCADE,
    CONSTRAINT agent_analytics_hour_check CHECK (hour BETWEEN 0 AND 23),
    CONSTRAINT agent_analytics_counters_check CHECK (
        total_calls >= 0 AND successful_calls >= 0 AND failed_calls >= 0 AND total_duration_minutes >= 0
        AND leads_generated >= 0 AND qualified_leads >= 0 AND credits_used >= 0
        AND cta_pricing_clicks >= 0 AND cta_demo_clicks >= 0 AND cta_followup_clicks >= 0
        AND cta_sample_clicks >= 0 AND cta_human_escalations >= 0)
);
CREATE INDEX idx_agent_analytics_user_date ON agent_analytics (user_id, date);
CREATE INDEX idx_agent_analytics_agent_date ON agent_analytics (agent_id, date);
CREATE INDEX idx_agent_analytics_cta_pricing ON agent_analytics (cta_pricing_clicks) WHERE cta_pricing_clicks > 0;
CREATE INDEX idx_agent_analytics_cta_demo ON agent_analytics (cta_demo_clicks) WHERE cta_demo_clicks > 0;
CREATE INDEX idx_agent_analytics_cta_followup ON agent_analytics (cta_followup_clicks) WHERE cta_followup_clicks > 0;
CREATE INDEX idx_agent_analytics_cta_sample ON agent_analytics (cta_sample_clicks) WHERE cta_sample_clicks > 0;
CREATE INDEX idx_agent_analytics_cta_human ON agent_analytics (cta_human_escalations) WHERE cta_human_escalations > 0;
CREATE INDEX idx_agent_analytics_total_cta ON agent_analytics (total_cta_interactions) WHERE total_cta_interactions > 0;

CREATE TABLE user_analytics (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date                   DATE NOT NULL,
    -- NULL for the daily aggregate, 0..23 for hourly rows
    hour                   INTEGER,
    total_calls            INTEGER NOT NULL DEFAULT 0,
    successful_calls       INTEGER NOT NULL DEFAULT 0,
    failed_calls           INTEGER NOT NULL DEFAULT 0,
    total_duration_minutes INTEGER NOT NULL DEFAULT 0,
    avg_duration_minutes   NUMERIC(10, 2) NOT NULL DEFAULT 0,
    leads_generated        INTEGER NOT NULL DEFAULT 0,
    qualified_leads        INTEGER NOT NULL DEFAULT 0,
    conversion_rate        NUMERIC(5, 2) NOT NULL DEFAULT 0,
    cta_pricing_clicks     INTEGER NOT NULL DEFAULT 0,
    cta_demo_clicks        INTEGER NOT NULL DEFAULT 0,
    cta_followup_clicks    INTEGER NOT NULL DEFAULT 0,
    cta_sample_clicks      INTEGER NOT NULL DEFAULT 0,
    cta_human_escalations  INTEGER NOT NULL DEFAULT 0,
    total_cta_interactions INTEGER NOT NULL DEFAULT 0,
    -- analysed calls with at least one CTA interaction: the numerator of cta_conversion_rate
    leads_with_cta         INTEGER NOT NULL DEFAULT 0,
    cta_conversion_rate    NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_engagement_score   NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_intent_score       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_urgency_score      NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_budget_score       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_fit_score          NUMERIC(5, 2) NOT NULL DEFAULT 0,
    credits_used           INTEGER NOT NULL DEFAULT 0,
    cost_per_lead          NUMERIC(10, 2) NOT NULL DEFAULT 0,
    success_rate           NUMERIC(5, 2) NOT NULL DEFAULT 0,
    answer_rate            NUMERIC(5, 2) NOT NULL DEFAULT 0,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- NULLS NOT DISTINCT: the daily row (hour NULL) is unique too, so the rollup can UPSERT it
    CONSTRAINT user_analytics_user_date_hour_unique UNIQUE NULLS NOT DISTINCT (user_id, date, hour),
    CONSTRAINT user_analytics_hour_check CHECK (hour BETWEEN 0 AND 23)
);
CREATE INDEX idx_user_analytics_user_date ON user_analytics (user_id, date);

CREATE TABLE user_daily_analytics (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date                   DATE NOT NULL,
    total_calls            INTEGER NOT NULL DEFAULT 0,
    successful_calls       INTEGER NOT NULL DEFAULT 0,
    failed_calls           INTEGER NOT NULL DEFAULT 0,
    total_duration_minutes INTEGER NOT NULL DEFAULT 0,
    leads_generated        INTEGER NOT NULL DEFAULT 0,
    qualified_leads        INTEGER NOT NULL DEFAULT 0,
    credits_used           INTEGER NOT NULL DEFAULT 0,
    avg_engagement_score   NUMERIC(5, 2) NOT NULL DEFAULT 0,
    avg_intent_score       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT user_daily_analytics_user_date_unique UNIQUE (user_id, date)
);

CREATE TABLE call_analytics_cache (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- first day of the period: the day, the ISO week's Monday, or the month's first day
    date_period           DATE NOT NULL,
    period_type           VARCHAR(20) NOT NULL,
    total_calls           INTEGER NOT NULL DEFAULT 0,
    successful_calls      INTEGER NOT NULL DEFAULT 0,
    failed_calls          INTEGER NOT NULL DEFAULT 0,
    missed_calls          INTEGER NOT NULL DEFAULT 0,
    connection_rate       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    total_call_duration   INTEGER NOT NULL DEFAULT 0,
    average_call_duration NUMERIC(8, 2) NOT NULL DEFAULT 0,
    hot_leads             INTEGER NOT NULL DEFAULT 0,
    warm_leads            INTEGER NOT NULL DEFAULT 0,
    cold_leads            INTEGER NOT NULL DEFAULT 0,
    unqualified_leads     INTEGER NOT NULL DEFAULT 0,
    total_leads           INTEGER NOT NULL DEFAULT 0,
    average_lead_score    NUMERIC(5, 2) NOT NULL DEFAULT 0,
    conversion_rate       NUMERIC(5, 2) NOT NULL DEFAULT 0,
    pricing_clicks        INTEGER NOT NULL DEFAULT 0,
    demo_requests         INTEGER NOT NULL DEFAULT 0,
    followup_requests     INTEGER NOT NULL DEFAULT 0,
    sample_requests       INTEGER NOT NULL DEFAULT 0,
    human_escalations     INTEGER NOT NULL DEFAULT 0,
    high_intent_leads     INTEGER NOT NULL DEFAULT 0,
    high_budget_leads     INTEGER NOT NULL DEFAULT 0,
    urgent_leads          INTEGER NOT NULL DEFAULT 0,
    inbound_calls         INTEGER NOT NULL DEFAULT 0,
    outbound_calls        INTEGER NOT NULL DEFAULT 0,
    calculated_at         TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT call_analytics_cache_user_period_unique UNIQUE (user_id, date_period, period_type),
    CONSTRAINT call_analytics_cache_period_type_check CHECK (period_type IN ('daily', 'weekly', 'monthly'))
);
CREATE INDEX idx_call_analytics_cache_user_period ON call_analytics_cache (user_id, period_type, date_period);
CREATE INDEX idx_call_analytics_cache_date_period ON call_analytics_cache (date_period);
