-- user_kpi_summary: one row of pre-computed KPIs per active user, read by the overview and admin
-- dashboards. Windows are rolling (last 30 days and last 7 days from the refresh), lifetime figures
-- cover everything; leads are individual lead analyses of the window's calls (qualified: total_score
-- >= 70); the best agent is the one with the highest success rate over the last 30 UTC days
-- (ties: more calls, then name). It is refreshed CONCURRENTLY by the scheduled job
-- (scheduled_refresh_user_kpi_summary, every kpi_refresh_interval_minutes), which needs the unique
-- index on user_id. Every aggregate is its own subquery so no join multiplies rows.

CREATE MATERIALIZED VIEW user_kpi_summary AS
SELECT u.id AS user_id,
       u.email,
       u.name,
       u.credits,
       u.is_active,
       u.created_at AS user_created_at,
       COALESCE(c30.total_calls, 0) AS total_calls_30d,
       COALESCE(c30.successful_calls, 0) AS successful_calls_30d,
       COALESCE(c30.failed_calls, 0) AS failed_calls_30d,
       percentage(COALESCE(c30.successful_calls, 0), COALESCE(c30.total_calls, 0)) AS success_rate_30d,
       COALESCE(c30.total_duration, 0) AS total_duration_30d,
       COALESCE(c30.avg_duration, 0) AS avg_duration_30d,
       COALESCE(c30.credits_used, 0) AS total_credits_used_30d,
       COALESCE(l30.total_leads, 0) AS total_leads_30d,
       COALESCE(l30.qualified_leads, 0) AS qualified_leads_30d,
       percentage(COALESCE(l30.qualified_leads, 0), COALESCE(l30.total_leads, 0)) AS conversion_rate_30d,
       COALESCE(l30.avg_total_score, 0) AS avg_lead_score_30d,
       COALESCE(l30.avg_intent_score, 0) AS avg_intent_score_30d,
       COALESCE(l30.avg_engagement_score, 0) AS avg_engagement_score_30d,
       COALESCE(ag.total_agents, 0) AS total_agents,
       COALESCE(ag.active_agents, 0) AS active_agents,
       COALESCE(ag.draft_agents, 0) AS draft_agents,
       best.agent_id AS best_performing_agent_id,
       best.agent_name AS best_performing_agent_name,
       COALESCE(best.success_rate, 0) AS best_agent_success_rate,
       COALESCE(c7.total_calls, 0) AS calls_last_7d,
       COALESCE(l7.total_leads, 0) AS leads_last_7d,
       COALESCE(c7.credits_used, 0) AS credits_used_last_7d,
       COALESCE(cl.total_calls, 0) AS total_calls_lifetime,
       COALESCE(ll.total_leads, 0) AS total_leads_lifetime,
       COALESCE(cl.credits_used, 0) AS total_credits_used_lifetime,
       CURRENT_TIMESTAMP AS calculated_at
  FROM users u
  LEFT JOIN (SELECT user_id,
                    count(*) AS total_calls,
                    count(*) FILTER (WHERE status = 'completed') AS successful_calls,
                    count(*) FILTER (WHERE status IN ('failed', 'cancelled')) AS failed_calls,
                    sum(duration_minutes) AS total_duration,
                    round(avg(duration_minutes), 2) AS avg_duration,
                    sum(credits_used) AS credits_used
               FROM calls WHERE created_at >= CURRENT_TIMESTAMP - INTERVAL '30 days'
              GROUP BY user_id) c30 ON c30.user_id = u.id
  LEFT JOIN (SELECT l.user_id,
                    count(*) AS total_leads,
                    count(*) FILTER (WHERE l.total_score >= 70) AS qualified_leads,
                    round(avg(l.total_score), 2) AS avg_total_score,
                    round(avg(l.intent_score), 2) AS avg_intent_score,
                    round(avg(l.engagement_score), 2) AS avg_engagement_score
               FROM lead_analytics l
               JOIN calls c ON c.id = l.call_id AND c.user_id = l.user_id
              WHERE l.analysis_type = 'individual' AND c.created_at >= CURRENT_TIMESTAMP - INTERVAL '30 days'
              GROUP BY l.user_id) l30 ON l30.user_id = u.id
  LEFT JOIN (SELECT user_id,
                    count(*) AS total_agents,
                    count(*) FILTER (WHERE is_active) AS active_agents,
                    count(*) FILTER (WHERE NOT is_active) AS draft_agents
               FROM agents GROUP BY user_id) ag ON ag.user_id = u.id
  LEFT JOIN LATERAL (
             SELECT a.id AS agent_id,
                    a.name AS agent_name,
                    percentage(sum(aa.successful_calls), sum(aa.total_calls)) AS success_rate
               FROM agent_analytics aa
               JOIN agents a ON a.id = aa.agent_id AND a.user_id = aa.user_id
              WHERE aa.user_id = u.id AND aa.hour IS NULL
                AND aa.date >= (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date - 30
              GROUP BY a.id, a.name
             HAVING sum(aa.total_calls) > 0
              ORDER BY percentage(sum(aa.successful_calls), sum(aa.total_calls)) DESC,
                       sum(aa.total_calls) DESC, a.name, a.id
              LIMIT 1) best ON true
  LEFT JOIN (SELECT user_id, count(*) AS total_calls, sum(credits_used) AS credits_used
               FROM calls WHERE created_at >= CURRENT_TIMESTAMP - INTERVAL '7 days'
              GROUP BY user_id) c7 ON c7.user_id = u.id
  LEFT JOIN (SELECT l.user_id, count(*) AS total_leads
               FROM lead_analytics l
               JOIN calls c ON c.id = l.call_id AND c.user_id = l.user_id
              WHERE l.analysis_type = 'individual' AND c.created_at >= CURRENT_TIMESTAMP - INTERVAL '7 days'
              GROUP BY l.user_id) l7 ON l7.user_id = u.id
  LEFT JOIN (SELECT user_id, count(*) AS total_calls, sum(credits_used) AS credits_used
               FROM calls GROUP BY user_id) cl ON cl.user_id = u.id
  LEFT JOIN (SELECT user_id, count(*) AS total_leads
               FROM lead_analytics WHERE analysis_type = 'individual'
              GROUP BY user_id) ll ON ll.user_id = u.id
 WHERE u.is_active;

CREATE UNIQUE INDEX idx_user_kpi_summary_user_id ON user_kpi_summary (user_id);

-- Refreshes the view without blocking readers and records when, in system_config.last_kpi_refresh.
CREATE FUNCTION scheduled_refresh_user_kpi_summary() RETURNS void AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY user_kpi_summary;
    INSERT INTO system_config (config_key, config_value, description)
    VALUES ('last_kpi_refresh', to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'When user_kpi_summary was last refreshed (UTC)')
    ON CONFLICT (config_key) DO UPDATE SET config_value = EXCLUDED.config_value;
END;
$$ LANGUAGE plpgsql;
