package ai.calling.billing;

import java.util.ArrayList;
import java.util.List;

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
 * back the refunded share once per refund; anything unknown is recorded and acknowledged.
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
            case "charge.refunded" -> refund(object);
            default -> "ignored";
        };
        records.eventOutcome(event.getId(), outcome);
    }

    private String creditSession(JsonNode session) {
        String sessionId = session.path("id").asString("");
        String paymentIntent = session.path("payment_intent").isString() ? session.path("payment_intent").asString() : null;
        SessionRow claimed = records.claimForCredit(sessionId, paymentIntent).orElse(null);
        if (claimed == null) {
            return records.sessionExists(sessionId) ? "already credited" : "unknown session";
        }
        ledger.purchase(claimed.userId(), claimed.credits(), claimed.sessionId(),
                "Purchase of " + claimed.credits() + " credits");
        return "credited " + claimed.credits();
    }

    /** Each refund takes back its share of the package's credits, rounded down, once per refund id. */
    private String refund(JsonNode charge) {
        String paymentIntent = charge.path("payment_intent").asString("");
        SessionRow session = records.byPaymentIntent(paymentIntent).orElse(null);
        if (session == null) {
            return "unknown payment";
        }
        List<String> done = new ArrayList<>();
        JsonNode refunds = charge.path("refunds").path("data");
        if (refunds.isArray() && !refunds.isEmpty()) {
            for (JsonNode refund : refunds) {
                int credits = share(session, refund.path("amount").asLong(0));
                ledger.refund(session.userId(), credits, refund.path("id").asString(), "Refund " + refund.path("id").asString());
                done.add(refund.path("id").asString());
            }
        } else {
            // newer API versions leave refunds out of the charge: one row per cumulative refunded amount
            long refunded = charge.path("amount_refunded").asLong(0);
            String id = charge.path("id").asString() + ":" + refunded;
            ledger.refund(session.userId(), share(session, refunded), id, "Refund of " + refunded + " (minor units)");
            done.add(id);
        }
        return "refunded " + done;
    }

    private static int share(SessionRow session, long refundedCents) {
        return (int) Math.min(session.credits(), session.credits() * Math.max(0, refundedCents) / session.amountCents());
    }
}
