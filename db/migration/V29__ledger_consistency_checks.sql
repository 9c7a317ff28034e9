-- validate_user_data_consistency() also checks the credit ledger: every user's credits equal the
-- sum of their transactions, and each balance_after is the previous one plus the amount (in seq order).

CREATE OR REPLACE FUNCTION validate_user_data_consistency()
RETURNS TABLE (check_name TEXT, inconsistent_records BIGINT, details TEXT) AS $$
BEGIN
    RETURN QUERY SELECT 'calls_agents_mismatch', count(*),
        'calls whose agent belongs to another user'
      FROM calls c JOIN agents a ON a.id = c.agent_id WHERE a.user_id <> c.user_id;
    RETURN QUERY SELECT 'calls_contacts_mismatch', count(*),
        'calls whose contact belongs to another user'
      FROM calls c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.user_id <> c.user_id;
    RETURN QUERY SELECT 'transcripts_calls_mismatch', count(*),
        'transcripts whose call belongs to another user'
      FROM transcripts t JOIN calls c ON c.id = t.call_id WHERE c.user_id <> t.user_id;
    RETURN QUERY SELECT 'lead_analytics_calls_mismatch', count(*),
        'lead analyses whose call belongs to another user'
      FROM lead_analytics l JOIN calls c ON c.id = l.call_id WHERE c.user_id <> l.user_id;
    RETURN QUERY SELECT 'agent_analytics_agents_mismatch', count(*),
        'agent analytics rows whose agent belongs to another user'
      FROM agent_analytics aa JOIN agents a ON a.id = aa.agent_id WHERE a.user_id <> aa.user_id;
    RETURN QUERY SELECT 'agent_call_outcomes_mismatch', count(*),
        'call outcomes whose call or agent belongs to another user'
      FROM agent_call_outcomes o JOIN calls c ON c.id = o.call_id JOIN agents a ON a.id = o.agent_id
     WHERE o.user_id <> c.user_id OR o.user_id <> a.user_id;
    RETURN QUERY SELECT 'customers_contacts_mismatch', count(*),
        'customers whose contact belongs to another user'
      FROM customers cu JOIN contacts ct ON ct.id = cu.contact_id WHERE ct.user_id <> cu.user_id;
    RETURN QUERY SELECT 'agent_analytics_call_counts', count(*),
        'agent analytics rows where total_calls differs from successful_calls + failed_calls'
      FROM agent_analytics WHERE total_calls <> successful_calls + failed_calls;
    RETURN QUERY SELECT 'user_analytics_rollup', count(*),
        'user daily rows that differ from the sum of their agents'' rows'
      FROM user_analytics ua
      LEFT JOIN (SELECT user_id, date, sum(total_calls) AS calls, sum(leads_generated) AS leads
                   FROM agent_analytics WHERE hour IS NULL GROUP BY user_id, date) s
             ON s.user_id = ua.user_id AND s.date = ua.date
     WHERE ua.hour IS NULL
       AND (ua.total_calls <> COALESCE(s.calls, 0) OR ua.leads_generated <> COALESCE(s.leads, 0));
    RETURN QUERY SELECT 'credits_ledger_mismatch', count(*),
        'users whose credits differ from the sum of their credit transactions'
      FROM users u
      LEFT JOIN (SELECT user_id, sum(amount) AS total FROM credit_transactions GROUP BY user_id) t ON t.user_id = u.id
     WHERE EXISTS (SELECT 1 FROM credit_transactions c WHERE c.user_id = u.id)
       AND u.credits <> COALESCE(t.total, 0);
    RETURN QUERY SELECT 'credits_balance_chain', count(*),
        'credit transactions whose balance_after is not the previous balance plus their amount'
      FROM (SELECT balance_after, amount,
                   lag(balance_after) OVER (PARTITION BY user_id ORDER BY seq) AS previous
              FROM credit_transactions) chained
     WHERE balance_after <> COALESCE(previous, 0) + amount;
END;
$$ LANGUAGE plpgsql STABLE;
