package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.IntegrationTest;

/** The analytics triggers: counted once, rolled up exactly, never aborting the write that fired them. */
@IntegrationTest
class SchemaAnalyticsTriggersTest {

    static final OffsetDateTime CALL_TIME = OffsetDateTime.of(2026, 3, 10, 23, 30, 0, 0, ZoneOffset.UTC);
    static final LocalDate CALL_DAY = LocalDate.of(2026, 3, 10);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    SchemaFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new SchemaFixtures(jdbc);
    }

    @Test
    void aCallIsCountedOnceWhenItBecomesCompleted() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID call = fixtures.call(user, agent, "in_progress", CALL_TIME);
        assertThat(agentDay(agent)).isNull();

        fixtures.complete(call, 4, 4);
        jdbc.update("UPDATE calls SET recording_url = 'https://rec.example/1', hangup_by = 'user' WHERE id = ?", call);
        jdbc.update("UPDATE calls SET status = 'completed' WHERE id = ?", call);

        Map<String, Object> day = agentDay(agent);
        assertThat(day).containsEntry("total_calls", 1).containsEntry("successful_calls", 1)
                .containsEntry("failed_calls", 0).containsEntry("total_duration_minutes", 4)
                .containsEntry("credits_used", 4);
        assertThat(day.get("date")).hasToString(CALL_DAY.toString());
    }

    @Test
    void aFailedCallCountsAsFailedAndACallInsertedTerminalCountsToo() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID call = fixtures.call(user, agent, "in_progress", CALL_TIME);
        jdbc.update("UPDATE calls SET status = 'failed' WHERE id = ?", call);
        fixtures.call(user, agent, "completed", CALL_TIME);

        assertThat(agentDay(agent)).containsEntry("total_calls", 2).containsEntry("successful_calls", 1)
                .containsEntry("failed_calls", 1).containsEntry("success_rate", new BigDecimal("50.00"));
    }

    @Test
    void userAnalyticsEqualTheSumOfTheirAgentsDailyRows() {
        UUID user = fixtures.user();
        UUID first = fixtures.agent(user);
        UUID second = fixtures.agent(user);
        fixtures.complete(fixtures.call(user, first, "in_progress", CALL_TIME), 3, 3);
        fixtures.complete(fixtures.call(user, first, "in_progress", CALL_TIME), 5, 5);
        fixtures.complete(fixtures.call(user, second, "in_progress", CALL_TIME), 7, 7);
        fixtures.call(user, second, "failed", CALL_TIME);

        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT sum(total_calls)::int AS total_calls, sum(successful_calls)::int AS successful_calls,
                       sum(failed_calls)::int AS failed_calls, sum(total_duration_minutes)::int AS total_duration_minutes,
                       sum(credits_used)::int AS credits_used
                  FROM agent_analytics WHERE user_id = ? AND date = ?""", user, CALL_DAY);
        Map<String, Object> userDay = jdbc.queryForMap("""
                SELECT total_calls, successful_calls, failed_calls, total_duration_minutes, credits_used
                  FROM user_analytics WHERE user_id = ? AND date = ? AND hour IS NULL""", user, CALL_DAY);
        Map<String, Object> userDaily = jdbc.queryForMap("""
                SELECT total_calls, successful_calls, failed_calls, total_duration_minutes, credits_used
                  FROM user_daily_analytics WHERE user_id = ? AND date = ?""", user, CALL_DAY);

        assertThat(sums).containsEntry("total_calls", 4).containsEntry("total_duration_minutes", 15);
        assertThat(userDay).isEqualTo(sums);
        assertThat(userDaily).isEqualTo(sums);
    }

    @Test
    void aLeadAnalysisWithCtaFlagsRaisesTheDaysCtaCountersAndTotals() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID firstCall = fixtures.call(user, agent, "in_progress", CALL_TIME);
        UUID secondCall = fixtures.call(user, agent, "in_progress", CALL_TIME);
        fixtures.complete(firstCall, 2, 2);
        fixtures.complete(secondCall, 2, 2);

        fixtures.individualLead(user, firstCall, 85, true, true);
        fixtures.individualLead(user, secondCall, 40, false, false);

        assertThat(agentDay(agent)).containsEntry("leads_generated", 2).containsEntry("qualified_leads", 1)
                .containsEntry("cta_pricing_clicks", 1).containsEntry("cta_demo_clicks", 1)
                .containsEntry("total_cta_interactions", 2).containsEntry("leads_with_cta", 1)
                .containsEntry("cta_conversion_rate", new BigDecimal("50.00"));
        assertThat(jdbc.queryForMap("""
                SELECT cta_pricing_clicks, cta_demo_clicks, total_cta_interactions, cta_conversion_rate, leads_generated
                  FROM user_analytics WHERE user_id = ? AND date = ? AND hour IS NULL""", user, CALL_DAY))
                .containsEntry("cta_pricing_clicks", 1).containsEntry("cta_demo_clicks", 1)
                .containsEntry("total_cta_interactions", 2).containsEntry("leads_generated", 2)
                .containsEntry("cta_conversion_rate", new BigDecimal("50.00"));
    }

    @Test
    void changingALeadsCtaFlagsLaterMovesTheCountersWithoutDoubleCounting() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID call = fixtures.call(user, agent, "completed", CALL_TIME);
        UUID lead = fixtures.individualLead(user, call, 60, true, false);

        jdbc.update("UPDATE lead_analytics SET cta_pricing_clicked = false, cta_escalated_to_human = true WHERE id = ?", lead);

        assertThat(agentDay(agent)).containsEntry("leads_generated", 1).containsEntry("cta_pricing_clicks", 0)
                .containsEntry("cta_human_escalations", 1).containsEntry("total_cta_interactions", 1);
    }

    @Test
    void completeAnalysesAreNotCountedAsLeads() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID call = fixtures.call(user, agent, "completed", CALL_TIME);
        jdbc.update("""
                INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, total_score, cta_demo_clicked)
                VALUES (?, ?, '+14155550100', 'complete', 90, true)""", call, user);

        assertThat(agentDay(agent)).containsEntry("leads_generated", 0).containsEntry("cta_demo_clicks", 0);
    }

    @Test
    void aFailingTriggerIsLoggedAndTheWriteStillCommits() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);

        UUID call = transactions.execute(status -> {
            jdbc.execute("SET LOCAL app.simulate_trigger_failure = 'trg_calls_daily_analytics'");
            return fixtures.call(user, agent, "completed", CALL_TIME);
        });

        assertThat(jdbc.queryForObject("SELECT status FROM calls WHERE id = ?", String.class, call)).isEqualTo("completed");
        assertThat(agentDay(agent)).isNull();
        assertThat(jdbc.queryForMap("""
                SELECT trigger_name, table_name, operation, error_message, error_context ->> 'call_id' AS call_id
                  FROM trigger_error_log WHERE error_context ->> 'call_id' = ?""", call.toString()))
                .containsEntry("trigger_name", "trg_calls_daily_analytics").containsEntry("table_name", "calls")
                .containsEntry("operation", "INSERT")
                .containsEntry("error_message", "simulated failure of trigger trg_calls_daily_analytics");
        // the other triggers of the same write still did their work
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_analytics_cache WHERE user_id = ?", Long.class, user))
                .isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT recent_errors FROM get_cache_trigger_health() "
                + "WHERE trigger_name = 'trg_calls_daily_analytics'", Long.class)).singleElement()
                .satisfies(errors -> assertThat(errors).isPositive());
    }

    /**
     * Each analytics trigger failed once (logged, the writes committed): a call missing from its agent's row and
     * the cache, an analysis missing from the lead figures, a call's difference missing from the account's day.
     * The repair recomputes the days the log names from the calls and analyses.
     */
    @Test
    void theRepairRecomputesTheDaysThatLoggedTriggerFailuresName() {
        UUID user = fixtures.user();
        UUID first = fixtures.agent(user);
        UUID second = fixtures.agent(user);
        UUID counted = fixtures.call(user, first, "in_progress", CALL_TIME);
        fixtures.complete(counted, 2, 2);
        UUID notCounted = fixtures.call(user, first, "in_progress", CALL_TIME);
        UUID notRolledUp = fixtures.call(user, second, "in_progress", CALL_TIME);
        UUID notCached = fixtures.call(user, second, "in_progress", CALL_TIME);
        fixtures.complete(fixtures.call(user, second, "in_progress", CALL_TIME), 1, 1);
        withTriggerFailing("trg_calls_daily_analytics", () -> fixtures.complete(notCounted, 3, 3));
        withTriggerFailing("trigger_calls_update_analytics_cache", () -> fixtures.complete(notCached, 2, 2));
        withTriggerFailing("trg_user_daily_rollup", () -> fixtures.complete(notRolledUp, 4, 4));
        withTriggerFailing("trg_leads_daily_analytics", () -> fixtures.individualLead(user, counted, 90, true, false));
        assertThat(agentDay(first)).containsEntry("total_calls", 1).containsEntry("leads_generated", 0);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Integer.class, user)).isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ?", Integer.class, user))
                .containsExactly(4, 4, 4);

        List<Map<String, Object>> named = jdbc.queryForList(
                "SELECT user_id, day FROM analytics_days_to_repair(now() - interval '1 hour') WHERE user_id = ?", user);
        named.forEach(day -> jdbc.queryForList("SELECT repair_analytics_day(?, ?)::text", day.get("user_id"), day.get("day")));

        assertThat(named).singleElement().satisfies(day -> assertThat(day.get("day")).hasToString(CALL_DAY.toString()));
        assertThat(agentDay(first)).containsEntry("total_calls", 2).containsEntry("credits_used", 5)
                .containsEntry("leads_generated", 1).containsEntry("cta_pricing_clicks", 1);
        assertThat(agentDay(second)).containsEntry("total_calls", 3).containsEntry("credits_used", 7);
        String figures = "SELECT total_calls, credits_used, leads_generated FROM ";
        assertThat(jdbc.queryForMap(figures + "user_analytics WHERE user_id = ? AND hour IS NULL", user))
                .containsEntry("total_calls", 5).containsEntry("credits_used", 12).containsEntry("leads_generated", 1);
        assertThat(jdbc.queryForMap(figures + "user_daily_analytics WHERE user_id = ?", user))
                .containsEntry("total_calls", 5).containsEntry("credits_used", 12).containsEntry("leads_generated", 1);
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ?", Integer.class, user))
                .containsExactly(5, 5, 5);
    }

    @Test
    void parallelCompletionsAcrossAgentsKeepEveryTotalExact() throws Exception {
        UUID user = fixtures.user();
        UUID first = fixtures.agent(user);
        UUID second = fixtures.agent(user);
        List<UUID> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(fixtures.call(user, i % 2 == 0 ? first : second, "in_progress", CALL_TIME));
        }

        List<Callable<Integer>> completions = calls.stream()
                .<Callable<Integer>>map(call -> () -> jdbc.update(
                        "UPDATE calls SET status = 'completed', duration_minutes = 1, credits_used = 1 WHERE id = ?", call))
                .toList();
        assertThat(inParallel(completions)).hasSize(40).allSatisfy(updated -> assertThat(updated).isOne());

        assertThat(agentDay(first)).containsEntry("total_calls", 20).containsEntry("total_duration_minutes", 20);
        assertThat(agentDay(second)).containsEntry("total_calls", 20);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Integer.class, user)).isEqualTo(40);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_daily_analytics WHERE user_id = ?",
                Integer.class, user)).isEqualTo(40);
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ?",
                Integer.class, user)).containsExactly(40, 40, 40);
    }

    /**
     * A call's end adds its difference to the account's day instead of re-summing every agent row of it:
     * a day row put off by hand stays off by as much after a call ends (a re-sum would have set it right), and
     * the next lead analysis, which re-sums, sets it right.
     */
    @Test
    void aCallsEndMovesTheAccountsDayByItsDifferenceAndALeadAnalysisReSumsIt() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID first = fixtures.call(user, agent, "in_progress", CALL_TIME);
        fixtures.complete(first, 2, 2);
        jdbc.update("UPDATE user_analytics SET total_calls = total_calls + 100 WHERE user_id = ? AND hour IS NULL", user);
        jdbc.update("UPDATE user_daily_analytics SET credits_used = credits_used + 100 WHERE user_id = ?", user);

        fixtures.complete(fixtures.call(user, agent, "in_progress", CALL_TIME), 3, 4);

        assertThat(agentDay(agent)).containsEntry("total_calls", 2).containsEntry("credits_used", 6);
        assertThat(jdbc.queryForMap("""
                SELECT total_calls, successful_calls, total_duration_minutes, credits_used
                  FROM user_analytics WHERE user_id = ? AND date = ? AND hour IS NULL""", user, CALL_DAY))
                .containsEntry("total_calls", 102).containsEntry("successful_calls", 2)
                .containsEntry("total_duration_minutes", 5).containsEntry("credits_used", 6);
        assertThat(jdbc.queryForMap("SELECT total_calls, credits_used FROM user_daily_analytics WHERE user_id = ?", user))
                .containsEntry("total_calls", 2).containsEntry("credits_used", 106);

        fixtures.individualLead(user, first, 85, true, false);

        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Integer.class, user)).isEqualTo(2);
        assertThat(jdbc.queryForMap("SELECT total_calls, credits_used, leads_generated FROM user_daily_analytics "
                + "WHERE user_id = ?", user)).containsEntry("total_calls", 2).containsEntry("credits_used", 6)
                .containsEntry("leads_generated", 1);
    }

    /** An account day row that is missing is re-summed from the agents when a call's end creates it, then moved by the difference. */
    @Test
    void aMissingAccountDayIsReSummedFromTheAgentsBeforeACallsDifferenceIsAdded() {
        UUID user = fixtures.user();
        UUID first = fixtures.agent(user);
        UUID second = fixtures.agent(user);
        fixtures.complete(fixtures.call(user, first, "in_progress", CALL_TIME), 2, 2);
        fixtures.complete(fixtures.call(user, second, "in_progress", CALL_TIME), 3, 3);
        jdbc.update("DELETE FROM user_analytics WHERE user_id = ?", user);
        jdbc.update("DELETE FROM user_daily_analytics WHERE user_id = ?", user);

        fixtures.complete(fixtures.call(user, first, "in_progress", CALL_TIME), 4, 4);

        String figures = "SELECT total_calls, total_duration_minutes, credits_used FROM ";
        assertThat(jdbc.queryForMap(figures + "user_analytics WHERE user_id = ? AND hour IS NULL", user))
                .containsEntry("total_calls", 3).containsEntry("total_duration_minutes", 9).containsEntry("credits_used", 9);
        assertThat(jdbc.queryForMap(figures + "user_daily_analytics WHERE user_id = ?", user))
                .containsEntry("total_calls", 3).containsEntry("total_duration_minutes", 9).containsEntry("credits_used", 9);
    }

    /** Call ends and lead analyses of one account's two agents, each in its own transaction, in parallel: the day stays exact. */
    @Test
    void parallelCallEndsAndLeadAnalysesKeepTheAccountsDayExact() throws Exception {
        UUID user = fixtures.user();
        UUID first = fixtures.agent(user);
        UUID second = fixtures.agent(user);
        List<UUID> ended = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID call = fixtures.call(user, i % 2 == 0 ? first : second, "in_progress", CALL_TIME);
            fixtures.complete(call, 1, 1);
            ended.add(call);
        }
        List<UUID> ending = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ending.add(fixtures.call(user, i % 2 == 0 ? first : second, "in_progress", CALL_TIME));
        }

        List<Callable<Object>> work = new ArrayList<>();
        ending.forEach(call -> work.add(() -> jdbc.update(
                "UPDATE calls SET status = 'completed', duration_minutes = 2, credits_used = 3 WHERE id = ?", call)));
        ended.forEach(call -> work.add(() -> fixtures.individualLead(user, call, 85, true, false)));
        Collections.shuffle(work, new Random(26));
        inParallel(work);

        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT sum(total_calls)::int AS total_calls, sum(successful_calls)::int AS successful_calls,
                       sum(total_duration_minutes)::int AS total_duration_minutes, sum(credits_used)::int AS credits_used,
                       sum(leads_generated)::int AS leads_generated
                  FROM agent_analytics WHERE user_id = ? AND date = ?""", user, CALL_DAY);
        String figures = "total_calls, successful_calls, total_duration_minutes, credits_used, leads_generated";
        assertThat(sums).containsEntry("total_calls", 50).containsEntry("credits_used", 110)
                .containsEntry("leads_generated", 20);
        assertThat(jdbc.queryForMap("SELECT " + figures + " FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                user)).isEqualTo(sums);
        assertThat(jdbc.queryForMap("SELECT " + figures + " FROM user_daily_analytics WHERE user_id = ?", user))
                .isEqualTo(sums);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM trigger_error_log WHERE error_context ->> 'user_id' = ?",
                Long.class, user.toString())).isZero();
    }

    @Test
    void theBatchRecomputationAgreesWithTheTriggersAndAddsLeadFigures() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID call = fixtures.call(user, agent, "in_progress", CALL_TIME);
        fixtures.complete(call, 6, 6);
        fixtures.call(user, agent, "failed", CALL_TIME);
        fixtures.individualLead(user, call, 85, true, false);
        String cacheRow = "SELECT total_calls, successful_calls, failed_calls, total_call_duration, hot_leads, "
                + "pricing_clicks FROM call_analytics_cache WHERE user_id = ? AND period_type = 'daily' AND date_period = ?";
        Map<String, Object> byTrigger = jdbc.queryForMap(cacheRow, user, CALL_DAY);

        Integer written = jdbc.queryForObject("SELECT batch_calculate_call_analytics(?)", Integer.class, CALL_DAY);

        Map<String, Object> byBatch = jdbc.queryForMap(cacheRow, user, CALL_DAY);
        assertThat(written).isGreaterThanOrEqualTo(3);
        assertThat(byTrigger).containsEntry("total_calls", 2).containsEntry("total_call_duration", 6)
                .containsEntry("hot_leads", 0);
        assertThat(byBatch).containsEntry("total_calls", 2).containsEntry("successful_calls", 1)
                .containsEntry("failed_calls", 1).containsEntry("total_call_duration", 6)
                .containsEntry("hot_leads", 1).containsEntry("pricing_clicks", 1);
    }

    /**
     * One transaction ends calls of two accounts, three agents (one with a row of the day already, two
     * without) on two days, one statement per call as Hibernate writes them: nothing is rolled up before its
     * commit, and at the commit every figure equals a recomputation from the calls (repair_analytics_day).
     * A commit-time rollup that re-summed an account's day in the statement that also moved other agents'
     * rows by their differences counted those rows twice.
     */
    @Test
    void aTransactionsCallEndsAreRolledUpAtItsCommitExactlyAsARecomputation() {
        UUID first = fixtures.user();
        UUID second = fixtures.user();
        UUID withRow = fixtures.agent(first);
        UUID withoutRow = fixtures.agent(first);
        UUID ofSecond = fixtures.agent(second);
        fixtures.complete(fixtures.call(first, withRow, "in_progress", CALL_TIME), 1, 1);
        List<UUID> ending = new ArrayList<>();
        for (UUID[] accountAgent : new UUID[][] {{first, withRow}, {first, withoutRow}, {second, ofSecond}}) {
            for (OffsetDateTime at : List.of(CALL_TIME, CALL_TIME, CALL_TIME.plusDays(1))) {
                ending.add(fixtures.call(accountAgent[0], accountAgent[1], "in_progress", at));
            }
        }
        String figures = "SELECT agent_id, date, total_calls, successful_calls, failed_calls, total_duration_minutes, "
                + "credits_used FROM agent_analytics WHERE user_id IN (?, ?) ORDER BY agent_id, date";
        List<Map<String, Object>> before = jdbc.queryForList(figures, first, second);

        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < ending.size(); i++) {
                jdbc.update("UPDATE calls SET status = ?, duration_minutes = ?, credits_used = ?, updated_at = now() "
                        + "WHERE id = ?", i % 3 == 2 ? "failed" : "completed", i + 1, 2 * i + 1, ending.get(i));
            }
            assertThat(jdbc.queryForList(figures, first, second)).as("nothing is rolled up before the commit")
                    .isEqualTo(before);
        });

        Map<String, List<Map<String, Object>>> rolledUp = analyticsOf(first, second);
        assertThat(rolledUp.get("agents")).hasSize(6);
        assertThat(jdbc.queryForObject("SELECT sum(total_calls)::int FROM agent_analytics WHERE user_id IN (?, ?)",
                Integer.class, first, second)).isEqualTo(10);
        for (UUID user : List.of(first, second)) {
            for (LocalDate day : List.of(CALL_DAY, CALL_DAY.plusDays(1))) {
                jdbc.queryForList("SELECT repair_analytics_day(?, ?)::text", user, day);
            }
        }
        assertThat(rolledUp).isEqualTo(analyticsOf(first, second));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM trigger_error_log WHERE error_context ->> 'user_id' IN (?, ?)",
                Long.class, first.toString(), second.toString())).isZero();
    }

    /**
     * A transaction that ends more calls than the commit-time list holds (a bulk update of 1,200 calls in one
     * statement) rolls the rest up as they end: every call is counted once, also one of the list that is
     * reopened and ends again after the list is full.
     */
    @Test
    void aBulkUpdateEndingMoreCallsThanTheListHoldsCountsEveryCallOnce() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        jdbc.update("""
                INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, created_at)
                SELECT ?, ?, 'bulk-' || n || '-' || ?, '+14155550100', 'in_progress', ?
                  FROM generate_series(1, 1200) AS n""", user, agent, agent.toString(), CALL_TIME);

        UUID reopened = jdbc.queryForObject("SELECT id FROM calls WHERE agent_id = ? ORDER BY id LIMIT 1", UUID.class, agent);

        transactions.executeWithoutResult(status -> {
            jdbc.update("UPDATE calls SET status = 'failed', duration_minutes = 1, credits_used = 2 WHERE id = ?", reopened);
            jdbc.update("UPDATE calls SET status = 'failed', duration_minutes = 1, credits_used = 2 "
                    + "WHERE agent_id = ? AND status = 'in_progress'", agent);
            // the first call of the list ends again after the list is full: counted once, at the commit
            jdbc.update("UPDATE calls SET status = 'in_progress' WHERE id = ?", reopened);
            jdbc.update("UPDATE calls SET status = 'failed' WHERE id = ?", reopened);
        });

        assertThat(agentDay(agent)).containsEntry("total_calls", 1200).containsEntry("failed_calls", 1200)
                .containsEntry("credits_used", 2400);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Integer.class, user)).isEqualTo(1200);
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ?", Integer.class, user))
                .containsExactly(1200, 1200, 1200);
    }

    /**
     * A call end undone by a rolled-back savepoint is not counted (its place in the commit-time list goes with
     * it), and a call that ends twice in one transaction (ended, reopened, ended again) is counted once, with
     * its figures as they are at the commit.
     */
    @Test
    void aCallEndUndoneByASavepointIsNotCountedAndACallEndedTwiceInATransactionCountsOnce() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID kept = fixtures.call(user, agent, "in_progress", CALL_TIME);
        UUID undone = fixtures.call(user, agent, "in_progress", CALL_TIME);
        UUID twice = fixtures.call(user, agent, "in_progress", CALL_TIME);

        transactions.executeWithoutResult(status -> {
            fixtures.complete(kept, 2, 2);
            jdbc.execute("SAVEPOINT before_undone");
            fixtures.complete(undone, 5, 5);
            jdbc.execute("ROLLBACK TO SAVEPOINT before_undone");
            fixtures.complete(twice, 3, 3);
            jdbc.update("UPDATE calls SET status = 'in_progress' WHERE id = ?", twice);
            jdbc.update("UPDATE calls SET status = 'failed', duration_minutes = 4, credits_used = 4 WHERE id = ?", twice);
        });

        assertThat(jdbc.queryForObject("SELECT status FROM calls WHERE id = ?", String.class, undone)).isEqualTo("in_progress");
        assertThat(agentDay(agent)).containsEntry("total_calls", 2).containsEntry("successful_calls", 1)
                .containsEntry("failed_calls", 1).containsEntry("credits_used", 6);
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ?", Integer.class, user))
                .containsExactly(2, 2, 2);
    }

    /** The call figures of the accounts' agent rows, day rows and call analytics cache rows, in key order. */
    private Map<String, List<Map<String, Object>>> analyticsOf(UUID first, UUID second) {
        return Map.of(
                "agents", jdbc.queryForList("SELECT agent_id, date, total_calls, successful_calls, failed_calls, "
                        + "total_duration_minutes, credits_used FROM agent_analytics WHERE user_id IN (?, ?) "
                        + "ORDER BY agent_id, date", first, second),
                "days", jdbc.queryForList("SELECT user_id, date, total_calls, successful_calls, failed_calls, "
                        + "total_duration_minutes, credits_used FROM user_analytics WHERE user_id IN (?, ?) AND hour IS NULL "
                        + "ORDER BY user_id, date", first, second),
                "dailies", jdbc.queryForList("SELECT user_id, date, total_calls, successful_calls, failed_calls, "
                        + "total_duration_minutes, credits_used FROM user_daily_analytics WHERE user_id IN (?, ?) "
                        + "ORDER BY user_id, date", first, second),
                "periods", jdbc.queryForList("SELECT user_id, date_period, period_type, total_calls, successful_calls, "
                        + "failed_calls, missed_calls, connection_rate, total_call_duration, average_call_duration, "
                        + "inbound_calls, outbound_calls FROM call_analytics_cache WHERE user_id IN (?, ?) "
                        + "ORDER BY user_id, date_period, period_type", first, second));
    }

    /** Runs the write in a transaction of its own in which the named trigger fails (and is logged). */
    private void withTriggerFailing(String trigger, Runnable write) {
        transactions.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL app.simulate_trigger_failure = '" + trigger + "'");
            write.run();
        });
    }

    /** Runs the work on 8 threads; returns each result in order, rethrowing the first failure. */
    private static <T> List<T> inParallel(List<Callable<T>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> done : pool.invokeAll(work)) {
                results.add(done.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private Map<String, Object> agentDay(UUID agentId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM agent_analytics WHERE agent_id = ?", agentId);
        assertThat(rows).hasSizeLessThanOrEqualTo(1);
        return rows.isEmpty() ? null : rows.getFirst();
    }
}
