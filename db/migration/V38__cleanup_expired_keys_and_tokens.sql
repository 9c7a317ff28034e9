-- Expired request keys and mailed tokens, deleted by the maintenance jobs. Both tables grew forever
-- before: an idempotency key is honoured for 24 hours (IdempotencyKeys) and a mailed token until
-- its expires_at, and neither is read after that.

CREATE FUNCTION cleanup_expired_idempotency_keys() RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM idempotency_keys WHERE created_at < CURRENT_TIMESTAMP - INTERVAL '24 hours';
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;

-- A day's grace after expiry, so that a support question about a link sent yesterday can still be
-- answered from the table.
CREATE FUNCTION cleanup_expired_auth_tokens() RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    DELETE FROM auth_tokens WHERE expires_at < CURRENT_TIMESTAMP - INTERVAL '1 day';
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;
