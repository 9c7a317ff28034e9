package ai.calling.billing;

import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.billing.internal.StripeGateway;
import ai.calling.billing.internal.StripeGateway.ChargeRefunds;
import ai.calling.billing.internal.StripeGateway.RefundAsk;
import ai.calling.billing.internal.StripeRecords;
import ai.calling.billing.internal.StripeRecords.DueRefund;
import ai.calling.billing.internal.StripeRecords.SessionRow;
import ai.calling.common.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's callbacks. The raw body must carry a valid {@code Stripe-Signature} (5 minutes tolerance).
 * Each event id is recorded in the same transaction as its effect, so a redelivery changes nothing
 * and a failure lets Stripe retry. Paid checkout sessions credit their package once. A refund or dispute
 * event settles the purchase to what Stripe holds, read from its API before the transaction: the share of
 * the charge refunded or withdrawn by a dispute is taken back once, and given back when a refund fails or is
 * cancelled or a dispute is won (an event of a payment not credited yet is kept and settled when it is).
 * A payment whose account was closed before it was credited is refunded in full instead (decision 0008).
 * Anything unknown is recorded and acknowledged.
 */
@Service
public class StripeWebhookService {

    static final long TOLERANCE_SECONDS = 300;
    /**
     * Events that say what a charge gave back changed: the charge refunded, one of its refunds (created,
     * failed...), or one of its disputes (a chargeback opened, its funds withdrawn, won and reinstated, lost).
     */
    static final Set<String> REFUND_EVENTS = Set.of("charge.refunded", "charge.refund.updated", "refund.created",
            "refund.updated", "refund.failed", "charge.dispute.created", "charge.dispute.updated",
            "charge.dispute.closed", "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated");
    /**
     * How many times a closed account's payment is asked to be refunded before it is left to a person: the pauses
     * between asks double from 5 minutes to 6 hours, so ten asks span about a day.
     */
    static final int REFUND_ASKS = 10;
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookService.class);

    private final StripeGateway stripe;
    private final StripeRecords records;
    private final CreditLedger ledger;
    private final JsonMapper json;
    private final TransactionTemplate transactions;

    StripeWebhookService(StripeGateway stripe, StripeRecords records, CreditLedger ledger, JsonMapper json,
            TransactionTemplate transactions) {
        this.transactions = transactions;
        this.stripe = stripe;
        this.records = records;
        this.ledger = ledger;
        this.json = json;
    }

    public void handle(String payload, String signature) {
        if (!stripe.webhookConfigured()) {
            throw ApiException.unavailable("Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET)");
        }
        if (signature == null || signature.isBlank()) {
            throw ApiException.badRequest("Missing Stripe-Signature header");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, stripe.webhookSecret(), TOLERANCE_SECONDS);
        } catch (SignatureVerificationException e) {
            throw ApiException.badRequest("The Stripe signature does not match this payload");
        } catch (RuntimeException e) {
            throw ApiException.badRequest("The payload is not a Stripe event");
        }
        if (records.eventSeen(event.getId())) {
            log.debug("Stripe event {} already processed", event.getId());
            return;
        }
        JsonNode object = json.readTree(payload).path("data").path("object");
        // Stripe's refunds as they stand, read before the transaction: no provider call holds a connection
        RefundState refunds = REFUND_EVENTS.contains(event.getType()) ? refundState(event.getType(), object) : null;
        // a payment of a closed account: the refund's intent commits with the event, Stripe is asked after it
        AtomicReference<DueRefund> refundDue = new AtomicReference<>();
        transactions.executeWithoutResult(status -> {
            if (!records.recordEvent(event.getId(), event.getType())) {
                log.debug("Stripe event {} already processed", event.getId());
                return;
            }
            String outcome = switch (event.getType()) {
                case "checkout.session.completed" -> "paid".equals(object.path("payment_status").asString(""))
                        ? creditSession(object, refundDue) : "not paid yet";
                case "checkout.session.async_payment_succeeded" -> creditSession(object, refundDue);
                default -> REFUND_EVENTS.contains(event.getType()) ? settleOrPark(event.getId(), refunds) : "ignored";
            };
            records.eventOutcome(event.getId(), outcome);
        });
        if (refundDue.get() != null) {
            refundForClosure(refundDue.get());
        }
    }

    /**
     * Asks Stripe again for the refunds of closed accounts' payments that it did not take (it failed, refused, or
     * was unreachable when the payment was handled, or the instance stopped in between), those due now; returns
     * how many it took. After {@link #REFUND_ASKS} asks a refund is left to a person (logged as an error).
     */
    public int refundPaymentsOfClosedAccounts() {
        int refunded = 0;
        for (DueRefund refund : records.refundsForClosureDue(20, REFUND_ASKS)) {
            if (refundForClosure(refund)) {
                refunded++;
            }
        }
        return refunded;
    }

    /** One closed account's payment refunded through Stripe, with no transaction or connection held; true if taken. */
    private boolean refundForClosure(DueRefund refund) {
        if (refund.paymentIntentId() == null) {
            records.refundForClosureFailed(refund.sessionId(), "no payment intent", true, REFUND_ASKS);
            log.error("Checkout session {} was paid after its account was closed and names no payment intent: "
                    + "refund it from Stripe's dashboard", refund.sessionId());
            return false;
        }
        int ask = refund.attempts() + 1;
        RefundAsk asked = stripe.refundInFull(refund.paymentIntentId(), "closed-account-refund-" + refund.sessionId()
                + "-" + ask, "account_closed");
        if (asked.taken()) {
            records.refundedForClosure(refund.sessionId(), asked.refundId());
            log.info("Checkout session {} was paid after its account was closed: refunded ({})", refund.sessionId(),
                    asked.refundId());
            return true;
        }
        int asks = records.refundForClosureFailed(refund.sessionId(), asked.error(), false, REFUND_ASKS);
        if (asks >= REFUND_ASKS) {
            log.error("Checkout session {} was paid after its account was closed and Stripe did not take its refund "
                    + "in {} asks (last: {}): refund payment {} from Stripe's dashboard", refund.sessionId(), asks,
                    asked.error(), refund.paymentIntentId());
        }
        return false;
    }

    /**
     * What the charge gave back as Stripe holds it now, read from its API (failed and cancelled refunds, and
     * disputes whose funds are not withdrawn, left out), whichever event says it changed: an event's own
     * figures may be older than another's already applied.
     */
    private RefundState refundState(String type, JsonNode object) {
        String chargeId = "charge.refunded".equals(type) ? object.path("id").asString("")
                : object.path("charge").isObject() ? object.path("charge").path("id").asString("")
                : object.path("charge").asString("");
        if (chargeId.isEmpty()) {
            return RefundState.unknown(chargeId);
        }
        if (!stripe.apiConfigured()) {
            // refused, not acknowledged: Stripe sends it again once the key is set (a purchase may predate its removal)
            throw ApiException.unavailable("Stripe's API key is not configured on this server (STRIPE_SECRET_KEY): "
                    + "refunds and disputes cannot be read");
        }
        long read = records.nextChargeRead();
        return stripe.chargeRefunds(chargeId).map(charge -> RefundState.read(charge, read))
                .orElse(RefundState.unknown(chargeId));
    }

    private String creditSession(JsonNode session, AtomicReference<DueRefund> refundDue) {
        String sessionId = session.path("id").asString("");
        String paymentIntent = session.path("payment_intent").isString() ? session.path("payment_intent").asString() : null;
        if (paymentIntent != null) {
            // the payment's lock before its session's row, as a refund takes them
            records.lockPaymentIntent(paymentIntent);
        }
        SessionRow claimed = records.claimForCredit(sessionId, paymentIntent).orElse(null);
        if (claimed == null) {
            return records.sessionExists(sessionId) ? "already credited" : "unknown session";
        }
        if (ledger.purchaseUnlessClosed(claimed.userId(), claimed.credits(), claimed.sessionId(),
                "Purchase of " + claimed.credits() + " credits").isEmpty()) {
            records.refundForClosureDue(claimed.sessionId());
            refundDue.set(new DueRefund(claimed.sessionId(), paymentIntent, 0));
            String outcome = "not credited: the account is closed; the payment is refunded";
            if (paymentIntent != null) {
                for (StripeRecords.ParkedRefund parked : records.takeParkedRefunds(paymentIntent)) {
                    records.eventOutcome(parked.eventId(), "nothing to settle: its payment's account was closed");
                }
            }
            return outcome;
        }
        String outcome = "credited " + claimed.credits();
        if (paymentIntent != null) {
            // refunds that arrived before this payment was credited, taken back now, in the order they came
            for (StripeRecords.ParkedRefund parked : records.takeParkedRefunds(paymentIntent)) {
                String refunded = settle(RefundState.parked(json.readTree(parked.charge())), parked.eventId(),
                        records.lockByPaymentIntent(paymentIntent).orElseThrow());
                records.eventOutcome(parked.eventId(), "applied once its payment was credited: " + refunded);
                outcome += "; refund " + parked.eventId() + ": " + refunded;
            }
        }
        return outcome;
    }

    /**
     * A refund of a payment not credited yet (Stripe still retrying its checkout.session.completed, which
     * may come hours later) is kept with its figures and settled when the payment is credited; acknowledged
     * and dropped, it was lost and the late purchase credited in full.
     */
    private String settleOrPark(String eventId, RefundState refunds) {
        if (refunds.paymentIntent().isEmpty()) {
            return "unknown payment";
        }
        String paymentIntent = refunds.paymentIntent();
        // one at a time with the payment's crediting: a refund that finds the payment not credited yet is kept
        // only once that crediting (if it is running) has committed or not begun, so that it sees the refund
        records.lockPaymentIntent(paymentIntent);
        Optional<SessionRow> session = records.lockByPaymentIntent(paymentIntent);
        if (session.isPresent()) {
            return settle(refunds, eventId, session.get());
        }
        records.parkRefund(eventId, paymentIntent, refunds.toJson(json));
        log.info("Stripe refund event {} names payment {} not credited (yet): kept until it is", eventId, paymentIntent);
        return "kept until its payment is credited";
    }

    /**
     * Settles the purchase to the share of its credits given back: takes back what refunds and disputes took
     * beyond what was taken already, and gives back what a failed or cancelled refund or a won dispute no longer
     * takes. The share is of the charge's total given back (rounded down, never more than the purchase).
     * Partial refunds in any order, repeated, or a full one after partial ones, take back exactly the refunded
     * share once. A total read from
     * Stripe applies only if read after the last one applied (two events of a purchase read at different
     * moments and may commit in the other order); a charge's figures kept before refunds were read from the
     * API (no {@code read}) only take back, as an older snapshot may arrive after a newer one. {@code session}
     * is the purchase's row as locked for this event, so two refund events of one purchase apply one at a
     * time. Each movement is keyed by its event: a refunded amount can repeat (a refund fails, a new one of the
     * same amount is made).
     */
    private String settle(RefundState refunds, String eventId, SessionRow session) {
        if (session.refundedForClosure()) {
            // its account was closed before it was paid: nothing was credited, and its refund is ours; read from
            // Stripe after that refund was made, a charge not given back in full says the refund failed
            if (refunds.read() != null && refunds.chargedCents() > 0
                    && refunds.refundedCents() < refunds.chargedCents()) {
                records.refundForClosureAgain(session.sessionId());
                return "the closed account's refund no longer covers the payment: asked again";
            }
            return "nothing to settle: the payment's account was closed, nothing was credited";
        }
        int target = share(session, refunds.refundedCents(), refunds.chargedCents());
        int delta = target - session.creditsRefunded();
        if (refunds.read() == null ? delta <= 0
                : session.refundsRead() != null && refunds.read() <= session.refundsRead()) {
            return "nothing to settle (" + session.creditsRefunded() + " taken back, " + target + " by this event)";
        }
        String key = refunds.chargeId() + ":" + eventId;
        if (delta > 0) {
            ledger.refund(session.userId(), delta, key, "Refund or dispute of " + refunds.refundedCents()
                    + " (minor units) of " + session.sessionId());
        } else if (delta < 0) {
            ledger.refundReversed(session.userId(), -delta, key, "Refund failed or dispute won: "
                    + refunds.refundedCents() + " (minor units) given back now of " + session.sessionId());
        }
        records.setCreditsRefunded(session.sessionId(), target, refunds.read());
        return delta > 0 ? "refunded " + delta : delta < 0 ? "given back " + (-delta) : "settled, nothing moved";
    }

    /** The charge's cumulative refunded amount; without it, the sum of the refunds listed. */
    private static long refundedAmount(JsonNode charge) {
        if (charge.path("amount_refunded").isIntegralNumber()) {
            return Math.max(0, charge.path("amount_refunded").asLong());
        }
        long sum = 0;
        for (JsonNode refund : charge.path("refunds").path("data")) {
            sum += Math.max(0, refund.path("amount").asLong(0));
        }
        return sum;
    }

    /**
     * The share of the purchase's credits that {@code refundedCents} stands for, rounded down: a share of what
     * the charge took ({@code chargedCents}, in the charge's currency, as the refund is; the package's price when
     * the charge does not say). Against the package's price, a refund of a charge in another currency (Stripe's
     * Adaptive Pricing) or with tax took back too much: 20% of a charge of 3,740.00 INR is more than the $45.00
     * package's 4,500 cents, and took every credit.
     */
    static int share(SessionRow session, long refundedCents, long chargedCents) {
        long whole = chargedCents > 0 ? chargedCents : session.amountCents();
        if (refundedCents >= whole) {
            return session.credits();
        }
        return BigInteger.valueOf(session.credits()).multiply(BigInteger.valueOf(Math.max(0, refundedCents)))
                .divide(BigInteger.valueOf(whole)).intValue();
    }

    /**
     * What a charge gave back as one event stands for it ({@code refundedCents}: refunds and withdrawn
     * disputes): {@code read} is the number of the read of Stripe's API it comes from (null for a charge's own
     * figures, kept with a refund event before V83).
     */
    record RefundState(String chargeId, String paymentIntent, long chargedCents, long refundedCents, Long read) {

        /** A charge without a payment of ours to settle (settled as an unknown payment). */
        static RefundState unknown(String chargeId) {
            return new RefundState(chargeId, "", 0, 0, null);
        }

        static RefundState read(ChargeRefunds charge, long read) {
            return new RefundState(charge.chargeId(), charge.paymentIntent() == null ? "" : charge.paymentIntent(),
                    charge.chargedCents(), charge.refundedCents() + charge.disputedCents(), read);
        }

        /** Kept figures: a charge's fields (kept before refunds were read from the API) or these. */
        static RefundState parked(JsonNode kept) {
            Long read = kept.path("read").isIntegralNumber() ? kept.path("read").asLong() : null;
            return new RefundState(kept.path("id").asString(""), kept.path("payment_intent").asString(""),
                    kept.path("amount").asLong(0), refundedAmount(kept), read);
        }

        String toJson(JsonMapper json) {
            var kept = json.createObjectNode().put("id", chargeId).put("payment_intent", paymentIntent)
                    .put("amount", chargedCents).put("amount_refunded", refundedCents);
            if (read != null) {
                kept.put("read", read);
            }
            return kept.toString();
        }
    }
}
