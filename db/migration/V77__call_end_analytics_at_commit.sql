-- A call's end is rolled up at its transaction's commit, all of a transaction's call ends together
-- (decision 0057; the functions are in R__analytics_rollup_functions.sql). trg_calls_daily_analytics
-- now only queues a call that ends, and fires only for rows whose new status is terminal (the WHEN
-- clause spares the function call for every other status write); trigger_calls_update_analytics_cache
-- becomes a deferred constraint trigger, so it runs at commit.
DROP TRIGGER trg_calls_daily_analytics ON calls;
CREATE TRIGGER trg_calls_daily_analytics
    AFTER INSERT OR UPDATE OF status ON calls
    FOR EACH ROW WHEN (NEW.status IN ('completed', 'failed'))
    EXECUTE FUNCTION trg_calls_daily_analytics();

DROP TRIGGER trigger_calls_update_analytics_cache ON calls;
CREATE CONSTRAINT TRIGGER trigger_calls_update_analytics_cache
    AFTER INSERT OR UPDATE OF status ON calls
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status IN ('completed', 'failed'))
    EXECUTE FUNCTION update_call_analytics_cache();
