-- Default runtime configuration. Values are text; the application validates them by type when an
-- admin changes them. Re-running is harmless (ON CONFLICT DO NOTHING keeps admin edits).
INSERT INTO system_config (config_key, config_value, description) VALUES
    ('credits_per_minute', '1', 'Credits charged per started minute of call time'),
    ('new_user_bonus_credits', '15', 'Free credits granted to every new user'),
    ('minimum_credit_purchase', '50', 'Smallest number of credits that can be bought at once'),
    ('session_duration_hours', '24', 'Lifetime of a sign-in session (refresh token), in hours'),
    ('max_login_attempts', '5', 'Failed logins for one email before it is locked out'),
    ('lockout_duration_minutes', '15', 'Window and duration of a login lockout, in minutes'),
    ('password_min_length', '8', 'Minimum password length (at most 128)'),
    ('require_email_verification', 'false', 'Whether users must verify their email before signing in'),
    ('password_reset_token_expiry_hours', '1', 'Validity of a password reset token, in hours'),
    ('kpi_refresh_interval_minutes', '5', 'Interval of the user_kpi_summary refresh job, in minutes'),
    ('max_contacts_per_upload', '10000', 'Maximum number of rows in one contact CSV upload'),
    ('feature_outbound_calls_enabled', 'true', 'Feature flag: users may start outbound calls'),
    ('feature_lead_analysis_enabled', 'true', 'Feature flag: transcripts are analysed by OpenAI'),
    ('feature_social_login_enabled', 'true', 'Feature flag: Google/GitHub/LinkedIn sign-in'),
    ('feature_credit_purchase_enabled', 'true', 'Feature flag: credits can be bought through Stripe')
ON CONFLICT (config_key) DO NOTHING;
