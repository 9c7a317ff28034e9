-- Reporting views: the read models through which a module reads another module's data in SQL
-- (decision 0016). Each is a plain projection of one owner's table, so PostgreSQL inlines it and a
-- query over it plans exactly as over the table; what a view leaves out (passwords, payloads, secrets)
-- is not read across modules. TableOwnershipTest allows these names to every module; the tables
-- themselves only to their owner. Repeatable: changed views are redefined here, never in a V file.

DROP VIEW IF EXISTS report_accounts, report_agents, report_calls, report_transcripts, report_contacts,
    report_lead_analyses, report_credit_movements, report_checkout_sessions, report_call_outcomes CASCADE;

-- auth (and billing's balance columns)
CREATE VIEW report_accounts AS
SELECT id, email, name, role, is_active, email_verified, auth_provider, credits, max_concurrent_calls, created_at
  FROM users;

-- agent
CREATE VIEW report_agents AS
SELECT id, user_id, bolna_agent_id, name, agent_type, is_active, max_call_duration_seconds, created_at
  FROM agents;

-- call
CREATE VIEW report_calls AS
SELECT id, user_id, agent_id, contact_id, campaign_id, bolna_execution_id, phone_number, call_source, caller_name,
       lead_type, status, call_lifecycle_status, duration_seconds, duration_minutes, credits_used, transcript_id,
       completed_at, created_at
  FROM calls;

CREATE VIEW report_transcripts AS
SELECT id, call_id, user_id, content, analysis_status, created_at, updated_at
  FROM transcripts;

-- contact
CREATE VIEW report_contacts AS
SELECT id, user_id, name, phone_number, email, company, is_customer, not_connected, created_at
  FROM contacts;

-- lead
CREATE VIEW report_lead_analyses AS
SELECT id, call_id, user_id, phone_number, analysis_type, previous_calls_analyzed, latest_call_id, analysis_timestamp,
       intent_level, intent_score, urgency_level, urgency_score, budget_constraint, budget_score, fit_alignment,
       fit_score, engagement_health, engagement_score, total_score, lead_status_tag, reasoning, cta_interactions,
       company_name, extracted_name, extracted_email, cta_pricing_clicked, cta_demo_clicked, cta_followup_clicked,
       cta_sample_clicked, cta_escalated_to_human, smart_notification, demo_book_datetime, is_read, created_at
  FROM lead_analytics;

-- billing
-- seq: the ledger's order (rows written in one transaction share created_at, and their ids are random)
CREATE VIEW report_credit_movements AS
SELECT id, user_id, seq, type, amount, balance_after, description, call_id, created_at
  FROM credit_transactions;

CREATE VIEW report_checkout_sessions AS
SELECT session_id, user_id, package_id, credits, amount_cents, currency, created_at, credited_at, credits_refunded,
       refund_for_closure_at
  FROM stripe_checkout_sessions;

-- analytics
CREATE VIEW report_call_outcomes AS
SELECT call_id, user_id, agent_id, outcome, created_at
  FROM agent_call_outcomes;
