package ai.calling.billing;

import java.math.BigInteger;
import java.util.Optional;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.billing.internal.StripeGateway;
import ai.calling.billing.internal.StripeRecords;
import ai.calling.billing.internal.StripeRecords.SessionRow;
import ai.calling.common.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's callbacks. The raw body must carry a valid {@code Stripe-Signature} (5 minutes tolerance).
 * Each event id is recorded in the same transaction as its effect, so a redelivery changes nothing
 * and a failure lets Stripe retry. Paid checkout sessions credit their package once; refunds take
 * back the refunded share of the purchase once (a refund of a payment not credited yet is kept and taken
 * back when it is); anything unknown is recorded and acknowledged.
 */
@Service
public class StripeWebhookService {

    static final long TOLERANCE_SECONDS = 300;
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookService.class);

    private final StripeGateway stripe;
    private final StripeRecords records;
    private final CreditLedger ledger;
    private final JsonMapper json;

    StripeWebhookService(StripeGateway stripe, StripeRecords records, CreditLedger ledger, JsonMapper json) {
        this.stripe = stripe;
        this.records = records;
        this.ledger = ledger;
        this.json = json;
    }

    @Transactional
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
        if (!records.recordEvent(event.getId(), event.getType())) {
            log.debug("Stripe event {} already processed", event.getId());
            return;
        }
        JsonNode object = json.readTree(payload).path("data").path("object");
        String outcome = switch (event.getType()) {
            case "checkout.session.completed" -> "paid".equals(object.path("payment_status").asString(""))
                    ? creditSession(object) : "not paid yet";
            case "checkout.session.async_payment_succeeded" -> creditSession(object);
            case "charge.refunded" -> refundOrPark(event.getId(), object);
            default -> "ignored";
        };
        records.eventOutcome(event.getId(), outcome);
    }

    private String creditSession(JsonNode session) {
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
        ledger.purchase(claimed.userId(), claimed.credits(), claimed.sessionId(),
                "Purchase of " + claimed.credits() + " credits");
        String outcome = "credited " + claimed.credits();
        if (paymentIntent != null) {
            // refunds that arrived before this payment was credited, taken back now, in the order they came
            for (StripeRecords.ParkedRefund parked : records.takeParkedRefunds(paymentIntent)) {
                String refunded = refund(json.readTree(parked.charge()),
                        records.lockByPaymentIntent(paymentIntent).orElseThrow());
                records.eventOutcome(parked.eventId(), "applied once its payment was credited: " + refunded);
                outcome += "; refund " + parked.eventId() + ": " + refunded;
            }
        }
        return outcome;
    }

    /**
     * A refund of a payment not credited yet (Stripe still retrying its checkout.session.completed, which
     * may come hours later) is kept with its charge and applied when the payment is credited; acknowledged
     * and dropped, it was lost and the late purchase credited in full.
     */
    private String refundOrPark(String eventId, JsonNode charge) {
        String paymentIntent = charge.path("payment_intent").asString("");
        if (paymentIntent.isEmpty()) {
            return "unknown payment";
        }
        // one at a time with the payment's crediting: a refund that finds the payment not credited yet is kept
        // only once that crediting (if it is running) has committed or not begun, so that it sees the refund
        records.lockPaymentIntent(paymentIntent);
        Optional<SessionRow> session = records.lockByPaymentIntent(paymentIntent);
        if (session.isPresent()) {
            return refund(charge, session.get());
        }
        records.parkRefund(eventId, paymentIntent, refundFields(charge));
        log.info("Stripe refund event {} names payment {} not credited (yet): kept until it is", eventId, paymentIntent);
        return "kept until its payment is credited";
    }

    /** What a kept refund needs of its charge (no billing details): its id, amounts, refunds and payment. */
    private String refundFields(JsonNode charge) {
        var kept = json.createObjectNode();
        for (String field : new String[] { "id", "amount", "amount_refunded", "payment_intent" }) {
            if (charge.has(field)) {
                kept.set(field, charge.get(field));
            }
        }
        var refunds = kept.putObject("refunds").putArray("data");
        for (JsonNode refund : charge.path("refunds").path("data")) {
            refunds.addObject().put("id", refund.path("id").asString("")).put("amount", refund.path("amount").asLong(0));
        }
        return kept.toString();
    }

    /**
     * Takes back the refunded share of the purchase's credits, minus what earlier refunds of it already
     * took back: the charge's cumulative {@code amount_refunded} (newer API versions send no refunds
     * list; older ones send both) decides the share, rounded down, never more than the purchase. Partial
     * refunds in any order, repeated, or a full one after partial ones, take back exactly the refunded
     * share once. {@code session} is the purchase's row as locked for this refund, so two refund events of
     * one purchase apply one at a time.
     */
    private String refund(JsonNode charge, SessionRow session) {
        long refundedCents = refundedAmount(charge);
        int target = share(session, refundedCents, charge.path("amount").asLong(0));
        int delta = target - session.creditsRefunded();
        if (delta <= 0) {
            return "nothing more to take back (" + session.creditsRefunded() + " of " + target + " already)";
        }
        String id = charge.path("id").asString("") + ":" + refundedCents;
        ledger.refund(session.userId(), delta, id, "Refund of " + refundedCents + " (minor units) of "
                + session.sessionId());
        records.setCreditsRefunded(session.sessionId(), target);
        return "refunded " + delta;
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
}
