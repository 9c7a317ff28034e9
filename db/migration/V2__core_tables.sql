-- Core tenancy model: users (the tenants), their agents, contacts, calls, transcripts and the
-- admin-managed phone numbers. Every user-owned table carries user_id, and the composite keys
-- UNIQUE(id, user_id) + FOREIGN KEY (x_id, user_id) make a cross-tenant reference impossible in
-- the database itself, whatever the application does.

CREATE TABLE users (
    id                          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email                       VARCHAR(255) NOT NULL,
    name                        VARCHAR(255) NOT NULL,
    credits                     INTEGER NOT NULL DEFAULT 15,
    role                        VARCHAR(20) NOT NULL DEFAULT 'user',
    password_hash               VARCHAR(255),
    email_verified              BOOLEAN NOT NULL DEFAULT false,
    is_active                   BOOLEAN NOT NULL DEFAULT true,
    auth_provider               VARCHAR(20) NOT NULL DEFAULT 'email',
    openai_individual_prompt_id VARCHAR(255),
    openai_complete_prompt_id   VARCHAR(255),
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT users_email_unique UNIQUE (email),
    -- emails are stored trimmed and lower-cased so the unique key is case-insensitive
    CONSTRAINT users_email_normalised_check CHECK (email = lower(btrim(email)) AND email <> ''),
    CONSTRAINT users_role_check CHECK (role IN ('user', 'admin', 'super_admin')),
    CONSTRAINT users_auth_provider_check CHECK (auth_provider IN ('email', 'google', 'linkedin', 'github'))
);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_created_at ON users (created_at);
CREATE INDEX idx_users_openai_prompts ON users (openai_individual_prompt_id, openai_complete_prompt_id);

CREATE TABLE agents (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    bolna_agent_id     VARCHAR(255) NOT NULL,
    name               VARCHAR(255) NOT NULL,
    agent_type         VARCHAR(20) NOT NULL DEFAULT 'call',
    description        TEXT,
    is_active          BOOLEAN NOT NULL DEFAULT true,
    bolna_webhook_url  TEXT,
    bolna_voice_config JSONB NOT NULL DEFAULT '{}'::jsonb,
    bolna_llm_config   JSONB NOT NULL DEFAULT '{}'::jsonb,
    bolna_task_config  JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT agents_bolna_agent_id_unique UNIQUE (bolna_agent_id),
    CONSTRAINT agents_user_bolna_agent_id_unique UNIQUE (user_id, bolna_agent_id),
    CONSTRAINT agents_id_user_id_unique UNIQUE (id, user_id),
    CONSTRAINT agents_agent_type_check CHECK (agent_type IN ('call', 'chat')),
    CONSTRAINT agents_name_not_blank CHECK (btrim(name) <> '')
);
CREATE INDEX idx_agents_user_id ON agents (user_id);
CREATE INDEX idx_agents_user_id_active ON agents (user_id, is_active);
CREATE INDEX idx_agents_bolna_agent_id ON agents (bolna_agent_id);
CREATE INDEX idx_agents_user_bolna ON agents (user_id, bolna_agent_id);

CREATE TABLE contacts (
    id                        UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                      VARCHAR(255),
    phone_number              VARCHAR(50) NOT NULL,
    email                     VARCHAR(255),
    company                   VARCHAR(255),
    notes                     TEXT,
    is_customer               BOOLEAN NOT NULL DEFAULT false,
    auto_created_from_call_id UUID,
    is_auto_created           BOOLEAN NOT NULL DEFAULT false,
    auto_creation_source      VARCHAR(20),
    not_connected             INTEGER NOT NULL DEFAULT 0,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT contacts_user_phone_unique UNIQUE (user_id, phone_number),
    CONSTRAINT contacts_id_user_id_unique UNIQUE (id, user_id),
    CONSTRAINT contacts_auto_creation_source_check CHECK (auto_creation_source IN ('webhook', 'manual')),
    CONSTRAINT contacts_not_connected_check CHECK (not_connected >= 0)
);
CREATE INDEX idx_contacts_user_id ON contacts (user_id);
CREATE INDEX idx_contacts_phone_number ON contacts (phone_number);
CREATE INDEX idx_contacts_is_customer ON contacts (user_id, is_customer);
CREATE INDEX idx_contacts_not_connected ON contacts (not_connected) WHERE not_connected > 0;

CREATE TABLE calls (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id              UUID NOT NULL,
    user_id               UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact_id            UUID,
    bolna_execution_id    VARCHAR(255) NOT NULL,
    phone_number          VARCHAR(50) NOT NULL,
    call_source           VARCHAR(20) NOT NULL DEFAULT 'phone',
    caller_name           VARCHAR(255),
    caller_email          VARCHAR(255),
    lead_type             VARCHAR(20) NOT NULL DEFAULT 'outbound',
    duration_minutes      INTEGER NOT NULL DEFAULT 0,
    duration_seconds      INTEGER NOT NULL DEFAULT 0,
    credits_used          INTEGER NOT NULL DEFAULT 0,
    status                VARCHAR(20) NOT NULL DEFAULT 'in_progress',
    recording_url         TEXT,
    metadata              JSONB NOT NULL DEFAULT '{}'::jsonb,
    bolna_call_config     JSONB NOT NULL DEFAULT '{}'::jsonb,
    bolna_voice_settings  JSONB NOT NULL DEFAULT '{}'::jsonb,
    bolna_metadata        JSONB NOT NULL DEFAULT '{}'::jsonb,
    call_lifecycle_status VARCHAR(20) NOT NULL DEFAULT 'initiated',
    hangup_by             VARCHAR(20),
    hangup_reason         TEXT,
    hangup_provider_code  INTEGER,
    ringing_started_at    TIMESTAMPTZ,
    call_answered_at      TIMESTAMPTZ,
    call_disconnected_at  TIMESTAMPTZ,
    transcript_id         UUID,
    completed_at          TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT calls_bolna_execution_id_unique UNIQUE (bolna_execution_id),
    CONSTRAINT calls_id_user_id_unique UNIQUE (id, user_id),
    -- a call can only name an agent of its own user
    CONSTRAINT calls_agent_same_user_fk FOREIGN KEY (agent_id, user_id) REFERENCES agents (id, user_id),
    -- and only a contact of its own user; deleting the contact keeps the call
    CONSTRAINT calls_contact_same_user_fk FOREIGN KEY (contact_id, user_id)
        REFERENCES contacts (id, user_id) ON DELETE SET NULL (contact_id),
    CONSTRAINT calls_call_source_check CHECK (call_source IN ('phone', 'internet', 'unknown')),
    CONSTRAINT calls_lead_type_check CHECK (lead_type IN ('inbound', 'outbound')),
    CONSTRAINT calls_status_check CHECK (status IN ('completed', 'failed', 'in_progress', 'cancelled')),
    CONSTRAINT calls_lifecycle_status_check
        CHECK (call_lifecycle_status IN ('initiated', 'ringing', 'answered', 'disconnected')),
    CONSTRAINT calls_hangup_by_check CHECK (hangup_by IN ('user', 'agent', 'system')),
    CONSTRAINT calls_duration_minutes_check CHECK (duration_minutes >= 0),
    CONSTRAINT calls_duration_seconds_check CHECK (duration_seconds >= 0),
    CONSTRAINT calls_credits_used_check CHECK (credits_used >= 0)
);
CREATE INDEX idx_calls_bolna_execution_id ON calls (bolna_execution_id);
CREATE INDEX idx_calls_user_id ON calls (user_id);
CREATE INDEX idx_calls_agent_id ON calls (agent_id);
CREATE INDEX idx_calls_contact_id ON calls (contact_id);
CREATE INDEX idx_calls_status ON calls (status);
CREATE INDEX idx_calls_created_at ON calls (created_at);
CREATE INDEX idx_calls_phone_number ON calls (phone_number);
CREATE INDEX idx_calls_user_created_at ON calls (user_id, created_at);
CREATE INDEX idx_calls_user_status_created_at ON calls (user_id, status, created_at);
CREATE INDEX idx_calls_call_source_user ON calls (call_source, user_id);
CREATE INDEX idx_calls_caller_email ON calls (caller_email) WHERE caller_email IS NOT NULL;
CREATE INDEX idx_calls_completed ON calls (user_id, created_at) WHERE status = 'completed';
-- for the reconciliation job: calls not yet terminal, oldest first
CREATE INDEX idx_calls_in_progress ON calls (created_at) WHERE status = 'in_progress';

ALTER TABLE contacts
    ADD CONSTRAINT contacts_auto_created_from_call_fk FOREIGN KEY (auto_created_from_call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE SET NULL (auto_created_from_call_id);

CREATE TABLE transcripts (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    call_id          UUID NOT NULL,
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content          TEXT NOT NULL,
    speaker_segments JSONB NOT NULL DEFAULT '[]'::jsonb,
    analysis_status  VARCHAR(20) NOT NULL DEFAULT 'pending',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- a transcript can only belong to a call of its own user
    CONSTRAINT transcripts_call_same_user_fk FOREIGN KEY (call_id, user_id)
        REFERENCES calls (id, user_id) ON DELETE CASCADE,
    -- one transcript per call: webhook redeliveries update it instead of adding copies
    CONSTRAINT transcripts_call_id_unique UNIQUE (call_id),
    CONSTRAINT transcripts_analysis_status_check
        CHECK (analysis_status IN ('pending', 'processing', 'completed', 'failed'))
);
CREATE INDEX idx_transcripts_user_id ON transcripts (user_id);
CREATE INDEX idx_transcripts_analysis_status ON transcripts (analysis_status);

ALTER TABLE calls
    ADD CONSTRAINT calls_transcript_fk FOREIGN KEY (transcript_id)
        REFERENCES transcripts (id) ON DELETE SET NULL;

CREATE TABLE phone_numbers (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                 VARCHAR(255) NOT NULL,
    phone_number         VARCHAR(50) NOT NULL,
    assigned_to_agent_id UUID REFERENCES agents (id) ON DELETE SET NULL,
    created_by_admin_id  UUID REFERENCES users (id) ON DELETE SET NULL,
    is_active            BOOLEAN NOT NULL DEFAULT true,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT phone_numbers_e164_check CHECK (phone_number ~ '^\+[1-9][0-9]{1,14}$'),
    -- an inactive number cannot stay assigned to an agent
    CONSTRAINT phone_numbers_inactive_unassigned_check CHECK (is_active OR assigned_to_agent_id IS NULL)
);
CREATE UNIQUE INDEX idx_phone_numbers_unique_active ON phone_numbers (phone_number) WHERE is_active = true;
CREATE UNIQUE INDEX idx_phone_numbers_unique_agent_assignment ON phone_numbers (assigned_to_agent_id)
    WHERE assigned_to_agent_id IS NOT NULL;
CREATE INDEX idx_phone_numbers_assigned_to_agent_id ON phone_numbers (assigned_to_agent_id);
CREATE INDEX idx_phone_numbers_created_by_admin_id ON phone_numbers (created_by_admin_id);
CREATE INDEX idx_phone_numbers_active ON phone_numbers (is_active);
