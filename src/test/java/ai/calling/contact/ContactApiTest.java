package ai.calling.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
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

/** Contacts over HTTP: E.164, one per number, filters, deletion keeping calls, export. */
@IntegrationTest
class ContactApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ContactService contactService;

    @Autowired
    DataSource dataSource;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
    }

    @Test
    void createNormalisesToE164AndReadsBack() {
        Http.Response created = create(Map.of("phoneNumber", "(415) 555-0132", "name", " Asha Rao ",
                "email", "asha@example.com", "company", "Rao Foods"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.path("phoneNumber").asString()).isEqualTo("+14155550132");
        assertThat(body.path("name").asString()).isEqualTo("Asha Rao");
        Http.Response read = http.get("/api/contacts/" + body.path("id").asString(), user.auth());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("company").asString()).isEqualTo("Rao Foods");
    }

    @Test
    void aNumberTheUserAlreadyHasIsAConflictNamingTheContact() {
        String id = create(Map.of("phoneNumber", "+14155550133")).json().path("id").asString();

        Http.Response duplicate = create(Map.of("phoneNumber", "415-555-0133", "name", "Other"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().path("existingContactId").asString()).isEqualTo(id);
        assertThat(count()).isOne();
    }

    /**
     * One number created several times at once: one contact, and every other request a 409 naming it (the loser of
     * the unique index used to read the winner's id in its aborted transaction: a 500).
     */
    @Test
    void theSameNumberCreatedAtOnceIsOneContactAndConflictsNamingIt() throws Exception {
        for (int round = 0; round < 5; round++) {
            String number = "+1415555" + String.format("%04d", 200 + round);
            List<Callable<Http.Response>> creates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                creates.add(() -> create(Map.of("phoneNumber", number)));
            }
            List<Http.Response> answers;
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                answers = pool.invokeAll(creates).stream().map(future -> {
                    try {
                        return future.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
            }

            assertThat(answers).extracting(Http.Response::status).as("round %s", round)
                    .containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
            String id = answers.stream().filter(answer -> answer.status() == 201).findFirst().orElseThrow().json()
                    .path("id").asString();
            assertThat(answers).filteredOn(answer -> answer.status() == 409)
                    .allSatisfy(answer -> assertThat(answer.json().path("existingContactId").asString()).isEqualTo(id));
        }
    }

    @Test
    void anotherUserMayHaveTheSameNumber() {
        create(Map.of("phoneNumber", "+14155550134"));
        SignedIn other = TestUsers.register(http);

        assertThat(http.post("/api/contacts", Map.of("phoneNumber", "+14155550134"), other.auth()).status())
                .isEqualTo(201);
    }

    @Test
    void badInputAnswers400NamingTheFieldAndWritesNothing() {
        for (Map<String, String> body : List.of(Map.of("phoneNumber", "12"), Map.of("phoneNumber", "not a number"),
                Map.of("phoneNumber", "+1 000 000 0000"), Map.<String, String>of())) {
            Http.Response response = create(body);
            assertThat(response.status()).as(body.toString()).isEqualTo(400);
            assertThat(response.json().path("errors").path(0).path("field").asString()).isEqualTo("phoneNumber");
        }
        Http.Response badEmail = create(Map.of("phoneNumber", "+14155550135", "email", "nope"));
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().path("errors").path(0).path("field").asString()).isEqualTo("email");
        assertThat(count()).isZero();
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndRechecksTheNumber() {
        String first = create(Map.of("phoneNumber", "+14155550136", "name", "First")).json().path("id").asString();
        String second = create(Map.of("phoneNumber", "+14155550137", "name", "Second")).json().path("id").asString();

        Http.Response renamed = http.patch("/api/contacts/" + first, Map.of("company", "Acme"), user.auth());
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("name").asString()).isEqualTo("First");
        assertThat(renamed.json().path("company").asString()).isEqualTo("Acme");

        Http.Response clash = http.patch("/api/contacts/" + second, Map.of("phoneNumber", "+1 415 555 0136"), user.auth());
        assertThat(clash.status()).isEqualTo(409);
        assertThat(http.get("/api/contacts/" + second, user.auth()).json().path("phoneNumber").asString())
                .isEqualTo("+14155550137");
    }

    @Test
    void listSearchesFiltersSortsAndPaginates() {
        create(Map.of("phoneNumber", "+14155550140", "name", "Zed", "company", "Globex"));
        create(Map.of("phoneNumber", "+14155550141", "name", "Amy", "email", "amy@initech.test"));
        Map<String, Object> customer = new HashMap<>(Map.of("phoneNumber", "+14155550142", "name", "Bob"));
        customer.put("isCustomer", true);
        create(customer);

        assertThat(names(http.get("/api/contacts?search=initech", user.auth()))).containsExactly("Amy");
        assertThat(names(http.get("/api/contacts?search=GLOB", user.auth()))).containsExactly("Zed");
        assertThat(names(http.get("/api/contacts?search=555014", user.auth()))).hasSize(3);
        assertThat(names(http.get("/api/contacts?isCustomer=true", user.auth()))).containsExactly("Bob");
        assertThat(names(http.get("/api/contacts?sort=name", user.auth()))).containsExactly("Amy", "Bob", "Zed");
        assertThat(names(http.get("/api/contacts?sort=name,desc", user.auth()))).containsExactly("Zed", "Bob", "Amy");
        Http.Response page = http.get("/api/contacts?sort=name&page=1&size=2", user.auth());
        assertThat(names(page)).containsExactly("Zed");
        assertThat(page.json().path("totalItems").asLong()).isEqualTo(3);
        assertThat(http.get("/api/contacts?sort=password", user.auth()).status()).isEqualTo(400);
    }

    @Test
    void notConnectedCountsOncePerCallAndFilters() {
        UUID contact = UUID.fromString(create(Map.of("phoneNumber", "+14155550150", "name", "Unreachable"))
                .json().path("id").asString());
        create(Map.of("phoneNumber", "+14155550151", "name", "Reachable"));
        UUID call = callOf(contact);

        assertThat(contactService.countConnectionFailure(user.id(), contact, call)).isTrue();
        assertThat(contactService.countConnectionFailure(user.id(), contact, call)).isFalse();

        assertThat(names(http.get("/api/contacts?notConnected=true", user.auth()))).containsExactly("Unreachable");
        assertThat(http.get("/api/contacts/" + contact, user.auth()).json().path("notConnected").asInt()).isOne();
    }

    /**
     * An edit of the notes while a call's failure is counted: the edit writes the notes only, and the count stays
     * (the whole row written from the edit's earlier read put the count back, for good: each call counts once).
     */
    @Test
    void anEditDoesNotWriteBackWhatItDidNotChange() throws Exception {
        UUID contact = UUID.fromString(create(Map.of("phoneNumber", "+14155550152", "name", "Busy")).json().path("id")
                .asString());
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (Statement lock = held.createStatement()) {
                lock.execute("SELECT 1 FROM contacts WHERE id = '" + contact + "' FOR UPDATE");
            }
            CompletableFuture<Http.Response> edit = CompletableFuture.supplyAsync(() ->
                    http.patch("/api/contacts/" + contact, Map.of("notes", "called back"), user.auth()));
            // the edit has read the contact and waits to write it
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                       AND query ILIKE 'update contacts%'""", Long.class) > 0);
            try (Statement count = held.createStatement()) {
                count.executeUpdate("UPDATE contacts SET not_connected = not_connected + 1 WHERE id = '" + contact + "'");
            }
            held.commit();

            assertThat(edit.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }

        Map<String, Object> stored = jdbc.queryForMap("SELECT not_connected, notes FROM contacts WHERE id = ?", contact);
        assertThat(stored).containsEntry("not_connected", 1).containsEntry("notes", "called back");
    }

    @Test
    void findOrCreateForCallCreatesOnceAndMarksTheContactAutoCreated() {
        var first = contactService.findOrCreateForCall(user.id(), "+14155550160", "Caller", null);
        var second = contactService.findOrCreateForCall(user.id(), "(415) 555-0160", "Other name", null);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.isAutoCreated()).isTrue();
        assertThat(first.autoCreationSource()).isEqualTo("webhook");
        assertThat(names(http.get("/api/contacts?autoCreated=true", user.auth()))).containsExactly("Caller");
    }

    @Test
    void deletingAContactKeepsItsCalls() {
        UUID contact = UUID.fromString(create(Map.of("phoneNumber", "+14155550170")).json().path("id").asString());
        UUID call = callOf(contact);

        assertThat(http.delete("/api/contacts/" + contact, user.auth()).status()).isEqualTo(204);

        assertThat(http.get("/api/contacts/" + contact, user.auth()).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE id = ? AND contact_id IS NULL", Long.class, call))
                .isOne();
    }

    @Test
    void exportWritesTheFilteredContactsAsCsv() {
        create(Map.of("phoneNumber", "+14155550180", "name", "Export Me", "notes", "likes, commas"));
        create(Map.of("phoneNumber", "+14155550181", "name", "Not Me"));

        Http.Response export = http.get("/api/contacts/export?search=export", user.auth());

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("text/csv");
        assertThat(export.body().lines().toList()).hasSize(2);
        assertThat(export.body()).startsWith("name,phone_number,email,company,notes")
                .contains("Export Me,+14155550180,,,\"likes, commas\"").doesNotContain("Not Me");
    }

    private Http.Response create(Map<String, ?> body) {
        return http.post("/api/contacts", body, user.auth());
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM contacts WHERE user_id = ?", Long.class, user.id());
    }

    private UUID callOf(UUID contactId) {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'A')", agent, user.id(),
                "bolna-" + agent);
        UUID call = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, contact_id, bolna_execution_id, phone_number)
                VALUES (?, ?, ?, ?, ?, '+14155550100')""", call, user.id(), agent, contactId, "exec-" + call);
        return call;
    }

    private static List<String> names(Http.Response response) {
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("items").findValuesAsString("name");
    }
}
