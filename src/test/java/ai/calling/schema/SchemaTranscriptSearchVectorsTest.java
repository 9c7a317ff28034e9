package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transcript search vectors follow the content and the tenant (V74, decision 0053), and an update of the
 * analysis status neither reads the content nor writes the search indexes: the lead analysis sets it at least
 * twice per call, and each time the generated vectors were computed again from the whole transcript (V72), and,
 * the status being indexed, every lexeme was written again into both GIN indexes (until V75).
 */
@IntegrationTest
class SchemaTranscriptSearchVectorsTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JsonMapper json;

    @Test
    void theVectorsFollowTheContentAndAreRecomputedWhenWrittenDirectly() {
        UUID call = completedCall();
        insertTranscript(call, "assistant: our pricing is simple");
        assertThat(matches(call, "price")).isTrue();
        assertThat(tenantLexemes(call)).isEqualTo("1/1");

        jdbc.update("UPDATE transcripts SET content = 'user: please book a demo on Monday' WHERE call_id = ?", call);
        assertThat(matches(call, "price")).isFalse();
        assertThat(matches(call, "booking")).isTrue();

        jdbc.update("UPDATE transcripts SET search_english = to_tsvector('english', 'price'),"
                + " search_simple = to_tsvector('simple', 'price') WHERE call_id = ?", call);
        assertThat(matches(call, "price")).isFalse();
        assertThat(matches(call, "booking")).isTrue();
        assertThat(tenantLexemes(call)).isEqualTo("1/1");

        jdbc.update("UPDATE transcripts SET analysis_status = 'completed' WHERE call_id = ?", call);
        assertThat(matches(call, "booking")).isTrue();
        assertThat(tenantLexemes(call)).isEqualTo("1/1");
    }

    @Test
    void aBulkLoadThatSkipsTriggersStillGetsTheVectors() {
        UUID call = completedCall();
        // as the transcript search benchmark seeds its million transcripts
        transactions.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL session_replication_role = replica");
            insertTranscript(call, "user: what does it cost");
        });
        assertThat(matches(call, "costs")).isTrue();
        assertThat(tenantLexemes(call)).isEqualTo("1/1");
    }

    @Test
    void aStatusUpdateTouchesNeitherTheContentNorTheSearchIndexes() {
        UUID call = completedCall();
        // 6,000 words that do not compress (200 KB): stored out of line, in about a hundred TOAST chunks
        String content = IntStream.range(0, 6_000).mapToObj(n -> UUID.nameUUIDFromBytes(new byte[] {(byte) n, (byte) (n >> 8)})
                .toString().replace("-", "")).collect(Collectors.joining(" "));
        insertTranscript(call, content);

        // the fewer of two successive updates: the first may find no room for a HOT copy in the row's page
        // (the database is shared with other tests); the second is then HOT unless an index forbids it
        long buffers = transactions.execute(status -> {
            long first = statusUpdateBuffers(call, "processing");
            long second = statusUpdateBuffers(call, "completed");
            status.setRollbackOnly();
            return Math.min(first, second);
        });

        // a HOT update reads the row through its index and writes it beside: 6 buffers here. Reading the content
        // means about a hundred chunks through the TOAST index, once per vector (1,174 buffers with the generated
        // columns of V72); an update that is not HOT writes each of its lexemes into both GIN indexes again (80
        // buffers with the status indexed, before V75; 550 for this row on a database with longer pending lists)
        assertThat(buffers).isLessThan(40);
        assertThat(matches(call, content.substring(0, 32))).isTrue();
    }

    /** A completed call of a new account, without a transcript yet. */
    private UUID completedCall() {
        SchemaFixtures fixtures = new SchemaFixtures(jdbc);
        UUID user = fixtures.user();
        return fixtures.call(user, fixtures.agent(user), "completed", OffsetDateTime.now());
    }

    /** The call's transcript, written by the call's account (in the caller's transaction, if any). */
    private void insertTranscript(UUID call, String content) {
        assertThat(jdbc.update("INSERT INTO transcripts (call_id, user_id, content) SELECT id, user_id, ? FROM calls"
                + " WHERE id = ?", content, call)).isEqualTo(1);
    }

    /** Shared buffers the update of one transcript's status touched, from its plan (run in the caller's transaction). */
    private long statusUpdateBuffers(UUID call, String analysisStatus) {
        String plan = jdbc.queryForObject("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) UPDATE transcripts SET analysis_status = '"
                + analysisStatus + "' WHERE call_id = '" + call + "'", String.class);
        JsonNode update = json.readTree(plan).get(0).get("Plan");
        return update.get("Shared Hit Blocks").asLong() + update.get("Shared Read Blocks").asLong();
    }

    private boolean matches(UUID call, String word) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT search_english @@ plainto_tsquery('english', ?) OR search_simple @@ plainto_tsquery('simple', ?)
                  FROM transcripts WHERE call_id = ?""", Boolean.class, word, word, call));
    }

    /** How many times the tenant's lexeme is in each vector: "english/simple". */
    private String tenantLexemes(UUID call) {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM unnest(search_english) l WHERE l.lexeme = 'tenant' || replace(t.user_id::text, '-', ''))
                       || '/' ||
                       (SELECT count(*) FROM unnest(search_simple) l WHERE l.lexeme = 'tenant' || replace(t.user_id::text, '-', ''))
                  FROM transcripts t WHERE call_id = ?""", String.class, call);
    }
}
