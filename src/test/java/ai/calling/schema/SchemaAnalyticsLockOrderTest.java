package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.IntegrationTest;

/**
 * Transactions writing accounts' analytics, stepped statement by statement on separate connections:
 * call ends are rolled up at commit, each account's analytics lock first and accounts in order
 * (decisions 0054, 0057), so they neither cross each other nor a lead analysis or a recomputation, and
 * a lock the rollup cannot get rolls the whole transaction back instead of committing a call whose
 * figures were dropped.
 */
@IntegrationTest
class SchemaAnalyticsLockOrderTest {

    static final OffsetDateTime CALL_TIME = OffsetDateTime.of(2026, 3, 10, 12, 0, 0, 0, ZoneOffset.UTC);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    SchemaFixtures fixtures;
    final List<Session> sessions = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixtures = new SchemaFixtures(jdbc);
    }

    @AfterEach
    void closeSessions() throws Exception {
        for (Session session : sessions) {
            session.close();
        }
    }

    /**
     * A webhook batch ends a call of agent A and one of agent B while a lead analysis of B's earlier call is
     * written. The batch holds no analytics lock before its commit, so the analysis is not held up by it; the
     * batch's commit-time rollup then waits for the analysis's account lock, and both count exactly.
     */
    @Test
    void aBatchEndingCallsOfTwoAgentsAndALeadAnalysisOfTheSecondBothCommitExactly() throws Exception {
        UUID user = fixtures.user();
        UUID agentA = fixtures.agent(user);
        UUID agentB = fixtures.agent(user);
        UUID callOfA = fixtures.call(user, agentA, "in_progress", CALL_TIME);
        UUID endedCallOfB = fixtures.call(user, agentB, "completed", CALL_TIME);
        UUID callOfB = fixtures.call(user, agentB, "in_progress", CALL_TIME);
        Session batch = session();
        Session leadAnalysis = session();

        batch.run(this::endCall, callOfA).get(5, TimeUnit.SECONDS);
        batch.run(this::endCall, callOfB).get(5, TimeUnit.SECONDS);
        leadAnalysis.run(connection -> insertIndividualLead(connection, user, endedCallOfB)).get(5, TimeUnit.SECONDS);
        Future<Void> batchCommits = batch.run(Connection::commit);
        batch.awaitWaitingForALock();
        leadAnalysis.run(Connection::commit).get(5, TimeUnit.SECONDS);

        assertThat(outcome(batchCommits)).isEqualTo("committed");
        assertThat(agentDay(agentA)).containsEntry("total_calls", 1);
        assertThat(agentDay(agentB)).containsEntry("total_calls", 2).containsEntry("leads_generated", 1);
        assertThat(jdbc.queryForMap("SELECT total_calls, leads_generated FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                user)).containsEntry("total_calls", 3).containsEntry("leads_generated", 1);
        assertThat(jdbc.queryForMap("SELECT total_calls, leads_generated FROM user_daily_analytics WHERE user_id = ?", user))
                .containsEntry("total_calls", 3).containsEntry("leads_generated", 1);
        assertThat(triggerErrors(user)).isZero();
    }

    /**
     * Two transactions ending calls of one account created on two UTC days of one week commit at once: they
     * write different day rows but the same weekly and monthly rows of call_analytics_cache; the account's
     * analytics lock, taken first at each commit, keeps their rollups from crossing.
     */
    @Test
    void callEndsOfOneAccountOnTwoDaysInTwoTransactionsBothCommit() throws Exception {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID firstDay = fixtures.call(user, agent, "in_progress", CALL_TIME);
        UUID secondDay = fixtures.call(user, agent, "in_progress", CALL_TIME.plusDays(1));
        UUID secondDayToo = fixtures.call(user, agent, "in_progress", CALL_TIME.plusDays(1));
        Session account = session();
        Session one = session();
        Session two = session();
        account.run(connection -> lockAccount(connection, user)).get(5, TimeUnit.SECONDS);

        one.run(this::endCall, firstDay).get(5, TimeUnit.SECONDS);
        one.run(this::endCall, secondDayToo).get(5, TimeUnit.SECONDS);
        two.run(this::endCall, secondDay).get(5, TimeUnit.SECONDS);
        Future<Void> oneCommits = one.run(Connection::commit);
        Future<Void> twoCommits = two.run(Connection::commit);
        one.awaitWaitingForALock();
        two.awaitWaitingForALock();
        account.run(Connection::commit).get(5, TimeUnit.SECONDS);

        assertThat(List.of(outcome(oneCommits), outcome(twoCommits))).containsOnly("committed");
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ? AND period_type <> 'daily'",
                Integer.class, user)).containsOnly(3);
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ? AND period_type = 'daily' "
                + "ORDER BY date_period", Integer.class, user)).containsExactly(1, 2);
        assertThat(jdbc.queryForObject("SELECT sum(total_calls)::int FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Integer.class, user)).isEqualTo(3);
        assertThat(triggerErrors(user)).isZero();
    }

    /**
     * A recomputation of a period row (the nightly batch_calculate_call_analytics, the repair) while a call of
     * that period is ending: the call's commit-time rollup waits for the recomputed row and adds the call on
     * top of it, so figures read before the call's end committed do not overwrite its increment.
     */
    @Test
    void aPeriodRecomputationDoesNotOverwriteACallEndingMeanwhile() throws Exception {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        fixtures.complete(fixtures.call(user, agent, "in_progress", CALL_TIME), 1, 1);
        UUID ending = fixtures.call(user, agent, "in_progress", CALL_TIME.plusDays(1));
        Session call = session();
        Session recomputation = session();

        call.run(this::endCall, ending).get(5, TimeUnit.SECONDS);
        recomputation.run(connection -> callForTheDay(connection, "calculate_call_analytics(?, ?, 'weekly')", user))
                .get(5, TimeUnit.SECONDS);
        Future<Void> callCommits = call.run(Connection::commit);
        call.awaitWaitingForALock();
        recomputation.run(Connection::commit).get(5, TimeUnit.SECONDS);

        assertThat(outcome(callCommits)).isEqualTo("committed");
        assertThat(jdbc.queryForObject("SELECT total_calls FROM call_analytics_cache WHERE user_id = ? AND period_type = 'weekly'",
                Integer.class, user)).isEqualTo(2);
    }

    /**
     * The nightly recomputation of an account's period rows while calls of that account on two days of the
     * week end: the calls' commit waits for the account's lock that the recomputation took first, instead of
     * holding one day's row while it waits for the week's, and adds its calls on top.
     */
    @Test
    void theNightlyRecomputationOfAnAccountAndItsCallEndsWaitInsteadOfCrossing() throws Exception {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        fixtures.complete(fixtures.call(user, agent, "in_progress", CALL_TIME), 1, 1);
        UUID secondDay = fixtures.call(user, agent, "in_progress", CALL_TIME.plusDays(1));
        UUID firstDay = fixtures.call(user, agent, "in_progress", CALL_TIME);
        Session calls = session();
        Session nightly = session();

        calls.run(this::endCall, secondDay).get(5, TimeUnit.SECONDS);
        calls.run(this::endCall, firstDay).get(5, TimeUnit.SECONDS);
        nightly.run(connection -> callForTheDay(connection, "recalculate_call_analytics(?, ?)", user))
                .get(5, TimeUnit.SECONDS);
        Future<Void> callsCommit = calls.run(Connection::commit);
        calls.awaitWaitingForALock();
        nightly.run(Connection::commit).get(5, TimeUnit.SECONDS);

        assertThat(outcome(callsCommit)).isEqualTo("committed");
        assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ? AND period_type <> 'daily'",
                Integer.class, user)).containsOnly(3);
        assertThat(jdbc.queryForObject("SELECT total_calls FROM call_analytics_cache WHERE user_id = ? AND period_type = 'daily' "
                + "AND date_period = ?", Integer.class, user, CALL_TIME.toLocalDate())).isEqualTo(2);
    }

    /**
     * Two batches ending calls of two accounts in opposite orders: when the analytics were written at each
     * call's UPDATE this deadlocked (one batch rolled back and was applied again); now each batch takes its
     * accounts' analytics locks at commit, in account order, so both commit with exact figures.
     */
    @Test
    void twoBatchesEndingCallsOfTwoAccountsInOppositeOrdersBothCommitExactly() throws Exception {
        UUID userX = fixtures.user();
        UUID userY = fixtures.user();
        UUID agentX = fixtures.agent(userX);
        UUID agentY = fixtures.agent(userY);
        UUID firstOfX = fixtures.call(userX, agentX, "in_progress", CALL_TIME);
        UUID secondOfX = fixtures.call(userX, agentX, "in_progress", CALL_TIME);
        UUID firstOfY = fixtures.call(userY, agentY, "in_progress", CALL_TIME);
        UUID secondOfY = fixtures.call(userY, agentY, "in_progress", CALL_TIME);
        Session accounts = session();
        Session one = session();
        Session two = session();
        accounts.run(connection -> {
            lockAccount(connection, userX);
            lockAccount(connection, userY);
        }).get(5, TimeUnit.SECONDS);

        one.run(this::endCall, firstOfX).get(5, TimeUnit.SECONDS);
        two.run(this::endCall, firstOfY).get(5, TimeUnit.SECONDS);
        one.run(this::endCall, secondOfY).get(5, TimeUnit.SECONDS);
        two.run(this::endCall, secondOfX).get(5, TimeUnit.SECONDS);
        Future<Void> oneCommits = one.run(Connection::commit);
        Future<Void> twoCommits = two.run(Connection::commit);
        one.awaitWaitingForALock();
        two.awaitWaitingForALock();
        accounts.run(Connection::commit).get(5, TimeUnit.SECONDS);

        assertThat(List.of(outcome(oneCommits), outcome(twoCommits))).containsOnly("committed");
        for (UUID user : List.of(userX, userY)) {
            assertThat(jdbc.queryForObject("SELECT total_calls FROM agent_analytics WHERE user_id = ?", Integer.class, user))
                    .isEqualTo(2);
            assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                    Integer.class, user)).isEqualTo(2);
            assertThat(jdbc.queryForList("SELECT total_calls FROM call_analytics_cache WHERE user_id = ?", Integer.class, user))
                    .containsOnly(2);
            assertThat(triggerErrors(user)).isZero();
        }
    }

    /**
     * A lock the commit-time rollup cannot get in time (here the transaction's lock_timeout; a deadlock alike)
     * fails the commit and rolls the whole transaction back, the call's end with it, so its writer applies it
     * again; it is not logged and committed without the call's figures.
     */
    @Test
    void aLockFailureInTheCommitTimeRollupRollsTheWholeTransactionBack() throws Exception {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        UUID call = fixtures.call(user, agent, "in_progress", CALL_TIME);
        Session account = session();
        Session batch = session();
        account.run(connection -> lockAccount(connection, user)).get(5, TimeUnit.SECONDS);

        batch.run(connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '200ms'");
            }
            endCall(connection, call);
        }).get(5, TimeUnit.SECONDS);
        Future<Void> batchCommits = batch.run(Connection::commit);

        assertThat(outcome(batchCommits)).isEqualTo("55P03");
        account.run(Connection::commit).get(5, TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("SELECT status FROM calls WHERE id = ?", String.class, call)).isEqualTo("in_progress");
        assertThat(jdbc.queryForList("SELECT total_calls FROM agent_analytics WHERE agent_id = ?", Integer.class, agent))
                .isEmpty();
        assertThat(triggerErrors(user)).isZero();
    }

    private static void lockAccount(Connection connection, UUID user) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT lock_account_analytics(?)::text")) {
            lock.setObject(1, user);
            lock.executeQuery().close();
        }
    }

    private String outcome(Future<Void> work) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            work.get(10, TimeUnit.SECONDS);
            return "committed";
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SQLException.class);
            return ((SQLException) e.getCause()).getSQLState();
        }
    }

    private void endCall(Connection connection, UUID call) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE calls SET status = 'completed', duration_minutes = 1, credits_used = 1 WHERE id = ?")) {
            update.setObject(1, call);
            assertThat(update.executeUpdate()).isOne();
        }
    }

    /** Runs a function of (account, the calls' day) on the connection. */
    private static void callForTheDay(Connection connection, String function, UUID user) throws SQLException {
        try (PreparedStatement call = connection.prepareStatement("SELECT " + function + "::text")) {
            call.setObject(1, user);
            call.setObject(2, CALL_TIME.toLocalDate());
            call.executeQuery().close();
        }
    }

    private void insertIndividualLead(Connection connection, UUID user, UUID call) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, total_score, intent_score)
                VALUES (?, ?, '+14155550100', 'individual', 80, 80)""")) {
            insert.setObject(1, call);
            insert.setObject(2, user);
            insert.executeUpdate();
        }
    }

    private long triggerErrors(UUID user) {
        return jdbc.queryForObject("SELECT count(*) FROM trigger_error_log WHERE error_context ->> 'user_id' = ?",
                Long.class, user.toString());
    }

    private Map<String, Object> agentDay(UUID agent) {
        return jdbc.queryForMap("SELECT total_calls, leads_generated FROM agent_analytics WHERE agent_id = ?", agent);
    }

    private Session session() throws SQLException {
        Session session = new Session(dataSource.getConnection());
        sessions.add(session);
        return session;
    }

    interface Step {
        void run(Connection connection) throws SQLException;
    }

    interface CallStep {
        void run(Connection connection, UUID call) throws SQLException;
    }

    /** One connection with an open transaction, whose statements run on a thread of its own; a failed step rolls it back. */
    final class Session implements AutoCloseable {

        private final Connection connection;
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final int pid;

        Session(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement(); var result = statement.executeQuery("SELECT pg_backend_pid()")) {
                result.next();
                pid = result.getInt(1);
            }
        }

        Future<Void> run(Step step) {
            return thread.submit(() -> {
                try {
                    step.run(connection);
                    return null;
                } catch (SQLException e) {
                    connection.rollback(); // an aborted transaction keeps its locks until then
                    throw e;
                }
            });
        }

        Future<Void> run(CallStep step, UUID call) {
            return run(connection -> step.run(connection, call));
        }

        /** The step, then the transaction's commit. */
        Future<Void> runAndCommit(Step step) {
            return run(connection -> {
                step.run(connection);
                connection.commit();
            });
        }

        Future<Void> runAndCommit(CallStep step, UUID call) {
            return runAndCommit(connection -> step.run(connection, call));
        }

        void awaitWaitingForALock() throws InterruptedException {
            for (int i = 0; i < 500; i++) {
                if ("Lock".equals(jdbc.queryForObject("SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?",
                        String.class, pid))) {
                    return;
                }
                Thread.sleep(10);
            }
            throw new AssertionError("backend " + pid + " never waited for a lock");
        }

        @Override
        public void close() throws Exception {
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        }
    }
}
