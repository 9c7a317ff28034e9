package ai.calling.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.campaign.internal.OrphanedRecipients;
import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.Leftovers;
import ai.calling.support.MutableClock;
import ai.calling.support.StripeEvents;
import ai.calling.support.TestCampaigns;
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import ai.calling.support.WebhookReceiver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Campaigns through HTTP against the Bolna fake, which answers calls and plays their lifecycle back
 * as webhooks. The dispatcher is driven round by round on a clock the test moves (calling windows,
 * retry delays); the background dispatcher is off in this context.
 */
@IntegrationTest
class CampaignsTest {

    static final String SECRET = "hook-secret-22";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String STRIPE_SECRET = "whsec_campaigns";
    static final FakeBolna BOLNA = new FakeBolna();
    /** A customer's server subscribed to campaign.completed (outbound webhooks). */
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestCampaigns.useBolna(registry, BOLNA, SECRET);
        registry.add("app.campaigns.dispatch", () -> "false");
        registry.add("app.campaigns.max-recipients-per-upload", () -> "8");
        registry.add("app.stripe.secret-key", () -> "sk_test_fake");
        registry.add("app.stripe.webhook-secret", () -> STRIPE_SECRET);
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(TestCampaigns.TUESDAY_EVENING_UTC);
        }
    }

    /** Nothing of this class keeps dialling into the next one (they share the database). */
    @AfterEach
    void leaveNothingRunning() {
        Leftovers.clear(context);
    }

    @AfterAll
    static void stop() {
        BOLNA.close();
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    MutableClock clock;

    @Autowired
    CampaignDispatcher dispatcher;

    @Autowired
    OrphanedRecipients orphaned;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    DataSource dataSource;


    Http http;
    SignedIn user;
    String agent;

    @BeforeEach
    void setUp() {
        Leftovers.clear(context);
        BOLNA.reset();
        BOLNA.webhookUrl("http://localhost:" + port + "/api/webhooks/bolna?token=" + SECRET);
        clock.set(TestCampaigns.TUESDAY_EVENING_UTC);
        http = new Http(port);
        user = TestUsers.register(http);
        TestCredits.setBalance(jdbc, user.id(), 10_000);
        agent = agent(user, 300);
    }

    @Test
    void aCampaignOf200FiveAtATimeCompletesRetriesAsConfiguredAndChargesWhatItBilled() {
        // by the number's last digit: 1 busy then answered; 2 never answers; 3 voicemail then answered;
        // 4 fails (not retried); the rest answer for 30 s
        BOLNA.script((number, attempt) -> switch (number.charAt(number.length() - 1)) {
            case '1' -> attempt == 1 ? "busy" : "completed:61";
            case '2' -> "no-answer";
            case '3' -> attempt == 1 ? "voicemail:20" : "completed:30";
            case '4' -> "failed";
            default -> "completed:30";
        });
        String campaign = campaign(Map.of("maxAttempts", 3, "retryOn", List.of("no_answer", "busy"), "delayMinutes", 5),
                5);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            numbers.add("+1415" + (2_000_000 + i));
        }
        JsonNode added = http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers),
                user.auth()).json();
        assertThat(added.path("added").asInt()).isEqualTo(200);
        int creditsBefore = credits();

        assertThat(http.post("/api/campaigns/" + campaign + "/start", "", user.auth()).json().path("status").asString())
                .isEqualTo("running");
        runUntilEnded(campaign);

        JsonNode finished = http.get("/api/campaigns/" + campaign, user.auth()).json();
        assertThat(finished.path("status").asString()).isEqualTo("completed");
        JsonNode stats = finished.path("stats");
        assertThat(stats.path("total").asInt()).isEqualTo(200);
        assertThat(stats.path("pending").asInt() + stats.path("inProgress").asInt()).isZero();
        assertThat(stats.path("completed").asInt()).isEqualTo(160);
        assertThat(stats.path("noAnswer").asInt()).isEqualTo(20);
        assertThat(stats.path("failed").asInt()).isEqualTo(20);
        String bolnaAgent = http.get("/api/agents/" + agent, user.auth()).json().path("bolnaAgentId").asString();
        assertThat(BOLNA.maxInFlight(bolnaAgent)).isEqualTo(5);
        for (String number : numbers) {
            int expected = switch (number.charAt(number.length() - 1)) {
                case '1', '3' -> 2;
                case '2' -> 3;
                default -> 1;
            };
            assertThat(BOLNA.attemptsTo(number)).as("calls to %s", number).isEqualTo(expected);
        }
        JsonNode unanswered = http.get("/api/campaigns/" + campaign + "/recipients?status=no_answer&size=100",
                user.auth()).json();
        assertThat(unanswered.path("totalItems").asInt()).isEqualTo(20);
        assertThat(unanswered.path("items").path(0).path("attempts").asInt()).isEqualTo(3);
        Integer billed = jdbc.queryForObject("SELECT sum(credits_used)::int FROM calls WHERE campaign_id = ?::uuid",
                Integer.class, campaign);
        Integer debited = jdbc.queryForObject("SELECT -sum(t.amount)::int FROM credit_transactions t JOIN calls c "
                + "ON c.id = t.call_id WHERE c.campaign_id = ?::uuid AND t.type = 'usage'", Integer.class, campaign);
        // 120 answered for 30 s; 20 for 61 s (2 started minutes); 20 voicemails of 20 s, then answered for 30 s
        assertThat(billed).isEqualTo(120 + 20 * 2 + 20 * 2).isEqualTo(debited).isEqualTo(creditsBefore - credits());
        assertThat(http.get("/api/credits/balance", user.auth()).json().path("held").asInt()).isZero();
        JsonNode someCall = http.get("/api/calls?size=1", user.auth()).json().path("items").path(0);
        assertThat(someCall.path("campaignId").asString()).isEqualTo(campaign);

        List<String> analysed = jdbc.queryForList("SELECT id::text FROM calls WHERE campaign_id = ?::uuid "
                + "AND status = 'completed' AND duration_seconds > 0 ORDER BY phone_number LIMIT 3", String.class, campaign);
        for (int i = 0; i < analysed.size(); i++) {
            jdbc.update("INSERT INTO lead_analytics (call_id, user_id, lead_status_tag) VALUES (?::uuid, ?, ?)",
                    analysed.get(i), user.id(), i < 2 ? "Hot" : "Warm");
        }
        JsonNode results = http.get("/api/analytics/campaigns/" + campaign, user.auth()).json();
        // 200 first calls, then 20 answered retries of the busy, 40 of the unanswered, 20 after voicemails
        assertThat(results.path("callsEnded").asInt()).isEqualTo(280);
        // answered by a person: the 120, the 20 busy ones on retry, the 20 after their voicemail
        assertThat(results.path("callsConnected").asInt()).isEqualTo(160);
        assertThat(results.path("connectRate").asDouble()).isEqualTo(0.571);
        assertThat(results.path("averageDurationSeconds").asInt()).isEqualTo(34);
        assertThat(results.path("creditsSpent").asInt()).isEqualTo(billed);
        assertThat(results.path("leads").path("hot").asInt()).isEqualTo(2);
        assertThat(results.path("leads").path("warm").asInt()).isEqualTo(1);
        SignedIn other = TestUsers.register(http);
        assertThat(http.get("/api/analytics/campaigns/" + campaign, other.auth()).status()).isEqualTo(404);
    }

    @Test
    void theDispatcherCompletingACampaignSendsCampaignCompletedOnceToASubscribedEndpoint() {
        String path = "/campaign-completed-" + UUID.randomUUID();
        Http.Response endpoint = http.post("/api/webhook-endpoints", Map.of("url", RECEIVER.url(path), "events",
                List.of("campaign.completed")), user.auth());
        assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
        String campaign = campaign(null, 2);
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009201",
                "+14152009202")), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());
        dispatcher.dispatchOnce();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);
        // both calls ended, but no round has seen the campaign finished yet
        assertThat(outboundEvents("campaign.completed")).isZero();

        runUntilEnded(campaign);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !RECEIVER.received(path).isEmpty());
        JsonNode body = JSON.readTree(RECEIVER.received(path).getFirst().body());
        assertThat(body.path("type").asString()).isEqualTo("campaign.completed");
        assertThat(body.path("data").path("id").asString()).isEqualTo(campaign);
        assertThat(body.path("data").path("status").asString()).isEqualTo("completed");
        assertThat(body.path("data").path("stats").path("total").asInt()).isEqualTo(2);
        assertThat(body.path("data").path("stats").path("completed").asInt()).isEqualTo(2);
        // later rounds do not complete it again
        dispatcher.dispatchOnce();
        assertThat(outboundEvents("campaign.completed")).isEqualTo(1);
        assertThat(RECEIVER.received(path)).hasSize(1);
    }

    private long outboundEvents(String type) {
        return jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE user_id = ? AND type = ?", Long.class,
                user.id(), type);
    }

    @Test
    void aRecipientWhoseWindowIsClosedOnItsOwnClockWaitsUntilItOpens() {
        String campaign = campaign(null, 10);
        String sanFrancisco = "+14152009001";
        String london = "+442079460001";
        String newYork = "+12125550101";
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of(sanFrancisco, london,
                newYork)), user.auth());
        assertThat(http.get("/api/campaigns/" + campaign + "/recipients", user.auth()).json().findValuesAsString("timeZone"))
                .containsExactlyInAnyOrder("America/Los_Angeles", "Europe/London", "America/New_York");
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());

        // Tuesday 14:30 UTC: 06:30 in San Francisco (before 08:00), 14:30 in London, 09:30 in New York
        clock.set(Instant.parse("2026-12-01T14:30:00Z"));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dialledNumbers()).containsExactlyInAnyOrder(london, newYork);

        clock.set(Instant.parse("2026-12-01T15:59:00Z"));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dialledNumbers()).hasSize(2);
        clock.set(Instant.parse("2026-12-01T16:00:00Z"));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dialledNumbers()).containsExactlyInAnyOrder(london, newYork, sanFrancisco);
    }

    @Test
    void aWindowIsReadOnLocalTimeOnBothSidesOfADaylightSavingChange() {
        // New York springs forward on Sunday 8 March 2026: 13:30 UTC is 08:30 before, 09:30 after
        Http.Response created = http.post("/api/campaigns", Map.of("name", "Spring", "agentId", agent,
                "timezone", "America/New_York", "callingWindow", Map.of("start", "09:00", "end", "17:00", "days",
                        List.of("FRI", "MON")), "maxConcurrentCalls", 5), user.auth());
        String campaign = created.json().path("id").asString();
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+12125550102")),
                user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());

        clock.set(Instant.parse("2026-03-06T13:30:00Z"));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dials()).isEmpty();
        clock.set(Instant.parse("2026-03-09T13:30:00Z"));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dialledNumbers()).containsExactly("+12125550102");
    }

    @Test
    void pauseStopsNewDialsAtOnceResumeGoesOnAndCancelStopsWhatBolnaHasOnlyQueued() {
        String campaign = campaign(null, 2);
        List<String> numbers = List.of("+14152009101", "+14152009102", "+14152009103", "+14152009104", "+14152009105");
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dials()).hasSize(2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);

        JsonNode paused = http.post("/api/campaigns/" + campaign + "/pause", "", user.auth()).json();
        assertThat(paused.path("status").asString()).isEqualTo("paused");
        assertThat(paused.path("pauseReason").asString()).isEqualTo("user");
        assertThat(http.post("/api/campaigns/" + campaign + "/pause", "", user.auth()).status()).isEqualTo(409);
        assertThat(http.post("/api/campaigns/" + campaign + "/start", "", user.auth()).status()).isEqualTo(409);
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dials()).as("no dial while paused, though both slots are free").hasSize(2);

        // the next calls stay queued at Bolna
        BOLNA.ringAfter(Duration.ofSeconds(60));
        assertThat(http.post("/api/campaigns/" + campaign + "/resume", "", user.auth()).json().path("status").asString())
                .isEqualTo("running");
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dials()).hasSize(4);

        JsonNode cancelled = http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth()).json();
        assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);
        JsonNode stats = http.get("/api/campaigns/" + campaign, user.auth()).json().path("stats");
        assertThat(stats.path("completed").asInt()).isEqualTo(2);
        assertThat(stats.path("cancelled").asInt()).isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT status FROM calls WHERE campaign_id = ?::uuid", String.class, campaign))
                .containsExactlyInAnyOrder("completed", "completed", "cancelled", "cancelled");
        assertThat(http.post("/api/campaigns/" + campaign + "/resume", "", user.auth()).status()).isEqualTo(409);
        assertThat(http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers",
                List.of("+14152009106")), user.auth()).status()).isEqualTo(409);
        assertThat(http.get("/api/credits/balance", user.auth()).json().path("held").asInt()).isZero();
    }

    /**
     * A dial that Bolna answers 429 goes back to its recipient's queue, unless the campaign was cancelled while
     * the dial was in flight: then the recipient is cancelled with it (it stayed pending in a cancelled campaign,
     * counted as waiting forever).
     */
    @Test
    void aDialThrottledWhileItsCampaignIsCancelledLeavesItsRecipientCancelled() throws Exception {
        BOLNA.accountConcurrency(0).holdThrottled();
        String campaign = campaign(null, 2);
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009111")),
                user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());
        CompletableFuture<Integer> dispatch = CompletableFuture.supplyAsync(dispatcher::dispatchOnce);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> BOLNA.heldCalls() == 1);

        assertThat(http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth()).json().path("status").asString())
                .isEqualTo("cancelled");
        BOLNA.dropNotPlaced();
        dispatch.get(30, TimeUnit.SECONDS);

        assertThat(BOLNA.throttled()).isOne();
        assertThat(jdbc.queryForMap("SELECT status, attempts, last_call_id FROM campaign_recipients WHERE campaign_id = "
                + "?::uuid", campaign)).containsEntry("status", "cancelled").containsEntry("attempts", 0)
                .containsEntry("last_call_id", null);
        assertThat(http.get("/api/campaigns/" + campaign, user.auth()).json().path("stats").path("cancelled").asInt())
                .isOne();
        assertThat(http.get("/api/credits/balance", user.auth()).json().path("held").asInt()).isZero();
    }

    /**
     * Recipients added while the dispatcher is about to complete a campaign whose list is done keep it running:
     * the completion waits for the upload's lock and then sees its recipients.
     */
    @Test
    void recipientsAddedWhileACampaignCompletesKeepItRunning() throws Exception {
        String campaign = campaign(null, 2);
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009141")),
                user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());
        dispatcher.dispatchOnce();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);

        CompletableFuture<Integer> round;
        try (Connection upload = dataSource.getConnection()) {
            // an upload's transaction, as CampaignService.add holds it: the campaign locked, a recipient inserted
            upload.setAutoCommit(false);
            try (Statement statement = upload.createStatement()) {
                statement.execute("SELECT id FROM campaigns WHERE id = '" + campaign + "' FOR UPDATE");
                statement.execute("INSERT INTO campaign_recipients (campaign_id, user_id, phone_number) VALUES ('"
                        + campaign + "', '" + user.id() + "', '+14152009142')");
            }
            round = CompletableFuture.supplyAsync(dispatcher::dispatchOnce);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                            + "AND query LIKE '%campaigns%'", Long.class) > 0
                    || round.isDone());
            assertThat(round).as("the round waits for the upload's lock").isNotDone();
            upload.commit();
        }
        round.get(30, TimeUnit.SECONDS);

        assertThat(http.get("/api/campaigns/" + campaign, user.auth()).json().path("status").asString())
                .isEqualTo("running");
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dialledNumbers()).contains("+14152009142");
    }

    /**
     * A cancel that lands while the dispatcher's dials are on their way to Bolna (recorded, not yet answered,
     * so without an execution id) still stops them once Bolna has queued them.
     */
    @Test
    void aCancelWhileDialsAreBeingSentStopsThemOnceBolnaHasQueuedThem() throws Exception {
        BOLNA.ringAfter(Duration.ofSeconds(60)).holdCalls(0, 2, 0);
        String campaign = campaign(null, 2);
        List<String> numbers = List.of("+14152009131", "+14152009132");
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());
        CompletableFuture<Integer> dispatch = CompletableFuture.supplyAsync(dispatcher::dispatchOnce);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> BOLNA.heldCalls() == 2);

        assertThat(http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth()).json().path("status").asString())
                .isEqualTo("cancelled");
        BOLNA.releasePlaced(2);
        assertThat(dispatch.get(30, TimeUnit.SECONDS)).isEqualTo(2);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);
        assertThat(numbers).allSatisfy(number -> assertThat(BOLNA.statuses(number)).containsExactly("stopped"));
        assertThat(http.get("/api/campaigns/" + campaign, user.auth()).json().path("stats").path("cancelled").asInt())
                .isEqualTo(2);
        assertThat(http.get("/api/credits/balance", user.auth()).json().path("held").asInt()).isZero();
    }

    /**
     * Bolna refusing our account (401, 402) or the agent (404) would refuse every dial: the recipients wait,
     * their attempts not counted, and the dispatcher backs off; a refusal of one number (400) fails that
     * recipient alone. Before, any answer but a 429 failed the recipient for good, and the dispatcher went
     * on at once: a campaign burned through its list in seconds with nobody called.
     */
    @Test
    void bolnaRefusingTheAccountLeavesRecipientsWaitingAndARefusedNumberFailsAlone() {
        String campaign = campaign(null, 5);
        List<String> numbers = List.of("+14152009121", "+14152009122", "+14152009123");
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());

        for (int status : new int[] { 401, 402, 404 }) {
            BOLNA.refuseCalls("*", status);
            assertThat(dispatcher.dispatchOnce()).as("dials Bolna took, answering " + status).isZero();
            assertThat(jdbc.queryForList("SELECT status || '/' || attempts FROM campaign_recipients WHERE campaign_id = "
                    + "?::uuid", String.class, campaign)).as("after " + status).containsOnly("pending/0");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE campaign_id = ?::uuid", Long.class, campaign))
                .as("nothing placed, nothing kept").isZero();
        assertThat(http.get("/api/credits/balance", user.auth()).json().path("held").asInt()).isZero();

        BOLNA.reset();
        BOLNA.webhookUrl("http://localhost:" + port + "/api/webhooks/bolna?token=" + SECRET);
        BOLNA.refuseCalls(numbers.get(1), 400);
        assertThat(dispatcher.dispatchOnce()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);
        assertThat(jdbc.queryForList("SELECT phone_number || ' ' || status FROM campaign_recipients WHERE campaign_id = "
                + "?::uuid ORDER BY phone_number", String.class, campaign)).containsExactly(numbers.get(0) + " completed",
                        numbers.get(1) + " failed", numbers.get(2) + " completed");
    }

    /**
     * Credits held by the campaign's own calls in flight pause it as any shortage does; once those calls end and
     * release their holds, it resumes by itself (it waited for a purchase).
     */
    @Test
    void aCampaignPausedByCreditsItsOwnCallsHeldResumesWhenTheyEnd() {
        // a 300 s agent holds 5 credits a call: 12 credits cover two dials, not a third; the calls cost 1 each
        TestCredits.setBalance(jdbc, user.id(), 12);
        String campaign = campaign(null, 10);
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009211",
                "+14152009212", "+14152009213", "+14152009214")), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());

        dispatcher.dispatchOnce();
        assertThat(http.get("/api/campaigns/" + campaign, user.auth()).json().path("pauseReason").asString())
                .isEqualTo("insufficient_credits");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(
                http.get("/api/campaigns/" + campaign, user.auth()).json().path("status").asString()));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dials()).hasSize(4);
    }

    @Test
    void tooFewCreditsPauseTheCampaignWithTheReasonAndCreditsResumeIt() {
        // a 300 s agent holds 5 credits a call: 12 credits cover two dials, not a third; each call costs 4, so
        // what is left after them (4) covers no hold either
        TestCredits.setBalance(jdbc, user.id(), 12);
        BOLNA.script((number, attempt) -> "completed:240");
        String campaign = campaign(null, 10);
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009201",
                "+14152009202", "+14152009203", "+14152009204")), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());

        dispatcher.dispatchOnce();

        JsonNode paused = http.get("/api/campaigns/" + campaign, user.auth()).json();
        assertThat(paused.path("status").asString()).isEqualTo("paused");
        assertThat(paused.path("pauseReason").asString()).isEqualTo("insufficient_credits");
        assertThat(BOLNA.dials()).hasSize(2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inProgress(campaign) == 0);
        dispatcher.dispatchOnce();
        assertThat(http.get("/api/campaigns/" + campaign, user.auth()).json().path("pauseReason").asString())
                .as("resumed when its calls ended, and paused again: 4 credits left").isEqualTo("insufficient_credits");
        assertThat(BOLNA.dials()).hasSize(2);

        buyCredits(100);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(
                http.get("/api/campaigns/" + campaign, user.auth()).json().path("status").asString()));
        dispatcher.dispatchOnce();
        assertThat(BOLNA.dials()).hasSize(4);
    }

    @Test
    void doNotCallNumbersAreSkippedWhenAddedAndRightBeforeEachDialAndRefusedForASingleCall() {
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        String mine = "+14152009301";
        String platforms = "+14152009302";
        String listedLater = "+14152009303";
        String callable = "+14152009304";
        assertThat(http.post("/api/do-not-call", Map.of("phoneNumber", "(415) 200-9301", "reason", "asked"),
                user.auth()).status()).isEqualTo(201);
        assertThat(http.post("/api/do-not-call", Map.of("phoneNumber", mine), user.auth()).status()).isEqualTo(409);
        assertThat(http.post("/api/do-not-call", Map.of("phoneNumber", "12"), user.auth()).status()).isEqualTo(400);
        assertThat(http.post("/api/admin/do-not-call", Map.of("phoneNumber", platforms, "reason", "regulator"),
                admin.auth()).status()).isEqualTo(201);
        assertThat(http.post("/api/admin/do-not-call", Map.of("phoneNumber", platforms), user.auth()).status())
                .isEqualTo(403);
        assertThat(http.get("/api/do-not-call", user.auth()).json().findValuesAsString("phoneNumber"))
                .containsExactly(mine);

        String campaign = campaign(null, 10);
        JsonNode added = http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers",
                List.of(mine, platforms, listedLater, callable, callable, "not a number")), user.auth()).json();
        assertThat(added.path("added").asInt()).isEqualTo(2);
        assertThat(added.path("skippedDoNotCall").asInt()).isEqualTo(2);
        assertThat(added.path("skippedDuplicate").asInt()).isEqualTo(1);
        assertThat(added.path("invalid").path(0).path("value").asString()).isEqualTo("not a number");
        http.post("/api/do-not-call", Map.of("phoneNumber", listedLater), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());

        dispatcher.dispatchOnce();

        assertThat(BOLNA.dialledNumbers()).containsExactly(callable);
        assertThat(http.get("/api/campaigns/" + campaign, user.auth()).json().path("stats").path("skippedDoNotCall")
                .asInt()).isEqualTo(3);
        Http.Response single = http.post("/api/calls", Map.of("agentId", agent, "phoneNumber", platforms), user.auth());
        assertThat(single.status()).isEqualTo(409);
        assertThat(http.delete("/api/do-not-call/" + mine, user.auth()).status()).isEqualTo(204);
        assertThat(http.delete("/api/do-not-call/" + mine, user.auth()).status()).isEqualTo(404);
        SignedIn other = TestUsers.register(http);
        assertThat(http.delete("/api/do-not-call/" + listedLater, other.auth()).status()).isEqualTo(404);
        // removed by its national form: audited under the number as it was added
        assertThat(http.delete("/api/admin/do-not-call/(415) 200-9302".replace(" ", "%20"), admin.auth()).status())
                .isEqualTo(204);
        assertThat(jdbc.queryForList("SELECT resource_id FROM admin_audit_log WHERE admin_user_id = ? "
                + "AND action LIKE 'do_not_call.%' ORDER BY created_at", String.class, admin.id()))
                .containsExactly(platforms, platforms);
    }

    @Test
    void settingsAreValidatedAndImpossibleChangesAre409() {
        Map<String, Object> window = Map.of("start", "09:00", "end", "17:00", "days", List.of("MON"));
        for (Map<String, Object> bad : List.of(
                Map.of("name", "x", "agentId", agent, "timezone", "Mars/Olympus", "callingWindow", window,
                        "maxConcurrentCalls", 1),
                Map.of("name", "x", "agentId", agent, "timezone", "UTC", "callingWindow",
                        Map.of("start", "17:00", "end", "09:00", "days", List.of("MON")), "maxConcurrentCalls", 1),
                Map.of("name", "x", "agentId", agent, "timezone", "UTC", "callingWindow",
                        Map.of("start", "9am", "end", "17:00", "days", List.of("MONDAY")), "maxConcurrentCalls", 1),
                Map.of("name", "x", "agentId", agent, "timezone", "UTC", "callingWindow", window,
                        "maxConcurrentCalls", 0),
                Map.of("name", "x", "agentId", agent, "timezone", "UTC", "callingWindow", window,
                        "maxConcurrentCalls", 1, "retry", Map.of("maxAttempts", 3, "retryOn", List.of("completed"),
                                "delayMinutes", 5)),
                Map.of("name", "x", "agentId", UUID.randomUUID(), "timezone", "UTC", "callingWindow", window,
                        "maxConcurrentCalls", 1))) {
            Http.Response refused = http.post("/api/campaigns", bad, user.auth());
            assertThat(refused.status()).as("%s: %s", bad, refused.body()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        String campaign = campaign(null, 1);
        assertThat(http.post("/api/campaigns/" + campaign + "/start", "", user.auth()).status()).as("no recipients")
                .isEqualTo(409);
        assertThat(http.post("/api/campaigns/" + campaign + "/resume", "", user.auth()).status()).isEqualTo(409);
        assertThat(http.post("/api/campaigns/" + campaign + "/recipients", Map.of(), user.auth()).status())
                .isEqualTo(400);
        assertThat(http.get("/api/campaigns?status=exploded", user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/campaigns/" + campaign + "/recipients?status=weird", user.auth()).status())
                .isEqualTo(400);
        JsonNode renamed = http.patch("/api/campaigns/" + campaign, Map.of("name", "Renamed", "maxConcurrentCalls", 3),
                user.auth()).json();
        assertThat(renamed.path("name").asString()).isEqualTo("Renamed");
        assertThat(renamed.path("maxConcurrentCalls").asInt()).isEqualTo(3);
        assertThat(renamed.path("callingWindow").path("days").toString()).isEqualTo("[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]");
        http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth());
        assertThat(http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth()).status()).isEqualTo(409);
        assertThat(http.patch("/api/campaigns/" + campaign, Map.of("name", "Again"), user.auth()).status()).isEqualTo(409);
        assertThat(http.delete("/api/campaigns/" + campaign, user.auth()).status()).isEqualTo(409);
        String draft = campaign(null, 1);
        assertThat(http.delete("/api/campaigns/" + draft, user.auth()).status()).isEqualTo(204);
        assertThat(http.get("/api/campaigns/" + draft, user.auth()).status()).isEqualTo(404);
    }

    @Test
    void contactsBecomeRecipientsAndTheRecipientsExportAsCsv() {
        String contact = http.post("/api/contacts", Map.of("name", "=HYPERLINK(\"http://x\")", "phoneNumber",
                "+14152009401"), user.auth()).json().path("id").asString();
        SignedIn other = TestUsers.register(http);
        String foreign = http.post("/api/contacts", Map.of("name", "Not yours", "phoneNumber", "+14152009402"),
                other.auth()).json().path("id").asString();
        String campaign = campaign(null, 1);

        JsonNode added = http.post("/api/campaigns/" + campaign + "/recipients", Map.of("contactIds",
                List.of(contact, foreign)), user.auth()).json();

        assertThat(added.path("added").asInt()).isOne();
        assertThat(added.path("invalid").path(0).path("value").asString()).isEqualTo(foreign);
        JsonNode recipient = http.get("/api/campaigns/" + campaign + "/recipients", user.auth()).json().path("items").path(0);
        assertThat(recipient.path("contactId").asString()).isEqualTo(contact);
        Http.Response csv = http.get("/api/campaigns/" + campaign + "/recipients/export", user.auth());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).hasSize(2);
        assertThat(csv.body()).contains("+14152009401");
    }

    @Test
    void recipientsComeFromACsvInTheContactUploadsFormat() {
        String campaign = campaign(null, 1);
        String upload = "/api/campaigns/" + campaign + "/recipients/upload";
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009501")),
                user.auth());
        http.post("/api/do-not-call", Map.of("phoneNumber", "+14152009503"), user.auth());
        String csv = """
                Mobile;Full Name;E-mail;Company
                (415) 200-9502;Ada;ada@example.com;Analytical
                +1 415 200 9502;Ada again;;
                +14152009501;Already there;;
                +14152009503;Do not call;;
                12;Too short;;
                +14152009504;Bad mail;not-an-email;
                ;;;
                +14152009505;=cmd();;
                """;

        Http.Response result = http.upload(upload, "file", "list.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8),
                user.auth());

        assertThat(result.status()).as(result.body()).isEqualTo(200);
        JsonNode body = result.json();
        assertThat(body.path("added").asInt()).isEqualTo(2);
        assertThat(body.path("skippedDuplicate").asInt()).as("one repeated in the file, one already in the campaign")
                .isEqualTo(2);
        assertThat(body.path("skippedDoNotCall").asInt()).isOne();
        assertThat(body.path("invalid").findValuesAsString("value")).containsExactly("row 6", "row 7");
        assertThat(jdbc.queryForObject("SELECT name || ' ' || time_zone FROM campaign_recipients "
                + "WHERE campaign_id = ?::uuid AND phone_number = '+14152009502'", String.class, campaign))
                .isEqualTo("Ada America/Los_Angeles");

        SignedIn other = TestUsers.register(http);
        assertThat(http.upload(upload, "file", "list.csv", "text/csv", "phone\n+14152009506\n".getBytes(
                StandardCharsets.UTF_8), other.auth()).status()).as("another tenant's campaign").isEqualTo(404);
        assertThat(http.upload(upload, "file", "list.png", "image/png", new byte[] { 1, 2 }, user.auth()).status())
                .isEqualTo(415);
        StringBuilder tooMany = new StringBuilder("phone\n");
        for (int i = 0; i < 9; i++) {
            tooMany.append("+1415200960").append(i).append('\n');
        }
        assertThat(http.upload(upload, "file", "big.csv", "text/csv", tooMany.toString().getBytes(StandardCharsets.UTF_8),
                user.auth()).status()).isEqualTo(413);
        assertThat(http.upload(upload, "file", "none.csv", "text/csv", "name\nAda\n".getBytes(StandardCharsets.UTF_8),
                user.auth()).json().path("detail").asString()).contains("no phone number column");
        assertThat(http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth()).status()).isEqualTo(200);
        assertThat(http.upload(upload, "file", "late.csv", "text/csv", "phone\n+14152009507\n".getBytes(
                StandardCharsets.UTF_8), user.auth()).status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?::uuid",
                Long.class, campaign)).as("nothing written by a refused upload").isEqualTo(4);
    }

    /**
     * A refused dial is deleted in the dialer's transaction and its recipient put back in the next one: a crash
     * between the two leaves the recipient in progress with no call. The repair puts back exactly those, once
     * their dial is older than a dial takes to settle.
     */
    @Test
    void aRecipientLeftInProgressByARefusedDialThatWasNeverSettledIsPutBack() {
        String campaign = campaign(null, 2);
        List<String> numbers = List.of("+14152009201", "+14152009202", "+14152009203");
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers), user.auth());
        assertThat(http.post("/api/campaigns/" + campaign + "/start", "", user.auth()).status()).isEqualTo(200);
        UUID existing = jdbc.queryForObject("INSERT INTO calls (user_id, agent_id, phone_number, bolna_execution_id) "
                + "VALUES (?, ?::uuid, '+14152009202', ?) RETURNING id", UUID.class, user.id(), agent, "exec-" + UUID.randomUUID());
        UUID gone = UUID.randomUUID();
        UUID goneJustNow = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            // as the dial left them (updated_at as it was then: the row trigger is skipped for this)
            jdbc.execute("SET LOCAL session_replication_role = replica");
            for (Object[] row : List.of(new Object[] { gone, "10 minutes", numbers.get(0) },
                    new Object[] { existing, "10 minutes", numbers.get(1) },
                    new Object[] { goneJustNow, "5 seconds", numbers.get(2) })) {
                jdbc.update("UPDATE campaign_recipients SET status = 'in_progress', attempts = 1, last_call_id = ?, "
                        + "updated_at = now() - ?::interval WHERE campaign_id = ?::uuid AND phone_number = ?", row[0], row[1],
                        campaign, row[2]);
            }
        });

        assertThat(orphaned.putBack()).isOne();

        assertThat(jdbc.queryForMap("SELECT status, attempts, last_call_id FROM campaign_recipients WHERE campaign_id = "
                + "?::uuid AND phone_number = ?", campaign, numbers.get(0)))
                .containsEntry("status", "pending").containsEntry("attempts", 0).containsEntry("last_call_id", null);
        assertThat(jdbc.queryForList("SELECT status FROM campaign_recipients WHERE campaign_id = ?::uuid AND phone_number "
                + "<> ? ORDER BY phone_number", String.class, campaign, numbers.get(0)))
                .as("a call that exists, and a dial too recent to judge").containsExactly("in_progress", "in_progress");
        assertThat(orphaned.putBack()).isZero();
    }

    /**
     * A call that ends while its campaign is being cancelled reads the campaign as running and puts its recipient
     * back for a retry after the cancel cancelled the pending ones; the repair cancels such recipients.
     */
    @Test
    void aRecipientLeftPendingInACancelledCampaignIsCancelledByTheRepair() {
        String campaign = campaign(null, 2);
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", List.of("+14152009221",
                "+14152009222")), user.auth());
        assertThat(http.post("/api/campaigns/" + campaign + "/cancel", "", user.auth()).status()).isEqualTo(200);
        jdbc.update("UPDATE campaign_recipients SET status = 'pending', attempts = 1, next_attempt_at = now() "
                + "WHERE campaign_id = ?::uuid AND phone_number = '+14152009221'", campaign);

        assertThat(orphaned.cancelLeftInCancelledCampaigns()).as("this one, and any another test left so")
                .isPositive();

        assertThat(jdbc.queryForList("SELECT status FROM campaign_recipients WHERE campaign_id = ?::uuid", String.class,
                campaign)).containsOnly("cancelled");
        assertThat(orphaned.cancelLeftInCancelledCampaigns()).isZero();
    }

    // --- helpers -----------------------------------------------------------------------------

    private String agent(SignedIn owner, int maxCallDurationSeconds) {
        return TestCampaigns.agent(http, owner, "Campaigner", maxCallDurationSeconds).path("id").asString();
    }

    /** Weekdays 08:00 to 20:00, New York time for numbers without a zone of their own. */
    private String campaign(Map<String, Object> retry, int maxConcurrentCalls) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Winter offer", "agentId", agent, "timezone",
                "America/New_York", "callingWindow", Map.of("start", "08:00", "end", "20:00", "days",
                        List.of("MON", "TUE", "WED", "THU", "FRI")), "maxConcurrentCalls", maxConcurrentCalls));
        if (retry != null) {
            body.put("retry", retry);
        }
        Http.Response created = http.post("/api/campaigns", body, user.auth());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("status").asString()).isEqualTo("draft");
        return created.json().path("id").asString();
    }

    /** Dispatch rounds, each followed by the calls it started ending, the clock moving 6 minutes between. */
    private void runUntilEnded(String campaign) {
        for (int round = 0; round < 400; round++) {
            dispatcher.dispatchOnce();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> inProgress(campaign) == 0);
            String status = jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?::uuid", String.class, campaign);
            if (!"running".equals(status)) {
                return;
            }
            if (pendingDue(campaign) == 0) {
                clock.advance(Duration.ofMinutes(6));
                // access tokens are checked against the same clock: sign in again on the moved clock
                user = TestUsers.login(http, user.email());
            }
        }
        throw new AssertionError("the campaign did not end in 400 rounds");
    }

    private long inProgress(String campaign) {
        return jdbc.queryForObject("SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?::uuid "
                + "AND status = 'in_progress'", Long.class, campaign);
    }

    private long pendingDue(String campaign) {
        return jdbc.queryForObject("SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?::uuid "
                + "AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)", Long.class, campaign,
                Timestamp.from(clock.instant()));
    }

    /** A Stripe Checkout purchase of {@code credits}, paid: the session as checkout stores it, then Stripe's event. */
    private void buyCredits(int credits) {
        String session = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("INSERT INTO stripe_checkout_sessions (session_id, user_id, package_id, credits, amount_cents, "
                + "currency) VALUES (?, ?, 'test', ?, 1000, 'usd')", session, user.id(), credits);
        String event = StripeEvents.event("evt_" + UUID.randomUUID(), "checkout.session.completed", "{\"id\":\""
                + session + "\",\"object\":\"checkout.session\",\"payment_status\":\"paid\",\"payment_intent\":\"pi_"
                + session + "\"}");
        assertThat(http.post("/api/webhooks/stripe", event, "Stripe-Signature", StripeEvents.sign(event,
                Instant.now().getEpochSecond(), STRIPE_SECRET)).status()).isEqualTo(200);
    }

    private int credits() {
        return http.get("/api/credits/balance", user.auth()).json().path("credits").asInt();
    }
}
