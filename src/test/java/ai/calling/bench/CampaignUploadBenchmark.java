package ai.calling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Creating a 100,000-recipient campaign from a CSV (issue 22: under 5 s): over HTTP, a campaign is
 * created and a 100,000-row file (1% invalid numbers, 1% repeated, numbers of ten US area codes so
 * the time zones vary) is uploaded to it; the clock runs from the campaign's POST to the upload's
 * answer, and the recipients written are counted afterwards (work applied, not an acknowledgement).
 * Six runs, each a fresh campaign: the first (cold JIT) and the median of the other five. Not part
 * of the suite; run by bench/campaign-upload.sh.
 */
@IntegrationTest
class CampaignUploadBenchmark {

    static final int ROWS = Integer.getInteger("bench.rows", 100_000);
    static final FakeBolna BOLNA = new FakeBolna();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.api-key", () -> "bn-key");
        registry.add("app.bolna.base-url", BOLNA::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> "bench-upload");
        registry.add("app.campaigns.dispatch", () -> "false");
        registry.add("logging.level.ai.calling", () -> "WARN");
    }

    @AfterAll
    static void stop() {
        BOLNA.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void upload() {
        Http http = new Http(port);
        SignedIn user = TestUsers.register(http);
        String agent = http.post("/api/agents", Map.of("name", "Bench", "welcomeMessage", "Hi", "systemPrompt",
                "Be brief.", "maxCallDurationSeconds", 120), user.auth()).json().path("id").asString();
        byte[] csv = csv();
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < 6; run++) {
            long started = System.nanoTime();
            String campaign = http.post("/api/campaigns", Map.of("name", "Bench " + run, "agentId", agent, "timezone",
                    "America/New_York", "callingWindow", Map.of("start", "09:00", "end", "18:00", "days",
                            List.of("MON", "TUE", "WED", "THU", "FRI")), "maxConcurrentCalls", 50), user.auth())
                    .json().path("id").asString();
            Http.Response answer = http.upload("/api/campaigns/" + campaign + "/recipients/upload", "file", "list.csv",
                    "text/csv", csv, user.auth());
            double elapsed = (System.nanoTime() - started) / 1e9;
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            long written = jdbc.queryForObject("SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?::uuid",
                    Long.class, campaign);
            assertThat(written).isEqualTo(answer.json().path("added").asLong());
            assertThat(written).isEqualTo(ROWS - 2L * (ROWS / 100));
            seconds.add(elapsed);
            System.out.printf("campaign_upload_run_%d_s=%.3f%n", run + 1, elapsed);
        }
        List<Double> warm = seconds.subList(1, seconds.size()).stream().sorted().toList();
        double median = warm.get(warm.size() / 2);
        System.out.printf("campaign_upload_rows=%d%n", ROWS);
        System.out.printf("campaign_upload_cold_s=%.3f%n", seconds.getFirst());
        System.out.printf("campaign_upload_warm_median_s=%.3f%n", median);
        System.out.printf("campaign_upload_rows_per_s=%.0f%n", ROWS / median);
    }

    /** name,phone: every 100th row an invalid number, every 100th (offset 50) a repeat of the row before. */
    private static byte[] csv() {
        String[] areaCodes = { "415", "212", "312", "713", "305", "206", "617", "303", "602", "404" };
        StringBuilder csv = new StringBuilder("name,phone\n");
        for (int i = 0; i < ROWS; i++) {
            String number = "+1" + areaCodes[i % areaCodes.length] + String.format("%07d", 2_000_000 + i / 10);
            if (i % 100 == 0) {
                csv.append("Invalid ").append(i).append(",12\n");
            } else if (i % 100 == 50) {
                csv.append("Repeat ").append(i).append(',').append(previous(i, areaCodes)).append('\n');
            } else {
                csv.append("Lead ").append(i).append(',').append(number).append('\n');
            }
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String previous(int i, String[] areaCodes) {
        int j = i - 1;
        return "+1" + areaCodes[j % areaCodes.length] + String.format("%07d", 2_000_000 + j / 10);
    }
}
