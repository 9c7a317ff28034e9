-- Reporting views named in Database.md. Each aggregate is computed in its own subquery so joins
-- never multiply rows (the original user_stats joined agents x calls x contacts and over-counted).
-- "Today" and "this month" are UTC.

CREATE VIEW user_stats AS
SELECT u.id,
       u.email,
       u.name,
       u.role,
       u.credits,
       u.is_active,
       u.created_at,
       COALESCE(a.agent_count, 0)        AS agent_count,
       COALESCE(c.call_count, 0)         AS call_count,
       COALESCE(ct.contact_count, 0)     AS contact_count,
       COALESCE(c.total_credits_used, 0) AS total_credits_used,
       COALESCE(c.phone_calls, 0)        AS phone_calls,
       COALESCE(c.internet_calls, 0)     AS internet_calls,
       COALESCE(c.unknown_calls, 0)      AS unknown_calls,
       COALESCE(c.inbound_calls, 0)      AS inbound_calls,
       COALESCE(c.outbound_calls, 0)     AS outbound_calls
  FROM users u
  LEFT JOIN (SELECT user_id, count(*) AS agent_count FROM agents WHERE is_active GROUP BY user_id) a
         ON a.user_id = u.id
  LEFT JOIN (SELECT user_id,
                    count(*) AS call_count,
                    sum(credits_used) FILTER (WHERE status = 'completed') AS total_credits_used,
                    count(*) FILTER (WHERE call_source = 'phone') AS phone_calls,
                    count(*) FILTER (WHERE call_source = 'internet') AS internet_calls,
                    count(*) FILTER (WHERE call_source = 'unknown') AS unknown_calls,
                    count(*) FILTER (WHERE lead_type = 'inbound') AS inbound_calls,
                    count(*) FILTER (WHERE lead_type = 'outbound') AS outbound_calls
               FROM calls GROUP BY user_id) c
         ON c.user_id = u.id
  LEFT JOIN (SELECT user_id, count(*) AS contact_count FROM contacts GROUP BY user_id) ct
         ON ct.user_id = u.id;

CREATE VIEW agent_performance_summary AS
WITH daily AS (
    SELECT * FROM agent_analytics WHERE hour IS NULL
), totals AS (
    SELECT agent_id,
           sum(total_calls) FILTER (WHERE date = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS today_calls,
           sum(successful_calls) FILTER (WHERE date = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS today_successful,
           sum(leads_generated) FILTER (WHERE date = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS today_leads,
           sum(total_cta_interactions) FILTER (WHERE date = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS today_cta,
           sum(leads_with_cta) FILTER (WHERE date = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS today_leads_with_cta,
           sum(total_calls) FILTER (WHERE date >= date_trunc('month', CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS month_calls,
           sum(successful_calls) FILTER (WHERE date >= date_trunc('month', CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS month_successful,
           sum(leads_generated) FILTER (WHERE date >= date_trunc('month', CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS month_leads,
           sum(qualified_leads) FILTER (WHERE date >= date_trunc('month', CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS month_qualified,
           sum(total_cta_interactions) FILTER (WHERE date >= date_trunc('month', CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS month_cta,
           sum(leads_with_cta) FILTER (WHERE date >= date_trunc('month', CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date) AS month_leads_with_cta,
           sum(total_calls) AS total_calls,
           sum(successful_calls) AS total_successful,
           sum(leads_generated) AS total_leads,
           sum(total_duration_minutes) AS total_duration,
           sum(total_cta_interactions) AS total_cta,
           sum(leads_with_cta) AS total_leads_with_cta,
           sum(cta_pricing_clicks) AS pricing,
           sum(cta_demo_clicks) AS demo,
           sum(cta_followup_clicks) AS followup,
           sum(cta_sample_clicks) AS sample,
           sum(cta_human_escalations) AS human
      FROM daily
     GROUP BY agent_id
)
SELECT a.id AS agent_id,
       a.name AS agent_name,
       a.user_id,
       COALESCE(t.today_calls, 0) AS today_calls,
       COALESCE(t.today_successful, 0) AS today_successful_calls,
       percentage(COALESCE(t.today_successful, 0), COALESCE(t.today_calls, 0)) AS today_success_rate,
       COALESCE(t.today_leads, 0) AS today_leads,
       COALESCE(t.today_cta, 0) AS today_cta_interactions,
       percentage(COALESCE(t.today_leads_with_cta, 0), COALESCE(t.today_calls, 0)) AS today_cta_conversion_rate,
       COALESCE(t.month_calls, 0) AS month_calls,
       COALESCE(t.month_successful, 0) AS month_successful_calls,
       percentage(COALESCE(t.month_successful, 0), COALESCE(t.month_calls, 0)) AS month_success_rate,
       COALESCE(t.month_leads, 0) AS month_leads,
       percentage(COALESCE(t.month_qualified, 0), COALESCE(t.month_leads, 0)) AS month_conversion_rate,
       COALESCE(t.month_cta, 0) AS month_cta_interactions,
       percentage(COALESCE(t.month_leads_with_cta, 0), COALESCE(t.month_calls, 0)) AS month_cta_conversion_rate,
       COALESCE(t.total_calls, 0) AS total_calls,
       COALESCE(t.total_successful, 0) AS total_successful_calls,
       percentage(COALESCE(t.total_successful, 0), COALESCE(t.total_calls, 0)) AS total_success_rate,
       COALESCE(t.total_leads, 0) AS total_leads,
       CASE WHEN t.total_calls > 0 THEN round(t.total_duration::numeric / t.total_calls, 2) ELSE 0 END AS avg_call_duration,
       COALESCE(t.total_cta, 0) AS total_cta_interactions,
       percentage(COALESCE(t.total_leads_with_cta, 0), COALESCE(t.total_calls, 0)) AS total_cta_conversion_rate,
       COALESCE(t.pricing, 0) AS total_pricing_clicks,
       COALESCE(t.demo, 0) AS total_demo_clicks,
       COALESCE(t.followup, 0) AS total_followup_clicks,
       COALESCE(t.sample, 0) AS total_sample_clicks,
       COALESCE(t.human, 0) AS total_human_escalations
  FROM agents a
  LEFT JOIN totals t ON t.agent_id = a.id
 WHERE a.is_active;

CREATE VIEW call_source_analytics AS
SELECT user_id,
       call_source,
       count(*) AS total_calls,
       count(*) FILTER (WHERE status = 'completed') AS completed_calls,
       count(*) FILTER (WHERE status = 'failed') AS failed_calls,
       percentage(count(*) FILTER (WHERE status = 'completed'), count(*)) AS success_rate,
       round(avg(duration_minutes), 2) AS avg_duration_minutes,
       sum(credits_used) AS total_credits_used,
       min(created_at) AS first_call_date,
       max(created_at) AS last_call_date
  FROM calls
 GROUP BY user_id, call_source;

CREATE VIEW recent_call_analytics AS
SELECT cac.*,
       u.email AS user_email,
       u.name AS user_name
  FROM call_analytics_cache cac
  JOIN users u ON u.id = cac.user_id
 WHERE cac.date_period >= (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date - 30;

CREATE VIEW active_user_sessions AS
SELECT s.id,
       s.user_id,
       u.email,
       u.name,
       u.role,
       s.created_at,
       s.last_used_at,
       s.expires_at,
       s.refresh_expires_at,
       s.ip_address,
       s.user_agent
  FROM user_sessions s
  JOIN users u ON u.id = s.user_id
 WHERE s.is_active
   AND (s.expires_at > CURRENT_TIMESTAMP OR s.refresh_expires_at > CURRENT_TIMESTAMP);

CREATE VIEW user_login_stats AS
SELECT u.id,
       u.email,
       u.name,
       COALESCE(la.total_attempts, 0) AS total_attempts,
       COALESCE(la.successful_logins, 0) AS successful_logins,
       COALESCE(la.failed_attempts, 0) AS failed_attempts,
       percentage(COALESCE(la.successful_logins, 0), COALESCE(la.total_attempts, 0)) AS success_rate,
       la.last_successful_login,
       la.last_failed_attempt
  FROM users u
  LEFT JOIN (SELECT email,
                    count(*) AS total_attempts,
                    count(*) FILTER (WHERE success) AS successful_logins,
                    count(*) FILTER (WHERE NOT success) AS failed_attempts,
                    max(attempted_at) FILTER (WHERE success) AS last_successful_login,
                    max(attempted_at) FILTER (WHERE NOT success) AS last_failed_attempt
               FROM login_attempts GROUP BY email) la
         ON la.email = u.email;
