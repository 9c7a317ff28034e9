package ai.calling.billing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** stripe_checkout_sessions and stripe_events. */
@Repository
public class StripeRecords {

    private final JdbcClient jdbc;

    StripeRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void saveSession(String sessionId, UUID userId, String packageId, int credits, long amountCents,
            String currency) {
        jdbc.sql("""
                INSERT INTO stripe_checkout_sessions (session_id, user_id, package_id, credits, amount_cents, currency)
                VALUES (:id, :user, :package, :credits, :amount, :currency)""")
                .param("id", sessionId).param("user", userId).param("package", packageId).param("credits", credits)
                .param("amount", amountCents).param("currency", currency).update();
    }

    /** Marks the session credited if it was not yet, returning it then; empty when unknown or already credited. */
    public Optional<SessionRow> claimForCredit(String sessionId, String paymentIntentId) {
        return jdbc.sql("""
                UPDATE stripe_checkout_sessions
                   SET credited_at = CURRENT_TIMESTAMP, payment_intent_id = COALESCE(:intent, payment_intent_id)
                 WHERE session_id = :id AND credited_at IS NULL
                RETURNING session_id, user_id, credits, amount_cents, credits_refunded, refunds_read,
                          refund_for_closure_at IS NOT NULL AS refunded_for_closure""")
                .param("id", sessionId).param("intent", paymentIntentId).query(StripeRecords::session).optional();
    }

    /** The credited session paid by this payment intent, locked until the transaction ends. */
    public Optional<SessionRow> lockByPaymentIntent(String paymentIntentId) {
        return jdbc.sql("""
                SELECT session_id, user_id, credits, amount_cents, credits_refunded, refunds_read,
                       refund_for_closure_at IS NOT NULL AS refunded_for_closure
                  FROM stripe_checkout_sessions
                 WHERE payment_intent_id = :intent FOR UPDATE""")
                .param("intent", paymentIntentId).query(StripeRecords::session).optional();
    }

    /**
     * The intent to refund a payment whose account was closed before it was credited (the session is claimed,
     * nothing credited): recorded before Stripe is asked, in the transaction that handles the payment. The job
     * asks only from a minute on: until then the handler's own ask, right after its commit, has it.
     */
    public void refundForClosureDue(String sessionId) {
        jdbc.sql("""
                UPDATE stripe_checkout_sessions
                   SET refund_for_closure_at = CURRENT_TIMESTAMP,
                       refund_for_closure_next_at = CURRENT_TIMESTAMP + interval '1 minute'
                 WHERE session_id = :id""")
                .param("id", sessionId).update();
    }

    /** The outcome: Stripe took the refund of a closed account's payment (its refund's id). */
    public void refundedForClosure(String sessionId, String refundId) {
        jdbc.sql("""
                UPDATE stripe_checkout_sessions SET refund_for_closure_id = :refund, refund_for_closure_next_at = NULL
                 WHERE session_id = :id""")
                .param("id", sessionId).param("refund", refundId).update();
    }

    /**
     * The refund Stripe took for a closed account's payment no longer covers it (it failed or was cancelled): it is
     * asked again now, under the next ask's key (the one that was taken would answer with the failed refund).
     */
    public void refundForClosureAgain(String sessionId) {
        jdbc.sql("""
                UPDATE stripe_checkout_sessions
                   SET refund_for_closure_id = NULL, refund_for_closure_attempts = refund_for_closure_attempts + 1,
                       refund_for_closure_error = 'the refund failed or was cancelled at Stripe',
                       refund_for_closure_next_at = CURRENT_TIMESTAMP
                 WHERE session_id = :id AND refund_for_closure_id IS NOT NULL""")
                .param("id", sessionId).update();
    }

    /**
     * The outcome: Stripe did not take this ask. Counted, and asked again after a pause that doubles from 5
     * minutes up to 6 hours; {@code last} makes it the last ask (nothing will ever be asked again). Returns the
     * number of asks made.
     */
    public int refundForClosureFailed(String sessionId, String error, boolean last, int maxAttempts) {
        return jdbc.sql("""
                UPDATE stripe_checkout_sessions
                   SET refund_for_closure_attempts = CASE WHEN :last THEN :max ELSE refund_for_closure_attempts + 1 END,
                       refund_for_closure_error = left(:error, 500),
                       refund_for_closure_next_at = CURRENT_TIMESTAMP
                           + least(interval '5 minutes' * power(2, refund_for_closure_attempts), interval '6 hours')
                 WHERE session_id = :id
                RETURNING refund_for_closure_attempts""")
                .param("id", sessionId).param("error", error).param("last", last).param("max", maxAttempts)
                .query(Integer.class).single();
    }

    /** The closed accounts' payments whose refund is due to be asked again (Stripe did not take it yet), the most overdue first. */
    public List<DueRefund> refundsForClosureDue(int limit, int maxAttempts) {
        return jdbc.sql("""
                SELECT session_id, payment_intent_id, refund_for_closure_attempts FROM stripe_checkout_sessions
                 WHERE refund_for_closure_at IS NOT NULL AND refund_for_closure_id IS NULL
                   AND refund_for_closure_next_at <= CURRENT_TIMESTAMP AND refund_for_closure_attempts < :max
                 ORDER BY refund_for_closure_next_at LIMIT :limit""")
                .param("limit", limit).param("max", maxAttempts)
                .query((rs, n) -> new DueRefund(rs.getString("session_id"), rs.getString("payment_intent_id"),
                        rs.getInt("refund_for_closure_attempts")))
                .list();
    }

    /**
     * A closed account's payment to refund: its session, its payment intent (null when Stripe named none) and
     * how many asks Stripe did not take so far.
     */
    public record DueRefund(String sessionId, String paymentIntentId, int attempts) {
    }

    /**
     * What the purchase's refunds have taken back now; {@code read}, when the figure was read from Stripe, is
     * that read's number, so that a read begun earlier and committed later is not applied over it.
     */
    public void setCreditsRefunded(String sessionId, int credits, Long read) {
        jdbc.sql("""
                UPDATE stripe_checkout_sessions
                   SET credits_refunded = :credits, refunds_read = COALESCE(:read, refunds_read)
                 WHERE session_id = :id""")
                .param("credits", credits).param("id", sessionId).param("read", read).update();
    }

    /**
     * The number of a read of Stripe's API about to begin, from one counter for every instance: a read numbered
     * higher began after this number was taken. Outside any transaction (a connection held for one statement).
     */
    public long nextChargeRead() {
        return jdbc.sql("SELECT nextval('stripe_charge_reads')").query(Long.class).single();
    }

    public boolean sessionExists(String sessionId) {
        return jdbc.sql("SELECT count(*) FROM stripe_checkout_sessions WHERE session_id = :id").param("id", sessionId)
                .query(Long.class).single() > 0;
    }

    /** Whether this event has been handled already (a redelivery), read without waiting for anything. */
    public boolean eventSeen(String eventId) {
        return jdbc.sql("SELECT count(*) FROM stripe_events WHERE event_id = :id").param("id", eventId)
                .query(Long.class).single() > 0;
    }

    /** True the first time an event id is seen. */
    public boolean recordEvent(String eventId, String type) {
        return jdbc.sql("INSERT INTO stripe_events (event_id, type) VALUES (:id, :type) ON CONFLICT DO NOTHING")
                .param("id", eventId).param("type", type).update() == 1;
    }

    public void eventOutcome(String eventId, String outcome) {
        jdbc.sql("UPDATE stripe_events SET outcome = :outcome WHERE event_id = :id").param("id", eventId)
                .param("outcome", outcome).update();
    }

    /** Serialises the crediting of a payment and its refunds, until the transaction ends. */
    public void lockPaymentIntent(String paymentIntentId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:intent, 43))").param("intent", paymentIntentId)
                .query().listOfRows();
    }

    /** Keeps a refund event whose payment is not credited yet, with its charge, until it is. */
    public void parkRefund(String eventId, String paymentIntentId, String charge) {
        jdbc.sql("""
                UPDATE stripe_events SET payment_intent_id = :intent, parked_charge = CAST(:charge AS jsonb)
                 WHERE event_id = :id""")
                .param("id", eventId).param("intent", paymentIntentId).param("charge", charge).update();
    }

    /** The refund events kept for this payment intent, oldest first, locked and taken: no longer kept. */
    public List<ParkedRefund> takeParkedRefunds(String paymentIntentId) {
        return jdbc.sql("""
                UPDATE stripe_events e SET parked_charge = NULL
                  FROM (SELECT event_id, parked_charge FROM stripe_events
                         WHERE payment_intent_id = :intent AND parked_charge IS NOT NULL FOR UPDATE) p
                 WHERE e.event_id = p.event_id
                RETURNING e.event_id, e.received_at, p.parked_charge::text AS charge""")
                .param("intent", paymentIntentId)
                .query((rs, n) -> new ParkedRefund(rs.getString("event_id"), rs.getObject("received_at",
                        OffsetDateTime.class), rs.getString("charge")))
                .list().stream().sorted(Comparator.comparing(ParkedRefund::receivedAt)).toList();
    }

    /** A refund event kept until its payment was credited. */
    public record ParkedRefund(String eventId, OffsetDateTime receivedAt, String charge) {
    }

    private static SessionRow session(ResultSet rs, int n) throws SQLException {
        return new SessionRow(rs.getString("session_id"), rs.getObject("user_id", UUID.class), rs.getInt("credits"),
                rs.getLong("amount_cents"), rs.getInt("credits_refunded"), rs.getObject("refunds_read", Long.class),
                rs.getBoolean("refunded_for_closure"));
    }

    /**
     * A checkout session: what it is worth, how many of its credits refunds have taken back, and as of which
     * read of Stripe's API (its number; null until settled from one); {@code refundedForClosure} when it was paid
     * after its account was closed, so never credited and refunded in full instead.
     */
    public record SessionRow(String sessionId, UUID userId, int credits, long amountCents, int creditsRefunded,
            Long refundsRead, boolean refundedForClosure) {
    }
}
