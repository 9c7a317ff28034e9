package ai.calling.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.admin.AdminDtos;
import ai.calling.admin.internal.PlatformQueries;
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

    @Autowired
    StripeWebhookService stripeWebhooks;

    @Autowired
    PlatformQueries platform;

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
        stripeHolds(session, 4500, new StripeRefund("re_" + session, 900, "succeeded"));
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
        stripeHolds(session, 4500, new StripeRefund("re_" + session, 900, "succeeded"));
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
        stripeHolds(session, 374000, new StripeRefund("re_" + session, 74800, "succeeded"));
        String charge = "{\"id\":\"ch_" + session + "\",\"object\":\"charge\",\"amount\":374000,\"currency\":\"inr\","
                + "\"amount_refunded\":74800,\"payment_intent\":\"pi_" + session + "\"}";

        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", charge));

        assertThat(balance()).isEqualTo(15 + 500 - 100);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * Partial refunds, then one that completes the charge: each step's event delivered twice, and the earlier
     * steps' events again (redeliveries, skipped by their ids), in a shuffled order. Every event settles to what
     * Stripe holds when it is handled, whatever its own figures say, so the purchase ends taken back exactly
     * once; the order of events no longer matters by construction.
     */
    @Test
    void partialRefundsThenAFullOneRedeliveredTakeBackThePurchaseExactlyOnce() {
        for (long seed = 1; seed <= 4; seed++) {
            String session = checkout("starter");
            webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
            int before = balance();
            Random random = new Random(seed);
            List<StripeRefund> refunds = new ArrayList<>();
            List<String> delivered = new ArrayList<>();
            long[][] steps = { { 300 }, { 200 }, { 500 } };
            for (long[] step : steps) {
                refunds.add(new StripeRefund("re_" + UUID.randomUUID(), step[0], "succeeded"));
                stripeHolds(session, 1000, refunds.toArray(StripeRefund[]::new));
                long refundedSoFar = refunds.stream().mapToLong(StripeRefund::amount).sum();
                String event = event("evt_" + UUID.randomUUID(), "charge.refunded",
                        refundedCharge(session, refundedSoFar, refundedSoFar == 1000));
                delivered.add(event);
                List<String> now = new ArrayList<>(delivered);
                now.add(event);
                Collections.shuffle(now, random);
                now.forEach(body -> assertThat(webhook(body).status()).isEqualTo(200));
                assertThat(before - balance()).as("credits taken back after %d, order %d", refundedSoFar, seed)
                        .isEqualTo((int) (refundedSoFar / 10));
            }

            assertThat(jdbc.queryForObject("SELECT -sum(amount) FROM credit_transactions WHERE user_id = ? "
                    + "AND type = 'refund' AND description LIKE ?", Integer.class, user.id(), "%" + session))
                    .isEqualTo(100);
        }
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * A refund kept before V83 (the charge's own figures on its event row, the older API's refunds list, no
     * read of Stripe's API) is taken back when its purchase is credited, as it was kept.
     */
    @Test
    void aRefundKeptBeforeRefundsWereReadFromStripeIsTakenBackWhenItsPurchaseIsCredited() {
        String session = checkout("growth");
        String eventId = "evt_" + UUID.randomUUID();
        jdbc.update("INSERT INTO stripe_events (event_id, type, payment_intent_id, parked_charge) "
                + "VALUES (?, 'charge.refunded', ?, CAST(? AS jsonb))", eventId, "pi_" + session,
                "{\"id\":\"ch_" + session + "\",\"amount\":4500,\"payment_intent\":\"pi_" + session + "\","
                        + "\"refunds\":{\"data\":[{\"id\":\"re_1\",\"amount\":450},{\"id\":\"re_2\",\"amount\":450}]}}");

        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));

        assertThat(balance()).isEqualTo(15 + 500 - 100);
        assertThat(jdbc.queryForObject("SELECT outcome FROM stripe_events WHERE event_id = ?", String.class, eventId))
                .isEqualTo("applied once its payment was credited: refunded 100");
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /** A charge Stripe does not know (another account's, or the other mode's) is recorded and acknowledged. */
    @Test
    void aRefundOfAChargeStripeDoesNotKnowIsAcknowledged() {
        STRIPE.stubFor(get(urlPathEqualTo("/v1/charges/ch_unknown")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"type\":\"invalid_request_error\","
                        + "\"code\":\"resource_missing\",\"message\":\"No such charge: 'ch_unknown'\"}}")));
        String eventId = "evt_" + UUID.randomUUID();

        assertThat(webhook(event(eventId, "charge.refunded", "{\"id\":\"ch_unknown\",\"object\":\"charge\","
                + "\"amount\":1000,\"amount_refunded\":1000,\"payment_intent\":\"pi_unknown\"}")).status()).isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT outcome FROM stripe_events WHERE event_id = ?", String.class, eventId))
                .isEqualTo("unknown payment");
    }

    /**
     * A refund that fails (the customer's card was closed: Stripe returns the money to us) gives its credits
     * back, once however often Stripe says so and under whichever event; a new refund of the same amount later
     * takes them again (the movements are keyed by event, not by the refunded amount, which repeats).
     */
    @Test
    void aFailedRefundGivesItsCreditsBackOnceAndANewRefundTakesThemAgain() {
        String session = checkout("growth");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        stripeHolds(session, 4500, new StripeRefund("re_1" + session, 900, "succeeded"));
        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", refundedCharge(session, 900, false)));
        assertThat(balance()).isEqualTo(15 + 500 - 100);

        stripeHolds(session, 4500, new StripeRefund("re_1" + session, 900, "failed"));
        String failed = event("evt_" + UUID.randomUUID(), "charge.refund.updated",
                refund(session, "re_1" + session, 900, "failed"));
        for (String body : List.of(failed, failed, event("evt_" + UUID.randomUUID(), "refund.failed",
                refund(session, "re_1" + session, 900, "failed")))) {
            assertThat(webhook(body).status()).isEqualTo(200);
        }
        assertThat(balance()).isEqualTo(15 + 500);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? AND type = 'refund' "
                + "AND amount = 100", Long.class, user.id())).isOne();

        stripeHolds(session, 4500, new StripeRefund("re_1" + session, 900, "failed"),
                new StripeRefund("re_2" + session, 900, "succeeded"));
        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", refundedCharge(session, 900, false)));
        assertThat(balance()).isEqualTo(15 + 500 - 100);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * Two events of one purchase read Stripe at different moments: a read that began before a refund failed,
     * answered slowly, commits after the event that read the failure. It is not applied over it (it would take
     * the credits back again).
     */
    @Test
    void aReadOfStripeBegunBeforeAFailureDoesNotUndoItWhenItCommitsAfter() throws Exception {
        String session = checkout("growth");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        StripeRefund refund = new StripeRefund("re_" + session, 900, "succeeded");
        stripeHolds(session, 4500, refund);
        webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", refundedCharge(session, 900, false)));
        assertThat(balance()).isEqualTo(15 + 500 - 100);
        // the first read of the refunds answers "succeeded" after 1.5 s; every read after it, "failed"
        STRIPE.resetRequests();
        STRIPE.stubFor(get(urlPathEqualTo("/v1/refunds")).withQueryParam("charge", equalTo("ch_" + session))
                .inScenario("failure " + session).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("failed")
                .willReturn(okJson(refundList(session, refund)).withFixedDelay(1500)));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/refunds")).withQueryParam("charge", equalTo("ch_" + session))
                .inScenario("failure " + session).whenScenarioStateIs("failed")
                .willReturn(okJson(refundList(session, new StripeRefund(refund.id(), 900, "failed")))));

        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> webhook(event("evt_" + UUID.randomUUID(),
                "charge.refund.updated", refund(session, refund.id(), 900, "succeeded"))));
        long deadline = System.currentTimeMillis() + 5_000;
        while (STRIPE.findAll(getRequestedFor(urlPathEqualTo("/v1/refunds"))).isEmpty()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(webhook(event("evt_" + UUID.randomUUID(), "charge.refund.updated",
                refund(session, refund.id(), 900, "failed"))).status()).isEqualTo(200);
        assertThat(balance()).isEqualTo(15 + 500);
        assertThat(slow.get().status()).isEqualTo(200);

        assertThat(balance()).isEqualTo(15 + 500);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /** Stripe's API failing: the event is refused (503), nothing is written, and its redelivery applies once. */
    @Test
    void aRefundEventIsRefusedWhileStripeCannotBeReadAndAppliedWhenItIsSentAgain() {
        String session = checkout("growth");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/charges/ch_" + session))
                .willReturn(stripeError(500, "api_error", null, "boom")));
        String eventId = "evt_" + UUID.randomUUID();
        String refunded = event(eventId, "charge.refunded", refundedCharge(session, 900, false));

        Http.Response refused = webhook(refunded);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(balance()).isEqualTo(15 + 500);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_events WHERE event_id = ?", Long.class, eventId))
                .isZero();
        stripeHolds(session, 4500, new StripeRefund("re_" + session, 900, "succeeded"));
        assertThat(webhook(refunded).status()).isEqualTo(200);
        assertThat(webhook(refunded).status()).isEqualTo(200);
        assertThat(balance()).isEqualTo(15 + 500 - 100);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * A chargeback: Stripe withdraws the disputed amount when the dispute opens, and the purchase's credits are
     * taken back; a dispute won reinstates the funds, and the credits come back. Each once, whichever of the
     * dispute's events says so and however often.
     */
    @Test
    void aChargebackTakesItsCreditsBackAndADisputeWonGivesThemBack() {
        String session = checkout("growth");
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        stripeHolds(session, 4500, List.of(new StripeDispute("dp_" + session, 4500, "needs_response")));
        for (String type : List.of("charge.dispute.created", "charge.dispute.funds_withdrawn")) {
            assertThat(webhook(event("evt_" + UUID.randomUUID(), type,
                    dispute(session, "dp_" + session, 4500, "needs_response"))).status()).isEqualTo(200);
        }
        assertThat(balance()).isEqualTo(15);

        stripeHolds(session, 4500, List.of(new StripeDispute("dp_" + session, 4500, "won")));
        for (String type : List.of("charge.dispute.closed", "charge.dispute.funds_reinstated")) {
            assertThat(webhook(event("evt_" + UUID.randomUUID(), type, dispute(session, "dp_" + session, 4500, "won")))
                    .status()).isEqualTo(200);
        }

        assertThat(balance()).isEqualTo(15 + 500);
        assertThat(jdbc.queryForList("SELECT amount FROM credit_transactions WHERE user_id = ? AND type = 'refund' "
                + "ORDER BY seq", Integer.class, user.id())).containsExactly(-500, 500);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /** A refund as Stripe holds it: the fake API lists it with its status. */
    record StripeRefund(String id, long amount, String status) {
    }

    /** A dispute as Stripe holds it: the fake API lists it with its status. */
    record StripeDispute(String id, long amount, String status) {
    }

    /** What the fake Stripe API answers for the session's charge: its amount and its refunds. */
    /**
     * The owner closed the account while Stripe's payment page was open: the payment is refunded through Stripe
     * (its intent recorded first), nothing is credited to the closed account nor counted as revenue, and Stripe's
     * report of that refund takes nothing back.
     */
    @Test
    void aPaymentCompletedAfterItsAccountWasClosedIsRefundedNotCredited() {
        String session = checkout("growth");
        close();
        long revenue = purchasesCounted();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson(refund(session, "re_closed_" + session,
                4500, "succeeded"))));

        assertThat(webhook(completed("evt_" + UUID.randomUUID(), session, "paid")).status()).isEqualTo(200);

        STRIPE.verify(1, postRequestedFor(urlPathEqualTo("/v1/refunds"))
                .withRequestBody(containing("payment_intent=pi_" + session))
                .withHeader("Idempotency-Key", equalTo("closed-account-refund-" + session + "-1")));
        assertThat(storedCredits()).isEqualTo(15);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? AND type = 'purchase'",
                Long.class, user.id())).isZero();
        assertThat(closureRefund(session)).isEqualTo("re_closed_" + session);
        assertThat(purchasesCounted()).as("the admin's revenue").isEqualTo(revenue);

        stripeHolds(session, 4500, new StripeRefund("re_closed_" + session, 4500, "succeeded"));
        assertThat(webhook(event("evt_" + UUID.randomUUID(), "charge.refunded", "{\"id\":\"ch_" + session
                + "\",\"object\":\"charge\",\"amount\":4500,\"amount_refunded\":4500,\"payment_intent\":\"pi_"
                + session + "\"}")).status()).isEqualTo(200);

        assertThat(storedCredits()).isEqualTo(15);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ?", Long.class,
                user.id())).as("the sign-up bonus only").isOne();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * Stripe failing when the payment is handled: the event is acknowledged and the refund asked again when due,
     * each ask under a key of its own (Stripe answers a key it has seen with its first answer, a failure too).
     */
    @Test
    void aRefundOfAClosedAccountsPaymentThatStripeDidNotTakeIsAskedAgainUntilItIs() {
        String session = checkout("starter");
        close();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(stripeError(500, "api_error", null, "down")));

        assertThat(webhook(completed("evt_" + UUID.randomUUID(), session, "paid")).status()).isEqualTo(200);
        assertThat(closureRefund(session)).isNull();
        int failed = refundAsks().size();
        stripeWebhooks.refundPaymentsOfClosedAccounts();
        assertThat(refundAsks()).as("not due again yet").hasSize(failed);

        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson(refund(session, "re_later_" + session,
                1000, "succeeded"))));
        refundDueNow(session);
        stripeWebhooks.refundPaymentsOfClosedAccounts();

        assertThat(closureRefund(session)).isEqualTo("re_later_" + session);
        assertThat(refundAsks().stream().map(ask -> ask.getHeader("Idempotency-Key")).distinct())
                .containsExactly("closed-account-refund-" + session + "-1", "closed-account-refund-" + session + "-2");
        refundDueNow(session);
        int asked = refundAsks().size();
        stripeWebhooks.refundPaymentsOfClosedAccounts();
        assertThat(refundAsks()).as("taken: never asked again").hasSize(asked);
        assertThat(storedCredits()).isEqualTo(15);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /** Our refund of a closed account's payment failing later at Stripe (an expired card): it is asked again. */
    @Test
    void aClosedAccountsRefundThatFailsLaterIsAskedAgain() {
        String session = checkout("growth");
        close();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson(refund(session, "re_first_" + session,
                4500, "pending"))));
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));
        assertThat(closureRefund(session)).isEqualTo("re_first_" + session);

        stripeHolds(session, 4500, new StripeRefund("re_first_" + session, 4500, "failed"));
        assertThat(webhook(event("evt_" + UUID.randomUUID(), "refund.failed", refund(session, "re_first_" + session,
                4500, "failed"))).status()).isEqualTo(200);
        assertThat(closureRefund(session)).isNull();

        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson(refund(session, "re_second_" + session,
                4500, "pending"))));
        stripeWebhooks.refundPaymentsOfClosedAccounts();

        assertThat(closureRefund(session)).isEqualTo("re_second_" + session);
        assertThat(refundAsks().stream().map(ask -> ask.getHeader("Idempotency-Key")).distinct())
                .containsExactly("closed-account-refund-" + session + "-1", "closed-account-refund-" + session + "-2");
        assertThat(storedCredits()).isEqualTo(15);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /** An earlier ask was taken though its answer was lost: Stripe refuses a second full refund, which counts as taken. */
    @Test
    void aPaymentStripeReportsAlreadyRefundedCountsAsRefunded() {
        String session = checkout("starter");
        close();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(stripeError(400, "invalid_request_error",
                "charge_already_refunded", "Charge ch_x has already been refunded.")));

        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));

        assertThat(closureRefund(session)).isEqualTo("already refunded");
    }

    /** A refund Stripe keeps refusing is asked a bounded number of times, then left to a person, and blocks no other. */
    @Test
    void aRefundStripeKeepsRefusingIsAskedTenTimesThenLeftToAPerson() {
        String session = checkout("starter");
        close();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(stripeError(400, "invalid_request_error",
                "charge_disputed", "This charge is disputed.")));
        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));

        for (int i = 0; i < 12; i++) {
            refundDueNow(session);
            stripeWebhooks.refundPaymentsOfClosedAccounts();
        }

        assertThat(refundAsks()).hasSize(StripeWebhookService.REFUND_ASKS);
        assertThat(jdbc.queryForObject("SELECT refund_for_closure_error FROM stripe_checkout_sessions WHERE session_id = ?",
                String.class, session)).contains("disputed");
        assertThat(closureRefund(session)).isNull();
    }

    /** A refund event kept before its payment was credited, then the account closed: it settles nothing. */
    @Test
    void aRefundKeptUntilAClosedAccountsPaymentIsHandledSettlesNothing() {
        String session = checkout("growth");
        stripeHolds(session, 4500, new StripeRefund("re_" + session, 900, "succeeded"));
        String refundEvent = "evt_" + UUID.randomUUID();
        assertThat(webhook(event(refundEvent, "charge.refunded", "{\"id\":\"ch_" + session + "\",\"object\":\"charge\","
                + "\"amount\":4500,\"amount_refunded\":900,\"payment_intent\":\"pi_" + session + "\"}")).status())
                .isEqualTo(200);
        close();
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson(refund(session, "re_closed_" + session,
                3600, "succeeded"))));

        webhook(completed("evt_" + UUID.randomUUID(), session, "paid"));

        assertThat(jdbc.queryForObject("SELECT outcome FROM stripe_events WHERE event_id = ?", String.class, refundEvent))
                .startsWith("nothing to settle");
        assertThat(storedCredits()).isEqualTo(15);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ?", Long.class,
                user.id())).isOne();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * A closure and the payment's completion at once, five times: the payment is credited (the closure found it in
     * the balance) or refunded with nothing credited, never both and never neither. (Which one depends on the
     * order the two took the account's lock, which the test cannot see.)
     */
    @Test
    void aClosureRacingThePaymentEitherFindsItCreditedOrHasItRefunded() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(okJson("{\"id\":\"re_race\",\"object\":\"refund\"}")));
        for (int round = 0; round < 5; round++) {
            user = TestUsers.register(http);
            String session = checkout("starter");
            String paid = completed("evt_" + UUID.randomUUID(), session, "paid");
            CompletableFuture<Http.Response> payment = CompletableFuture.supplyAsync(() -> webhook(paid));
            close();
            assertThat(payment.join().status()).isEqualTo(200);

            long purchases = jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? "
                    + "AND type = 'purchase'", Long.class, user.id());
            String refund = closureRefund(session);
            assertThat(purchases == 1 ^ refund != null).as("credited (%s) or refunded (%s)", purchases, refund).isTrue();
            assertThat(storedCredits()).isEqualTo(purchases == 1 ? 115 : 15);
            LedgerInvariants.assertHold(jdbc, user.id());
        }
    }

    private String closureRefund(String session) {
        return jdbc.queryForObject("SELECT refund_for_closure_id FROM stripe_checkout_sessions WHERE session_id = ?",
                String.class, session);
    }

    /** The pause before the next ask is over (the test's clock cannot move the database's). */
    private void refundDueNow(String session) {
        jdbc.update("UPDATE stripe_checkout_sessions SET refund_for_closure_next_at = now() - interval '1 second' "
                + "WHERE session_id = ?", session);
    }

    /** The purchases the admin's revenue counts, in every currency. */
    private long purchasesCounted() {
        return platform.revenueByCurrency().stream().mapToLong(AdminDtos.Revenue::purchases).sum();
    }

    /** The refunds asked of the fake Stripe so far. */
    private static List<LoggedRequest> refundAsks() {
        return STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")));
    }

    /** Stripe's answer refusing a request: its status and error object ({@code code} left out when null). */
    private static ResponseDefinitionBuilder stripeError(int status, String type, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"" + type + "\","
                        + (code == null ? "" : "\"code\":\"" + code + "\",") + "\"message\":\"" + message + "\"}}");
    }

    private void close() {
        assertThat(http.send("DELETE", "/api/auth/me", "application/json",
                "{\"password\":\"" + TestUsers.PASSWORD + "\"}", user.auth()).status()).isEqualTo(204);
    }

    /** The balance as stored: a closed account can no longer ask for it. */
    private int storedCredits() {
        return jdbc.queryForObject("SELECT credits FROM users WHERE id = ?", Integer.class, user.id());
    }

    private static void stripeHolds(String session, long amount, StripeRefund... refunds) {
        stripeHolds(session, amount, List.of(), refunds);
    }

    /** What the fake Stripe API answers for the session's charge: its amount, its disputes and its refunds. */
    private static void stripeHolds(String session, long amount, List<StripeDispute> disputes, StripeRefund... refunds) {
        long live = Stream.of(refunds).filter(r -> !r.status().equals("failed") && !r.status().equals("canceled"))
                .mapToLong(StripeRefund::amount).sum();
        STRIPE.stubFor(get(urlPathEqualTo("/v1/charges/ch_" + session)).willReturn(okJson("{\"id\":\"ch_" + session
                + "\",\"object\":\"charge\",\"amount\":" + amount + ",\"amount_refunded\":" + live
                + ",\"refunded\":" + (live >= amount) + ",\"disputed\":" + !disputes.isEmpty()
                + ",\"payment_intent\":\"pi_" + session + "\"}")));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/refunds")).withQueryParam("charge", equalTo("ch_" + session))
                .willReturn(okJson(refundList(session, refunds))));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/disputes")).withQueryParam("charge", equalTo("ch_" + session))
                .willReturn(okJson("{\"object\":\"list\",\"url\":\"/v1/disputes\",\"has_more\":false,\"data\":["
                        + disputes.stream().map(d -> dispute(session, d.id(), d.amount(), d.status()))
                                .collect(Collectors.joining(",")) + "]}")));
    }

    private static String dispute(String session, String disputeId, long amount, String status) {
        return "{\"id\":\"" + disputeId + "\",\"object\":\"dispute\",\"amount\":" + amount + ",\"charge\":\"ch_"
                + session + "\",\"payment_intent\":\"pi_" + session + "\",\"status\":\"" + status + "\"}";
    }

    private static String refundList(String session, StripeRefund... refunds) {
        return "{\"object\":\"list\",\"url\":\"/v1/refunds\",\"has_more\":false,\"data\":[" + Stream.of(refunds)
                .map(r -> refund(session, r.id(), r.amount(), r.status())).collect(Collectors.joining(",")) + "]}";
    }

    private static String refund(String session, String refundId, long amount, String status) {
        return "{\"id\":\"" + refundId + "\",\"object\":\"refund\",\"amount\":" + amount + ",\"charge\":\"ch_"
                + session + "\",\"payment_intent\":\"pi_" + session + "\",\"status\":\"" + status + "\"}";
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
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions"))
                .willReturn(stripeError(500, "api_error", null, "boom")));

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
