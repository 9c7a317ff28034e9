-- Data for bench/startup.sh: 10 accounts with credits, one agent each, and :calls calls waiting for
-- their Bolna webhooks (execution ids cold-1 .. cold-N, call k belongs to account k % 10), written
-- once into a template database that every measured start copies.
-- Usage: psql -v calls=150000 -f bench/seed-startup.sql <database>
\set ON_ERROR_STOP on
INSERT INTO users (id, email, name, credits)
SELECT md5('startup-user-' || u)::uuid, 'startup-' || u || '@bench.test', 'Bench', 100000000
  FROM generate_series(0, 9) u;
INSERT INTO credit_transactions (user_id, type, amount, balance_after, description)
SELECT md5('startup-user-' || u)::uuid, 'purchase', 100000000, 100000000, 'Bench credits'
  FROM generate_series(0, 9) u;
INSERT INTO agents (id, user_id, bolna_agent_id, name)
SELECT md5('startup-agent-' || u)::uuid, md5('startup-user-' || u)::uuid, 'bolna-cold-' || u, 'A'
  FROM generate_series(0, 9) u;
INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number)
SELECT md5('startup-user-' || k % 10)::uuid, md5('startup-agent-' || k % 10)::uuid, 'cold-' || k,
       '+1415' || (2000000 + k)
  FROM generate_series(1, :calls) k;
VACUUM ANALYZE;
