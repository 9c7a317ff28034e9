-- Maintenance functions run by the scheduled jobs. Each deletes only rows past its retention and
-- returns how many it deleted.

-- A session is expired when neither its access token nor its refresh token can be used any more
-- (deleting on expires_at alone would end sessions whose refresh token is still valid).
CREATE FUNCTION cleanup_expired_sessions() RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM user_sessions
     WHERE expires_at < CURRENT_TIMESTAMP
       AND (refresh_expires_at IS NULL OR refresh_expires_at < CURRENT_TIMESTAMP);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;

-- Keeps the last 30 days of login attempts.
CREATE FUNCTION cleanup_old_login_attempts() RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM login_attempts WHERE attempted_at < CURRENT_TIMESTAMP - INTERVAL '30 days';
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;

-- Keeps the last 7 days of password reset attempts.
CREATE FUNCTION cleanup_old_password_reset_attempts() RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM password_reset_attempts WHERE attempted_at < CURRENT_TIMESTAMP - INTERVAL '7 days';
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cleanup_expired_dashboard_cache() RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM dashboard_cache WHERE expires_at < CURRENT_TIMESTAMP;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cleanup_trigger_error_log(days_to_keep INTEGER DEFAULT 7) RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    IF days_to_keep IS NULL OR days_to_keep < 0 THEN
        RAISE EXCEPTION 'days_to_keep must be zero or more, got %', days_to_keep;
    END IF;
    DELETE FROM trigger_error_log WHERE occurred_at < CURRENT_TIMESTAMP - make_interval(days => days_to_keep);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;
