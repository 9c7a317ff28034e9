-- What the calls produce: AI lead analyses (individual per call, complete per user + phone),
-- the follow-ups users schedule for leads, and the customers leads are converted into.

CREATE TABLE lead_analytics (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    call_id                 UUID NOT NULL,
    user_id                 UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    phone_number            VARCHAR(50),
    analysis_type           VARCHAR(20) NOT NULL DEFAULT 'individual',
    previous_calls_analyzed INTEGER NOT NULL DEFAULT 0,
    latest_call_id          UUID,
    analysis_timestamp      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    intent_level            VARCHAR(50),
    intent_score            INTEGER,
    urgency_level           VARCHAR(50),
    urgency_score           INTEGER,
    budget_constraint       VARCHAR(50),
    budget_score            INTEGER,
    fit_alignment           VARCHAR(50),
    fit_score               INTEGER,
    engagement_health       VARCHAR(50),
    engagement_score        INTEGER,
    total_score             INTEGER,
    lead_status_tag         VARCHAR(20),
    reasoning               JSONB NOT NULL DEFAULT '{}'::jsonb,
    cta_interactions        JSONB NOT NULL DEFAULT '{}'::jsonb,
    company_name            VARCHAR(255),
    extracted_name          VARCHAR(255),
    extracted_email         VARCHAR(255),
    cta_pricing_clicked     BOOLEAN NOT NULL DEFAULT false,
    cta_demo_clicked        BOOLEAN NOT NULL DEFAULT false,
    cta_followup_clicked    BOOLEAN NOT NULL DEFAULT false,
    cta_sample_clicked      BOOLEAN NOT NULL DEFAULT false,
    cta_escalated_to_human  BOOLEAN NOT NULL DEFAULT false,
    smart_notification      VARCHAR(1000),
    demo_book_datetime      VARCHAR(100),
    is_read                 BOOLEAN NOT NULL DEFAULT false,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- an analysis can only name calls of its own user
    CONSTRAINT lead_analytics_call_same_user_fk FOREIGN KEY (call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE CASCADE,
    CONSTRAINT lead_analytics_latest_call_same_user_fk FOREIGN KEY (latest_call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE SET NULL (latest_call_id),
    CONSTRAINT lead_analytics_analysis_type_check CHECK (analysis_type IN ('individual', 'complete')),
    CONSTRAINT lead_analytics_complete_phone_check CHECK (analysis_type = 'individual' OR phone_number IS NOT NULL),
    CONSTRAINT lead_analytics_previous_calls_check CHECK (previous_calls_analyzed >= 0),
    CONSTRAINT lead_analytics_intent_score_check CHECK (intent_score BETWEEN 0 AND 100),
    CONSTRAINT lead_analytics_urgency_score_check CHECK (urgency_score BETWEEN 0 AND 100),
    CONSTRAINT lead_analytics_budget_score_check CHECK (budget_score BETWEEN 0 AND 100),
    CONSTRAINT lead_analytics_fit_score_check CHECK (fit_score BETWEEN 0 AND 100),
    CONSTRAINT lead_analytics_engagement_score_check CHECK (engagement_score BETWEEN 0 AND 100),
    CONSTRAINT lead_analytics_total_score_check CHECK (total_score BETWEEN 0 AND 100),
    CONSTRAINT lead_analytics_status_tag_check CHECK (lead_status_tag IN ('Hot', 'Warm', 'Cold'))
);
CREATE INDEX idx_lead_analytics_call_id ON lead_analytics (call_id);
CREATE INDEX idx_lead_analytics_type ON lead_analytics (call_id, analysis_type);
CREATE INDEX idx_lead_analytics_user_phone ON lead_analytics (user_id, phone_number);
CREATE INDEX idx_lead_analytics_complete ON lead_analytics (user_id, phone_number, analysis_type)
    WHERE analysis_type = 'complete';
-- deliberate hardening (CONTRACT.md 1): one complete analysis per user + phone, so the UPSERT is race-free
CREATE UNIQUE INDEX lead_analytics_complete_user_phone_unique ON lead_analytics (user_id, phone_number)
    WHERE analysis_type = 'complete';
CREATE INDEX idx_lead_analytics_user_id ON lead_analytics (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX idx_lead_analytics_company_name ON lead_analytics (company_name) WHERE company_name IS NOT NULL;
CREATE INDEX idx_lead_analytics_total_score ON lead_analytics (total_score);
CREATE INDEX idx_lead_analytics_lead_status_tag ON lead_analytics (lead_status_tag);
CREATE INDEX idx_lead_analytics_unread ON lead_analytics (user_id, created_at) WHERE is_read = false;
CREATE INDEX idx_lead_analytics_cta_pricing ON lead_analytics (cta_pricing_clicked) WHERE cta_pricing_clicked = true;
CREATE INDEX idx_lead_analytics_cta_demo ON lead_analytics (cta_demo_clicked) WHERE cta_demo_clicked = true;
CREATE INDEX idx_lead_analytics_cta_followup ON lead_analytics (cta_followup_clicked) WHERE cta_followup_clicked = true;
CREATE INDEX idx_lead_analytics_cta_sample ON lead_analytics (cta_sample_clicked) WHERE cta_sample_clicked = true;
CREATE INDEX idx_lead_analytics_cta_escalated ON lead_analytics (cta_escalated_to_human) WHERE cta_escalated_to_human = true;

CREATE TABLE follow_ups (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lead_phone       VARCHAR(50) NOT NULL,
    lead_email       VARCHAR(255),
    lead_name        VARCHAR(255),
    follow_up_date   DATE NOT NULL,
    remark           TEXT,
    is_completed     BOOLEAN NOT NULL DEFAULT false,
    follow_up_status VARCHAR(20) NOT NULL DEFAULT 'pending',
    created_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    completed_at     TIMESTAMPTZ,
    completed_by     UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT follow_ups_status_check CHECK (follow_up_status IN ('pending', 'completed', 'cancelled')),
    CONSTRAINT follow_ups_completed_consistency_check CHECK (is_completed = (follow_up_status = 'completed'))
);
CREATE INDEX idx_follow_ups_user_id ON follow_ups (user_id);
CREATE INDEX idx_follow_ups_lead_phone ON follow_ups (user_id, lead_phone);
CREATE INDEX idx_follow_ups_follow_up_date ON follow_ups (user_id, follow_up_date);
CREATE INDEX idx_follow_ups_status ON follow_ups (follow_up_status);

CREATE TABLE customers (
    id                        UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact_id                UUID,
    customer_reference_number VARCHAR(20) NOT NULL,
    name                      VARCHAR(255) NOT NULL,
    email                     VARCHAR(255),
    phone                     VARCHAR(50),
    company                   VARCHAR(255),
    status                    VARCHAR(20) NOT NULL DEFAULT 'Active',
    conversion_date           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    original_lead_source      VARCHAR(100),
    assigned_sales_rep        VARCHAR(255),
    last_interaction_date     TIMESTAMPTZ,
    notes                     TEXT,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT customers_reference_number_unique UNIQUE (customer_reference_number),
    CONSTRAINT customers_reference_number_format_check
        CHECK (customer_reference_number ~ '^CUST-[0-9]{4}-[0-9]{4,}$'),
    -- one customer per contact, and only a contact of the same user
    CONSTRAINT customers_contact_id_unique UNIQUE (contact_id),
    CONSTRAINT customers_contact_same_user_fk FOREIGN KEY (contact_id, user_id)
        REFERENCES contacts (id, user_id) ON DELETE SET NULL (contact_id),
    CONSTRAINT customers_status_check CHECK (status IN ('Active', 'Inactive', 'Churned', 'On Hold'))
);
CREATE INDEX idx_customers_user_id ON customers (user_id);
CREATE INDEX idx_customers_status ON customers (user_id, status);
CREATE INDEX idx_customers_conversion_date ON customers (conversion_date);
