package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.IntegrationTest;

/** Bad input and cross-tenant references are refused by the database itself, and nothing is written. */
@IntegrationTest
class SchemaConstraintsTest {

    @Autowired
    JdbcTemplate jdbc;

    SchemaFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new SchemaFixtures(jdbc);
    }

    @Test
    void aRoleOutsideTheListIsRefused() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> jdbc.update("INSERT INTO users (id, email, name, role) VALUES (?, ?, 'X', 'owner')",
                id, id + "@schema.test"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("users_role_check");
        assertThat(count("SELECT count(*) FROM users WHERE id = ?", id)).isZero();
    }

    @Test
    void aNegativeDurationIsRefused() {
        UUID user = fixtures.user();
        UUID call = fixtures.call(user, fixtures.agent(user), "in_progress", OffsetDateTime.now());

        assertThatThrownBy(() -> jdbc.update("UPDATE calls SET duration_seconds = -1 WHERE id = ?", call))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("calls_duration_seconds_check");
        assertThatThrownBy(() -> jdbc.update("UPDATE calls SET duration_minutes = -1 WHERE id = ?", call))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("calls_duration_minutes_check");
        assertThat(count("SELECT count(*) FROM calls WHERE id = ? AND duration_minutes = 0 AND duration_seconds = 0",
                call)).isOne();
    }

    @Test
    void aDuplicateBolnaExecutionIdIsRefused() {
        UUID user = fixtures.user();
        UUID agent = fixtures.agent(user);
        String executionId = "exec-dup-" + UUID.randomUUID();
        String insert = "INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number) "
                + "VALUES (?, ?, ?, '+14155550100')";
        jdbc.update(insert, user, agent, executionId);

        assertThatThrownBy(() -> jdbc.update(insert, user, agent, executionId))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("calls_bolna_execution_id_unique");
        assertThat(count("SELECT count(*) FROM calls WHERE bolna_execution_id = ?", executionId)).isOne();
    }

    @Test
    void aSecondActiveRowForTheSamePhoneNumberIsRefused() {
        String phone = "+1415" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String insert = "INSERT INTO phone_numbers (name, phone_number, is_active) VALUES ('Line', ?, ?)";
        jdbc.update(insert, phone, true);
        jdbc.update(insert, phone, false); // inactive history rows may repeat the number

        assertThatThrownBy(() -> jdbc.update(insert, phone, true))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("idx_phone_numbers_unique_active");
        assertThat(count("SELECT count(*) FROM phone_numbers WHERE phone_number = ? AND is_active", phone)).isOne();
    }

    @Test
    void aPhoneNumberThatIsNotE164IsRefused() {
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO phone_numbers (name, phone_number) VALUES ('Line', '04155550100')"))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("phone_numbers_e164_check");
    }

    @Test
    void aCallNamingAnotherUsersAgentIsRefused() {
        UUID alice = fixtures.user();
        UUID bob = fixtures.user();
        UUID alicesAgent = fixtures.agent(alice);

        assertThatThrownBy(() -> fixtures.call(bob, alicesAgent, "in_progress", OffsetDateTime.now()))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("calls_agent_same_user_fk");
        assertThat(count("SELECT count(*) FROM calls WHERE user_id = ?", bob)).isZero();
    }

    @Test
    void aTranscriptNamingAnotherUsersCallIsRefused() {
        UUID alice = fixtures.user();
        UUID bob = fixtures.user();
        UUID alicesCall = fixtures.call(alice, fixtures.agent(alice), "in_progress", OffsetDateTime.now());

        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO transcripts (call_id, user_id, content) VALUES (?, ?, 'hello')", alicesCall, bob))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("transcripts_call_same_user_fk");
        assertThat(count("SELECT count(*) FROM transcripts WHERE user_id = ?", bob)).isZero();
    }

    @Test
    void aLeadAnalysisOrCallNamingAnotherUsersRowsIsRefused() {
        UUID alice = fixtures.user();
        UUID bob = fixtures.user();
        UUID alicesCall = fixtures.call(alice, fixtures.agent(alice), "in_progress", OffsetDateTime.now());
        UUID alicesContact = fixtures.contact(alice, "+14155550111");

        assertThatThrownBy(() -> fixtures.individualLead(bob, alicesCall, 50, false, false))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("lead_analytics_call_same_user_fk");
        UUID bobsCall = fixtures.call(bob, fixtures.agent(bob), "in_progress", OffsetDateTime.now());
        assertThatThrownBy(() -> jdbc.update("UPDATE calls SET contact_id = ? WHERE id = ?", alicesContact, bobsCall))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("calls_contact_same_user_fk");
    }

    @Test
    void theIsolationAuditsFindNothingOnAConsistentDatabase() {
        UUID user = fixtures.user();
        fixtures.complete(fixtures.call(user, fixtures.agent(user), "in_progress", OffsetDateTime.now()), 2, 2);

        assertThat(jdbc.queryForList("SELECT inconsistent_records FROM validate_user_data_consistency()", Long.class))
                .isNotEmpty().containsOnly(0L);
        assertThat(jdbc.queryForList("SELECT potential_leak FROM audit_data_isolation(?)", Boolean.class, user))
                .isNotEmpty().containsOnly(false);
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }
}
