package ai.calling.billing.internal;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.DisputeListParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionCreateParams;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import ai.calling.common.ApiException;
import ai.calling.config.BillingProperties;
import ai.calling.config.BillingProperties.CreditPackage;
import ai.calling.config.Secrets;
import ai.calling.config.StripeProperties;

/** Stripe's API through stripe-java, pointed at {@code STRIPE_API_BASE} when set (tests use a fake). */
@Component
public class StripeGateway {

    private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);
    /** Refunds whose money never left (or came back): every other status counts as refunded. */
    private static final Set<String> UNDONE_REFUNDS = Set.of("failed", "canceled");
    /**
     * Dispute statuses whose amount Stripe has withdrawn from us (a chargeback): the warning_* ones are
     * inquiries that withdraw nothing, and a dispute won has its funds reinstated.
     */
    private static final Set<String> WITHDRAWN_DISPUTES = Set.of("needs_response", "under_review", "lost");

    private final StripeProperties stripe;
    private final BillingProperties billing;
    private final StripeClient client;
    private final ObservationRegistry observations;

    StripeGateway(StripeProperties stripe, BillingProperties billing, ObservationRegistry observations) {
        this.observations = observations;
        this.stripe = stripe;
        this.billing = billing;
        if (stripe.apiConfigured()) {
            StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(stripe.secretKey())
                    .setConnectTimeout(5_000).setReadTimeout(15_000).setMaxNetworkRetries(1);
            if (Secrets.isSet(stripe.apiBase())) {
                builder.setApiBase(stripe.apiBase());
            }
            this.client = builder.build();
        } else {
            this.client = null;
        }
    }

    public CreatedSession createCheckout(UUID userId, CreditPackage creditPackage) {
        if (client == null) {
            throw ApiException.unavailable("Payments are not configured on this server (STRIPE_SECRET_KEY is unset)");
        }
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(userId.toString())
                .putMetadata("user_id", userId.toString())
                .putMetadata("package_id", creditPackage.id())
                .putMetadata("credits", String.valueOf(creditPackage.credits()))
                .setSuccessUrl(billing.successUrl())
                .setCancelUrl(billing.cancelUrl())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(creditPackage.currency())
                                .setUnitAmount(creditPackage.priceCents())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(creditPackage.credits() + " calling credits (" + creditPackage.name() + ")")
                                        .build())
                                .build())
                        .build())
                .build();
        try {
            // a span (and a stripe.requests timer) around stripe-java's own HTTP call
            Session session = Observation.createNotStarted("stripe.requests", observations)
                    .contextualName("stripe checkout.sessions.create")
                    .lowCardinalityKeyValue("operation", "checkout.sessions.create")
                    .observeChecked(() -> client.v1().checkout().sessions().create(params));
            return new CreatedSession(session.getId(), session.getUrl());
        } catch (StripeException e) {
            log.warn("Stripe refused or failed to create a checkout session: {} ({})", e.getMessage(), e.getStatusCode());
            throw new ApiException(HttpStatus.BAD_GATEWAY, "Bad Gateway",
                    "The payment provider could not start the checkout; try again in a moment");
        }
    }

    /** Whether refunds can be read back from Stripe's API (its secret key is set). */
    public boolean apiConfigured() {
        return client != null;
    }

    /**
     * What of a charge has gone back to the customer, as Stripe holds it now: what the charge took, the sum of
     * its refunds that have not failed or been cancelled (pending ones count: their money has left), and the
     * amounts of its disputes whose funds are withdrawn (read only when the charge says it was disputed). Read
     * from the refunds list, not from the charge's {@code amount_refunded}, so that a refund that failed is
     * left out whatever that field says. Empty when Stripe does not know the charge (another account's, or
     * the other mode's). Throws 503 when Stripe cannot answer, so that the event is refused and Stripe sends it
     * again.
     */
    public Optional<ChargeRefunds> chargeRefunds(String chargeId) {
        if (client == null) {
            throw new IllegalStateException("Stripe's API is not configured");
        }
        try {
            return Optional.of(Observation.createNotStarted("stripe.requests", observations)
                    .contextualName("stripe charges.refunds.read")
                    .lowCardinalityKeyValue("operation", "charges.refunds.read")
                    .observeChecked(() -> read(chargeId)));
        } catch (InvalidRequestException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 404) {
                log.warn("Stripe does not know charge {}: {}", chargeId, e.getMessage());
                return Optional.empty();
            }
            throw unreadable(chargeId, e);
        } catch (StripeException e) {
            throw unreadable(chargeId, e);
        } catch (RuntimeException e) {
            // stripe-java's paging wraps a failed next page's StripeException in a RuntimeException
            if (e.getCause() instanceof StripeException cause) {
                throw unreadable(chargeId, cause);
            }
            throw e;
        }
    }

    private ChargeRefunds read(String chargeId) throws StripeException {
        Charge charge = client.v1().charges().retrieve(chargeId);
        long refunded = 0;
        for (Refund refund : client.v1().refunds().list(RefundListParams.builder().setCharge(chargeId).setLimit(100L)
                .build()).autoPagingIterable()) {
            if (refund.getAmount() != null && !UNDONE_REFUNDS.contains(refund.getStatus())) {
                refunded += refund.getAmount();
            }
        }
        long disputed = 0;
        if (Boolean.TRUE.equals(charge.getDisputed())) {
            for (Dispute dispute : client.v1().disputes().list(DisputeListParams.builder().setCharge(chargeId)
                    .setLimit(100L).build()).autoPagingIterable()) {
                if (dispute.getAmount() != null && WITHDRAWN_DISPUTES.contains(dispute.getStatus())) {
                    disputed += dispute.getAmount();
                }
            }
        }
        return new ChargeRefunds(chargeId, charge.getPaymentIntent(), charge.getAmount() == null ? 0 : charge.getAmount(),
                refunded, disputed);
    }

    private static ApiException unreadable(String chargeId, StripeException e) {
        log.warn("Stripe could not list the refunds and disputes of charge {}: {} ({})", chargeId, e.getMessage(),
                e.getStatusCode());
        return ApiException.unavailable("The payment provider could not be read; the event can be sent again");
    }

    /**
     * Refunds a payment in full. A payment already refunded in full (an earlier ask was taken though its answer
     * was lost) is refused by Stripe as {@code charge_already_refunded}, which counts as taken: a full refund
     * cannot be made twice. {@code idempotencyKey} makes a repeated ask (the same key, at once from two places)
     * one refund; a new ask takes a new key, as Stripe answers a key it has seen with its first answer, a failure
     * included, for 24 hours.
     */
    public RefundAsk refundInFull(String paymentIntentId, String idempotencyKey, String reason) {
        if (client == null) {
            log.warn("Payment {} cannot be refunded: STRIPE_SECRET_KEY is unset", paymentIntentId);
            return RefundAsk.notTaken("Stripe's API key is not configured on this server (STRIPE_SECRET_KEY)");
        }
        RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(paymentIntentId)
                .putMetadata("reason", reason).build();
        try {
            Refund refund = Observation.createNotStarted("stripe.requests", observations)
                    .contextualName("stripe refunds.create")
                    .lowCardinalityKeyValue("operation", "refunds.create")
                    .observeChecked(() -> client.v1().refunds().create(params,
                            RequestOptions.builder().setIdempotencyKey(idempotencyKey).build()));
            return new RefundAsk(refund.getId(), null);
        } catch (StripeException e) {
            if ("charge_already_refunded".equals(e.getCode())) {
                return new RefundAsk("already refunded", null);
            }
            log.warn("Stripe did not refund payment {}: {} ({})", paymentIntentId, e.getMessage(), e.getStatusCode());
            return RefundAsk.notTaken(e.getStatusCode() + " " + e.getMessage());
        }
    }

    /** What a refund's ask came to: the refund's id when Stripe took it, else why not. */
    public record RefundAsk(String refundId, String error) {

        static RefundAsk notTaken(String error) {
            return new RefundAsk(null, error);
        }

        public boolean taken() {
            return refundId != null;
        }
    }

    /** What a charge took, and what its refunds and its disputes gave back, as Stripe held them when read. */
    public record ChargeRefunds(String chargeId, String paymentIntent, long chargedCents, long refundedCents,
            long disputedCents) {
    }

    public boolean webhookConfigured() {
        return Secrets.isSet(stripe.webhookSecret());
    }

    public String webhookSecret() {
        return stripe.webhookSecret();
    }

    public record CreatedSession(String id, String url) {
    }
}
