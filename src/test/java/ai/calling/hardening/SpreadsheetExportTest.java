package ai.calling.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** Issue 20, point 7: the contact, ledger and campaign recipient exports neutralise spreadsheet formulas (the rule SpreadsheetCsv states). */
@IntegrationTest
class SpreadsheetExportTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void contactLedgerAndCampaignExportsWriteFormulasAsText() throws IOException {
        Http http = new Http(port);
        SignedIn user = TestUsers.register(http);
        SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "admin");
        Http.Response contact = http.post("/api/contacts", Map.of("phoneNumber", "+14155550190",
                "name", "=HYPERLINK(\"http://evil.example\",\"Asha\")", "company", "@SUM(A1)", "notes", "+cmd|' /C calc'!A0"),
                user.auth());
        assertThat(contact.status()).isEqualTo(201);
        // a name that came from what a caller said (the webhook's auto-created contacts) is stored the same way
        jdbc.update("INSERT INTO contacts (user_id, phone_number, name, notes, is_auto_created, auto_creation_source)"
                + " VALUES (?, '+14155550191', ?, ?, true, 'webhook')", user.id(), "-1+1", "\tnote");
        assertThat(http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", -1,
                "reason", "=cmd|' /C calc'!A0"), admin.auth()).status()).isEqualTo(201);

        UUID agent = jdbc.queryForObject("INSERT INTO agents (user_id, bolna_agent_id, name) VALUES (?, ?, 'Bot') RETURNING id",
                UUID.class, user.id(), "bolna-" + UUID.randomUUID());
        Http.Response campaign = http.post("/api/campaigns", Map.of("name", "Formulas", "agentId", agent.toString(),
                "timezone", "UTC", "maxConcurrentCalls", 1, "callingWindow", Map.of("start", "09:00", "end", "18:00",
                        "days", List.of("MON"))), user.auth());
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String campaignId = campaign.json().path("id").asString();
        assertThat(http.post("/api/campaigns/" + campaignId + "/recipients", Map.of("contactIds",
                List.of(contact.json().path("id").asString())), user.auth()).status()).isEqualTo(200);

        List<CSVRecord> contacts = csv(http.get("/api/contacts/export?sort=phoneNumber", user.auth()));
        List<CSVRecord> recipients = csv(http.get("/api/campaigns/" + campaignId + "/recipients/export", user.auth()));
        List<CSVRecord> ledger = csv(http.get("/api/credits/transactions/export?type=admin_adjustment", user.auth()));

        assertThat(contacts.get(0).get("name")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"Asha\")");
        assertThat(contacts.get(0).get("company")).isEqualTo("'@SUM(A1)");
        assertThat(contacts.get(0).get("notes")).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(contacts.get(0).get("phone_number")).isEqualTo("+14155550190");
        assertThat(contacts.get(1).get("name")).isEqualTo("'-1+1");
        assertThat(contacts.get(1).get("notes")).isEqualTo("'\tnote");
        assertThat(ledger.getFirst().get("description")).isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(ledger.getFirst().get("amount")).isEqualTo("-1");
        assertThat(recipients.getFirst().get("name")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"Asha\")");
        assertThat(recipients.getFirst().get("phone_number")).isEqualTo("+14155550190");
    }

    private static List<CSVRecord> csv(Http.Response response) throws IOException {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.body())).getRecords();
    }
}
