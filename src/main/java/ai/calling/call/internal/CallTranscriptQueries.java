package ai.calling.call.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.call.CallTranscripts.CallTranscript;

/** The calls with their transcripts, as the lead analysis reads them, and the analysis status it writes back. */
@Repository
public class CallTranscriptQueries {

    private static final String SELECT = """
            SELECT c.id, c.user_id, c.phone_number, c.lead_type, c.created_at, c.duration_seconds, t.content
              FROM calls c JOIN transcripts t ON t.call_id = c.id AND t.user_id = c.user_id""";

    private final JdbcClient jdbc;

    CallTranscriptQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CallTranscript> forCall(UUID callId) {
        return jdbc.sql(SELECT + " WHERE c.id = :id").param("id", callId).query(CallTranscriptQueries::row).optional();
    }

    public List<CallTranscript> history(UUID userId, String phoneNumber) {
        return jdbc.sql(SELECT + " WHERE c.user_id = :user AND c.phone_number = :phone ORDER BY c.created_at, c.id")
                .param("user", userId).param("phone", phoneNumber).query(CallTranscriptQueries::row).list();
    }

    public void markAnalysis(Collection<UUID> callIds, String status) {
        jdbc.sql("UPDATE transcripts SET analysis_status = :status WHERE call_id = ANY(:calls)")
                .param("status", status).param("calls", callIds.toArray(UUID[]::new)).update();
    }

    private static CallTranscript row(ResultSet rs, int n) throws SQLException {
        return new CallTranscript(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getString("phone_number"), rs.getString("lead_type"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getInt("duration_seconds"),
                rs.getString("content"));
    }
}
