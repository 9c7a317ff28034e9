-- change(current, previous): period-over-period change in percent, as agent_performance_trends
-- stores it (0 when there is no previous value; clamped to the column's range).

CREATE FUNCTION change(p_current NUMERIC, p_previous NUMERIC) RETURNS NUMERIC AS $$
    SELECT CASE WHEN p_previous IS NULL OR p_previous = 0 THEN 0
                ELSE GREATEST(-99999.99, LEAST(99999.99, round((p_current - p_previous) * 100 / p_previous, 2))) END;
$$ LANGUAGE sql IMMUTABLE;
