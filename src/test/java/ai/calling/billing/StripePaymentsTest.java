package ai.calling.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.config.SystemSettings;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.StripeEvents;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Buying credits end to end: checkout against a fake Stripe API (WireMock), then webhook events
 * signed in the test exactly as Stripe signs them.
 */
@IntegrationTest
class StripePaymentsTest {

    static final String WEBHOOK_SECRET = "whsec_test_secret";
    static final WireMockServer STRIPE = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        STRIPE.start();
    }

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("app.stripe.secret-key", () -> "sk_test_fake");
        registry.add("app.stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("app.stripe.api-base", STRIPE::baseUrl);
    }

    @AfterAll
    static void stop() {
        STRIPE.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SystemSettings settings;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        STRIPE.resetAll();
    }

    @Test
    void packagesAreListed() {
        Http.Response packages = http.get("/api/billing/packages", user.auth());

        assertThat(packages.status()).isEqualTo(200);
        assertThat(packages.json().findValuesAsString("id")).contains("starter", "growth", "scale");
    }

    @Test
    void checkoutThenACompletedEventPostedThreeTimesCreditsOnce() {
        String session = checkout("growth");
        STRIPE.verify(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + user.id())));
        String event = completed("evt_" + UUID.randomUUID(), session, "paid");

        for (int i = 0; i < 3; i++) {
            assertThat(webhook(event).status()).isEqualTo(200);
        }

        assertThat(balance()).isEqualTo(15 + 500);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? AND type = 'purchase' "
                + "AND stripe_payment_id = ?", Long.class, user.id(), session)).isOne();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void theSameEventDeliveredFiveTimesChangesNothingAfterTheFirst() {
        String session = checkout("starter");
        String event = completed("evt_" + UUID.randomUUID(), session, "paid");

        for (int i = 0; i < 5; i++) {
            assertThat(webhook(event).status()).isEqualTo(200);
        }

        assertThat(balance()).isEqualTo(115);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void completedAndAsyncSucceededForOneSessionCreditOnce() {
        String session = checkout("starter");

        webhook(completed("evt_" + UUID.randomUUID(), session, "unpaid"));
        assertThat(balance()).isEqualTo(15);
        webhook(event("evt_" + UUID.randomUUID(), "checkout.session.async_payment_succeeded",
                "{\"id\":\"" + session + "\",\"object\":\"checkout.session\",\"payment_status\":\"paid\","
                        + "\"payment_intent\":\"pi_" + session + "\"}"));
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));

        assertThat(balance()).isEqualTo(115);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void badSignaturesStaleTimestampsAndTamperedBodiesAre400AndChangeNothing() {
        String session = checkout("starter");
        String body = completed("evt_" + UUID.randomUUID(), session, "paid");
        long now = Instant.now().getEpochSecond();

        assertThat(http.post("/api/webhooks/stripe", body, "Stripe-Signature", sign(body, now, "whsec_wrong")).status())
                .isEqualTo(400);
        assertThat(http.post("/api/webhooks/stripe", body, "Stripe-Signature", sign(body, now - 600, WEBHOOK_SECRET))
                .status()).isEqualTo(400);
        String tampered = body.replace("\"paid\"", "\"paid\" ");
        assertThat(http.post("/api/webhooks/stripe", tampered, "Stripe-Signature", sign(body, now, WEBHOOK_SECRET))
                .status()).isEqualTo(400);
        assertThat(http.post("/api/webhooks/stripe", body).status()).isEqualTo(400);

        assertThat(balance()).isEqualTo(15);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_events WHERE event_id = ?", Long.class,
                body.substring(7, body.indexOf('"', 7)))).isZero();
    }

    /**
     * Stripe delivers events in no set order and retries a failed one for days: a refund can come before its
     * purchase is credited. It is kept, and taken back when the purchase is credited, once.
     */
    @Test
    void aRefundThatArrivesBeforeItsPurchaseIsCreditedIsTakenBackWhenItIs() {
        String session = checkout("growth");
        String charge = "{\"id\":\"ch_" + session + "\",\"object\":\"charge\",\"amount\":4500,\"amount_refunded\":900,"
                + "\"payment_intent\":\"pi_" + session + "\"}";

        assertThat(webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", charge)).status()).isEqualTo(200);
        assertThat(balance()).isEqualTo(15);
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        assertThat(balance()).isEqualTo(15 + 500 - 100);
        // the purchase's event again changes nothing, and the refund is not taken twice
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", charge));
        assertThat(balance()).isEqualTo(15 + 500 - 100);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? AND type = 'refund'",
                Long.class, user.id())).isOne();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void aRefundTakesBackItsShareOncePerRefund() {
        String session = checkout("growth");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        String charge = "{\"id\":\"ch_" + session + "\",\"object\":\"charge\",\"amount\":4500,\"amount_refunded\":900,"
                + "\"payment_intent\":\"pi_" + session + "\",\"refunds\":{\"object\":\"list\",\"data\":["
                + "{\"id\":\"re_" + session + "\",\"object\":\"refund\",\"amount\":900}]}}";
        String refunded = event("evt_" + UUID.randomUUID(), "charge.refunded", charge);

        webhook(refunded);
        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", charge));

        assertThat(balance()).isEqualTo(15 + 500 - 100);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? AND type = 'refund'",
                Long.class, user.id())).isOne();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * A refund's share is of what the charge took, in the charge's currency (Stripe's Adaptive Pricing charges
     * in the customer's): 20% of a charge of 3,740.00 INR for the $45.00 package takes back 20% of its credits,
     * not all of them (74,800 paise was compared with 4,500 cents).
     */
    @Test
    void aRefundOfAChargeInAnotherCurrencyTakesBackItsShareOfThatCharge() {
        String session = checkout("growth");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        String charge = "{\"id\":\"ch_" + session + "\",\"object\":\"charge\",\"amount\":374000,\"currency\":\"inr\","
                + "\"amount_refunded\":74800,\"payment_intent\":\"pi_" + session + "\"}";

        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", charge));

        assertThat(balance()).isEqualTo(15 + 500 - 100);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void partialRefundsThenAFullOneInAnyOrderTwiceTakeBackThePurchaseExactlyOnce() {
        for (long seed = 1; seed <= 4; seed++) {
            String session = checkout("starter");
            webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
            int before = balance();
            // newer API versions: the charge's cumulative amount_refunded and no refunds list
            List<String> events = new ArrayList<>();
            for (String charge : List.of(refundedCharge(session, 500, false), refundedCharge(session, 1000, false),
                    refundedCharge(session, 1000, true))) {
                String event = event("evt_" + UUID.randomUUID(), "charge.refunded", charge);
                events.add(event);
                events.add(event);
            }
            Collections.shuffle(events, new Random(seed));

            events.forEach(event -> assertThat(webhook(event).status()).isEqualTo(200));

            assertThat(before - balance()).as("credits taken back, order %d", seed).isEqualTo(100);
            assertThat(jdbc.queryForObject("SELECT -sum(amount) FROM credit_transactions WHERE user_id = ? "
                    + "AND type = 'refund' AND description LIKE ?", Integer.class, user.id(), "%" + session))
                    .isEqualTo(100);
        }
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void olderRefundListsTakeBackTheirShareAndNeverMoreThanThePurchase() {
        String session = checkout("starter");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        String oneRefund = "{\"id\":\"ch_" + session + "\",\"object\":\"charge\",\"amount\":1000,"
                + "\"payment_intent\":\"pi_" + session + "\",\"refunds\":{\"object\":\"list\",\"data\":["
                + "{\"id\":\"re_1\",\"object\":\"refund\",\"amount\":250}]}}";
        String overRefunded = refundedCharge(session, 5000, true);

        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", oneRefund));
        assertThat(balance()).isEqualTo(115 - 25);
        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", overRefunded));

        assertThat(balance()).isEqualTo(15);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    private static String refundedCharge(String session, long amountRefunded, boolean fully) {
        return "{\"id\":\"ch_" + session + "\",\"object\":\"charge\",\"amount\":1000,\"amount_refunded\":"
                + amountRefunded + ",\"refunded\":" + fully + ",\"payment_intent\":\"pi_" + session + "\"}";
    }

    @Test
    void unknownSessionsAndUnhandledTypesAreAcknowledgedAndRecorded() {
        String unknown = "evt_" + UUID.randomUUID();
        assertThat(webhook(completed(unknown, "cs_never_created", "paid")).status()).isEqualTo(200);
        String other = "evt_" + UUID.randomUUID();
        assertThat(webhook(event(other, "customer.created", "{\"id\":\"cus_1\",\"object\":\"customer\"}")).status())
                .isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT outcome FROM stripe_events WHERE event_id = ?", String.class, unknown))
                .isEqualTo("unknown session");
        assertThat(jdbc.queryForObject("SELECT outcome FROM stripe_events WHERE event_id = ?", String.class, other))
                .isEqualTo("ignored");
    }

    @Test
    void checkoutRefusesUnknownPackagesAndReports502WhenStripeFails() {
        assertThat(http.post("/api/billing/checkout", Map.of("packageId", "platinum"), user.auth()).status())
                .isEqualTo(400);
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}")));

        Http.Response failed = http.post("/api/billing/checkout", Map.of("packageId", "starter"), user.auth());

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_checkout_sessions WHERE user_id = ?", Long.class,
                user.id())).isZero();
    }

    @Test
    void aPackageBelowTheMinimumPurchaseIsRefused() {
        jdbc.update("UPDATE system_config SET config_value = '200' WHERE config_key = 'minimum_credit_purchase'");
        settings.evict(SystemSettings.MINIMUM_CREDIT_PURCHASE);
        try {
            Http.Response response = http.post("/api/billing/checkout", Map.of("packageId", "starter"), user.auth());
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().path("errors").path(0).path("field").asString()).isEqualTo("packageId");
            STRIPE.verify(0, postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")));
        } finally {
            jdbc.update("UPDATE system_config SET config_value = '50' WHERE config_key = 'minimum_credit_purchase'");
            settings.evict(SystemSettings.MINIMUM_CREDIT_PURCHASE);
        }
    }

    private String checkout(String packageId) {
        String session = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + session + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                        + "\"payment_status\":\"unpaid\",\"url\":\"https://checkout.stripe.test/pay/" + session + "\"}")));
        Http.Response response = http.post("/api/billing/checkout", Map.of("packageId", packageId), user.auth());
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("sessionId").asString()).isEqualTo(session);
        assertThat(response.json().path("checkoutUrl").asString()).endsWith(session);
        return session;
    }

    private String completed(String eventId, String session, String paymentStatus) {
        return event(eventId, "checkout.session.completed", "{\"id\":\"" + session + "\",\"object\":\"checkout.session\","
                + "\"payment_status\":\"" + paymentStatus + "\",\"payment_intent\":\"pi_" + session + "\","
                + "\"client_reference_id\":\"" + user.id() + "\",\"metadata\":{\"credits\":\"999999\"}}");
    }

    private static String event(String eventId, String type, String object) {
        return StripeEvents.event(eventId, type, object);
    }

    private Http.Response webhook(String body) {
        return http.post("/api/webhooks/stripe", body, "Stripe-Signature",
                sign(body, Instant.now().getEpochSecond(), WEBHOOK_SECRET));
    }

    static String sign(String body, long timestamp, String secret) {
        return StripeEvents.sign(body, timestamp, secret);
    }

    private int balance() {
        return http.get("/api/credits/balance", user.auth()).json().path("credits").asInt();
    }
}
