package ai.calling.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;

/**
 * What the tests that dial campaigns set up as a customer would, over HTTP: the application pointed at
 * a fake Bolna, an agent, a campaign, its recipients and its start. Every step requires the answer a
 * customer would get (201, the recipients all added, 200).
 */
public final class TestCampaigns {

    /** A Tuesday, 18:00 UTC: 10:00 in San Francisco, 13:00 in New York, 18:00 in London. */
    public static final Instant TUESDAY_EVENING_UTC = Instant.parse("2026-12-01T18:00:00Z");
    public static final List<String> EVERY_DAY = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    private TestCampaigns() {
    }

    /** The application talks to this fake Bolna: its address, an API key, and the secret of its webhooks. */
    public static void useBolna(DynamicPropertyRegistry registry, FakeBolna bolna, String webhookSecret) {
        registry.add("app.bolna.api-key", () -> "bn-key");
        registry.add("app.bolna.base-url", bolna::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> webhookSecret);
    }

    /** An agent of the account (POST /api/agents); its JSON (id, bolnaAgentId, ...). */
    public static JsonNode agent(Http http, SignedIn owner, String name, int maxCallDurationSeconds) {
        Http.Response created = http.post("/api/agents", Map.of("name", name, "welcomeMessage", "Hello!",
                "systemPrompt", "Be brief.", "maxCallDurationSeconds", maxCallDurationSeconds), owner.auth());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    /** A calling window: from {@code start} to {@code end} (HH:mm) on these days. */
    public static Map<String, Object> window(String start, String end, List<String> days) {
        return Map.of("start", start, "end", end, "days", days);
    }

    /**
     * A zone (a fixed offset) where it is about noon now: toll-free numbers have no zone of their own, so a
     * campaign in this zone with a window around noon is open now, whatever time the test runs.
     */
    public static String zoneAtNoonNow() {
        int offset = 12 - Instant.now().atOffset(ZoneOffset.UTC).getHour();
        return "Etc/GMT" + (offset > 0 ? "-" + offset : "+" + (-offset));
    }

    /** A draft campaign of the account (POST /api/campaigns) with these fields; its id. */
    public static String campaign(Http http, SignedIn owner, String agentId, String name, String timezone,
            Map<String, Object> window, int maxConcurrentCalls) {
        Http.Response created = http.post("/api/campaigns", Map.of("name", name, "agentId", agentId, "timezone",
                timezone, "callingWindow", window, "maxConcurrentCalls", maxConcurrentCalls), owner.auth());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    /** {@code count} numbers: the prefix followed by first, first + 1, ... */
    public static List<String> numbers(String prefix, int first, int count) {
        List<String> numbers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            numbers.add(prefix + (first + i));
        }
        return numbers;
    }

    /** Adds these numbers to the campaign (every one of them added) and starts it. */
    public static void addAndStart(Http http, SignedIn owner, String campaign, List<String> numbers) {
        Http.Response added = http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers),
                owner.auth());
        assertThat(added.json().path("added").asInt()).as(added.body()).isEqualTo(numbers.size());
        Http.Response started = http.post("/api/campaigns/" + campaign + "/start", "", owner.auth());
        assertThat(started.status()).as(started.body()).isEqualTo(200);
    }
}
