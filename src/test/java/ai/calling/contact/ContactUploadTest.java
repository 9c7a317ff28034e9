package ai.calling.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;

/** CSV uploads: forgiving with formats, exact about what they did. */
@IntegrationTest
class ContactUploadTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
    }

    @Test
    void aliasesBomAndSemicolonsAreUnderstood() {
        String csv = "\uFEFFFull Name;Mobile;E-Mail;Company\nAsha Rao;+1 415 555 0101;asha@example.com;Rao Foods\n"
                + "Ben;4155550102;;\n";

        JsonNode result = upload(csv).json();

        assertThat(result.path("totalRows").asInt()).isEqualTo(2);
        assertThat(result.path("created").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT phone_number FROM contacts WHERE user_id = ? ORDER BY phone_number",
                String.class, user.id())).containsExactly("+14155550101", "+14155550102");
        assertThat(jdbc.queryForObject("SELECT company FROM contacts WHERE user_id = ? AND name = 'Asha Rao'",
                String.class, user.id())).isEqualTo("Rao Foods");
    }

    @Test
    void badRowsAreReportedWithTheirRowNumbersAndNeverStopTheGoodOnes() {
        String csv = "name,phone,email\nGood,+14155550111,\nNo Phone,,\nBad Phone,12345,\nBad Mail,+14155550112,x@\n"
                + "Dup,+1 (415) 555-0111,\n";

        JsonNode result = upload(csv).json();

        assertThat(result.path("totalRows").asInt()).isEqualTo(5);
        assertThat(result.path("created").asInt()).isEqualTo(1);
        assertThat(result.path("skipped").asInt()).isEqualTo(1);
        assertThat(result.path("invalid").findValues("row").stream().map(JsonNode::asInt).toList()).containsExactly(3, 4, 5);
        assertThat(result.path("invalid").path(0).path("reason").asString()).contains("missing");
    }

    @Test
    void existingNumbersAreSkippedOrUpdatedOnRequest() {
        http.post("/api/contacts", Map.of("phoneNumber", "+14155550121", "name", "Old"), user.auth());
        String csv = "phone,name,company\n+14155550121,New,Acme\n+14155550122,Fresh,\n";

        JsonNode skipped = upload(csv).json();
        assertThat(skipped.path("created").asInt()).isEqualTo(1);
        assertThat(skipped.path("skipped").asInt()).isEqualTo(1);
        assertThat(nameOf("+14155550121")).isEqualTo("Old");

        Http.Response updated = http.upload("/api/contacts/upload?onDuplicate=update", "file", "c.csv", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8), user.auth());
        assertThat(updated.json().path("updated").asInt()).isEqualTo(2);
        assertThat(updated.json().path("created").asInt()).isZero();
        assertThat(nameOf("+14155550121")).isEqualTo("New");
    }

    @Test
    void tenThousandRowsWithInvalidAndDuplicateRowsGiveExactCounts() {
        StringBuilder csv = new StringBuilder("name,phone_number,email\n");
        int invalid = 0;
        int duplicates = 0;
        for (int i = 0; i < 10_000; i++) {
            if (i % 100 < 3) {
                csv.append("Bad ").append(i).append(",not-a-number,\n");
                invalid++;
            } else if (i % 100 >= 95) {
                csv.append("Dup ").append(i).append(",+1415").append(String.format("%07d", 2_000_000 + i - 10)).append(",\n");
                duplicates++;
            } else {
                csv.append("Name ").append(i).append(",+1415").append(String.format("%07d", 2_000_000 + i)).append(",n")
                        .append(i).append("@example.com\n");
            }
        }

        JsonNode result = upload(csv.toString()).json();

        assertThat(invalid).isEqualTo(300);
        assertThat(duplicates).isEqualTo(500);
        assertThat(result.path("totalRows").asInt()).isEqualTo(10_000);
        assertThat(result.path("invalid").size()).isEqualTo(300);
        assertThat(result.path("created").asInt()).isEqualTo(9_200);
        assertThat(result.path("skipped").asInt()).isEqualTo(500);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id()))
                .isEqualTo(9_200);
    }

    @Test
    void concurrentOverlappingUploadsLeaveNoDuplicate() throws Exception {
        List<Callable<Integer>> uploads = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            StringBuilder csv = new StringBuilder("phone\n");
            for (int i = u * 100; i < u * 100 + 300; i++) {
                csv.append("+1415").append(String.format("%07d", 3_000_000 + i)).append('\n');
            }
            String body = csv.toString();
            uploads.add(() -> upload(body).json().path("created").asInt());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int created = 0;
        try {
            for (Future<Integer> result : pool.invokeAll(uploads)) {
                created += result.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(created).isEqualTo(600);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id()))
                .isEqualTo(600);
    }

    @Test
    void tooManyRowsAnswer413AndStoreNothing() {
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < 10_001; i++) {
            csv.append("+1415").append(String.format("%07d", 4_000_000 + i)).append('\n');
        }

        Http.Response response = upload(csv.toString());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id())).isZero();
    }

    @Test
    void whatIsNotAUsableCsvIsRefusedAndStoresNothing() {
        assertThat(http.upload("/api/contacts/upload", "file", "c.png", "image/png", new byte[] { (byte) 0x89, 'P', 'N', 'G' },
                user.auth()).status()).isEqualTo(415);
        assertThat(upload("name,email\nAsha,a@b.co\n").status()).isEqualTo(400);
        assertThat(upload("").status()).isEqualTo(400);
        assertThat(http.upload("/api/contacts/upload", "file", "c.csv", "text/csv",
                new byte[] { 'p', 'h', 'o', 'n', 'e', '\n', (byte) 0xC3, (byte) 0x28, '\n' }, user.auth()).status())
                .isEqualTo(400);
        assertThat(http.upload("/api/contacts/upload?onDuplicate=merge", "file", "c.csv", "text/csv",
                "phone\n+14155550199\n".getBytes(StandardCharsets.UTF_8), user.auth()).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id())).isZero();
    }

    private Http.Response upload(String csv) {
        return http.upload("/api/contacts/upload", "file", "contacts.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8),
                user.auth());
    }

    private String nameOf(String phone) {
        return jdbc.queryForObject("SELECT name FROM contacts WHERE user_id = ? AND phone_number = ?", String.class,
                user.id(), phone);
    }
}
