package ai.calling.billing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the ledger: the balance lives on users.credits, the history in credit_transactions.
 * A movement locks the user's row first, so movements of one user serialise and their seq order is
 * their commit order.
 */
@Repository
public class CreditLedgerRepository {

    private final JdbcClient jdbc;

    CreditLedgerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the user's balance until the transaction ends; empty when the user does not exist.
     * NO KEY UPDATE, not UPDATE: it must not wait for the key-share locks that inserts of the user's
     * calls and contacts hold through their foreign keys (that wait deadlocked busy webhooks).
     */
    public Optional<Integer> lockBalance(UUID userId) {
        return jdbc.sql("SELECT credits FROM users WHERE id = :id FOR NO KEY UPDATE").param("id", userId)
                .query(Integer.class).optional();
    }

    /** Locks the balance as {@link #lockBalance} does and reads the account's own cap on calls in progress. */
    public Optional<DialLimits> lockForDial(UUID userId) {
        return jdbc.sql("SELECT credits, max_concurrent_calls FROM users WHERE id = :id FOR NO KEY UPDATE")
                .param("id", userId)
                .query((rs, n) -> new DialLimits(rs.getInt(1), (Integer) rs.getObject(2))).optional();
    }

    /** The balance and the account's own cap on calls in progress ({@code null}: the platform default). */
    public record DialLimits(int credits, Integer maxConcurrentCalls) {
    }

    public Optional<Integer> balance(UUID userId) {
        return jdbc.sql("SELECT credits FROM users WHERE id = :id").param("id", userId).query(Integer.class).optional();
    }

    /**
     * The account's balance and the sum of its holds as one state, in one statement: read in two, a call settled
     * between them (its hold released and its cost debited in one transaction) showed the balance from before
     * beside the holds from after. Empty when there is no such account.
     */
    public Optional<BalanceAndHeld> balanceAndHeld(UUID userId) {
        return jdbc.sql("""
                SELECT u.credits, (SELECT COALESCE(sum(h.amount), 0) FROM credit_holds h WHERE h.user_id = u.id)
                  FROM users u WHERE u.id = :id""")
                .param("id", userId).query((rs, n) -> new BalanceAndHeld(rs.getInt(1), rs.getLong(2))).optional();
    }

    /** An account's balance and the sum of its open holds, read together. */
    public record BalanceAndHeld(int credits, long held) {
    }

    /** Adds {@code delta} (negative to spend) and returns the balance it left. */
    public int addToBalance(UUID userId, int delta) {
        return jdbc.sql("UPDATE users SET credits = credits + :delta WHERE id = :id RETURNING credits")
                .param("delta", delta).param("id", userId).query(Integer.class).single();
    }

    /**
     * Locks these users' balances as {@link #lockBalance} does, in one statement and in the order of
     * their ids (two transactions locking overlapping sets cannot deadlock); returns their balances.
     */
    public Map<UUID, Integer> lockBalances(Collection<UUID> userIds) {
        Map<UUID, Integer> balances = new HashMap<>();
        jdbc.sql("SELECT id, credits FROM users WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
                .param("ids", userIds.toArray(UUID[]::new))
                .query(rs -> {
                    balances.put(rs.getObject(1, UUID.class), rs.getInt(2));
                });
        return balances;
    }

    /** Adds each user's delta (negative to spend); returns the balances they left. */
    public Map<UUID, Integer> addToBalances(Map<UUID, Integer> deltas) {
        List<UUID> ids = List.copyOf(deltas.keySet());
        Map<UUID, Integer> balances = new HashMap<>();
        jdbc.sql("""
                UPDATE users u SET credits = u.credits + v.delta FROM unnest(:ids, :deltas) AS v(id, delta)
                 WHERE u.id = v.id RETURNING u.id, u.credits""")
                .param("ids", ids.toArray(UUID[]::new)).param("deltas", ids.stream().map(deltas::get).toArray(Integer[]::new))
                .query(rs -> {
                    balances.put(rs.getObject(1, UUID.class), rs.getInt(2));
                });
        return balances;
    }

    /** A usage debit to append: its account, amount (negative), the balance it leaves, description and call. */
    public record Usage(UUID userId, int amount, int balanceAfter, String description, UUID callId) {
    }

    /** Appends usage debits in the order given (their seq follows it), in one statement. */
    public void appendUsages(List<Usage> usages) {
        jdbc.sql("""
                INSERT INTO credit_transactions (user_id, type, amount, balance_after, description, call_id)
                SELECT u, 'usage', amount, balance, description, call
                  FROM unnest(:users, :amounts, :balances, :descriptions, :calls)
                       WITH ORDINALITY AS v(u, amount, balance, description, call, n)
                 ORDER BY n""")
                .param("users", usages.stream().map(Usage::userId).toArray(UUID[]::new))
                .param("amounts", usages.stream().map(Usage::amount).toArray(Integer[]::new))
                .param("balances", usages.stream().map(Usage::balanceAfter).toArray(Integer[]::new))
                .param("descriptions", usages.stream().map(Usage::description).toArray(String[]::new))
                .param("calls", usages.stream().map(Usage::callId).toArray(UUID[]::new))
                .update();
    }

    /** The calls among these that already have their usage debit. */
    public Set<UUID> usageCalls(Collection<UUID> callIds) {
        return new HashSet<>(jdbc.sql("SELECT call_id FROM credit_transactions WHERE type = 'usage' AND call_id = ANY(:ids)")
                .param("ids", callIds.toArray(UUID[]::new)).query(UUID.class).list());
    }

    public TransactionRow append(UUID userId, String type, int amount, int balanceAfter, String description,
            String stripePaymentId, UUID callId, UUID createdBy) {
        return jdbc.sql("""
                INSERT INTO credit_transactions (user_id, type, amount, balance_after, description,
                                                 stripe_payment_id, call_id, created_by)
                VALUES (:user, :type, :amount, :balance, :description, :stripe, :call, :createdBy)
                RETURNING id, user_id, type, amount, balance_after, description, stripe_payment_id, call_id,
                          created_by, created_at""")
                .param("user", userId).param("type", type).param("amount", amount).param("balance", balanceAfter)
                .param("description", description).param("stripe", stripePaymentId).param("call", callId)
                .param("createdBy", createdBy).query(CreditLedgerRepository::row).single();
    }

    public Optional<TransactionRow> usageOf(UUID callId) {
        return jdbc.sql(SELECT + " WHERE call_id = :call AND type = 'usage'").param("call", callId)
                .query(CreditLedgerRepository::row).optional();
    }

    public Optional<TransactionRow> byStripeId(String type, String stripePaymentId) {
        return jdbc.sql(SELECT + " WHERE type = :type AND stripe_payment_id = :stripe").param("type", type)
                .param("stripe", stripePaymentId).query(CreditLedgerRepository::row).optional();
    }

    public long count(UUID userId, String type, Instant from, Instant to) {
        return jdbc.sql("SELECT count(*) FROM credit_transactions " + FILTER).param("user", userId).param("type", type)
                .param("from", utc(from)).param("to", utc(to)).query(Long.class).single();
    }

    /** Newest first. */
    public List<TransactionRow> page(UUID userId, String type, Instant from, Instant to, int limit, long offset) {
        return jdbc.sql(SELECT + " " + FILTER + " ORDER BY seq DESC LIMIT :limit OFFSET :offset").param("user", userId)
                .param("type", type).param("from", utc(from)).param("to", utc(to)).param("limit", limit)
                .param("offset", offset).query(CreditLedgerRepository::row).list();
    }

    private static final String SELECT = """
            SELECT id, user_id, type, amount, balance_after, description, stripe_payment_id, call_id, created_by,
                   created_at FROM credit_transactions""";
    private static final String FILTER = """
             WHERE user_id = :user AND (CAST(:type AS text) IS NULL OR type = :type)
               AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
               AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)""";

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static TransactionRow row(ResultSet rs, int n) throws SQLException {
        return new TransactionRow(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getString("type"), rs.getInt("amount"), rs.getInt("balance_after"), rs.getString("description"),
                rs.getString("stripe_payment_id"), rs.getObject("call_id", UUID.class),
                rs.getObject("created_by", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    public record TransactionRow(UUID id, UUID userId, String type, int amount, int balanceAfter, String description,
            String stripePaymentId, UUID callId, UUID createdBy, Instant createdAt) {
    }
}
