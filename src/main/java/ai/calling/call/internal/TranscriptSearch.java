package ai.calling.call.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.call.CallDtos.TranscriptHit;

/**
 * Full-text search over one tenant's transcripts (decision 0051): {@code websearch_to_tsquery} in
 * the English and the simple configuration, a transcript matching either; ranked by the better of
 * the two ({@code ts_rank_cd}), then newest first. Snippets ({@code ts_headline}, costly) are made
 * for the page's rows only. The lead tag is read through the lead module's reporting view.
 */
@Repository
public class TranscriptSearch {

    /** How a match is marked in a snippet: plain text, never markup a client could render. */
    public static final String MARK_START = "**";
    public static final String MARK_END = "**";
    private static final String HEADLINE_OPTIONS = "StartSel=" + MARK_START + ", StopSel=" + MARK_END
            + ", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"";

    /**
     * The English interpretation stems and drops stop words; in a query with a quoted phrase whose
     * stop words it dropped it would match more than the phrase, so only the exact (simple) one counts.
     * An interpretation with nothing left (only stop words or operators) matches nothing. Each is
     * ANDed with the tenant's lexeme (V72) so that the GIN index narrows to the tenant.
     */
    private static final String ENGLISH = "websearch_to_tsquery('english', :q)";
    private static final String SIMPLE = "websearch_to_tsquery('simple', :q)";
    private static final String TENANT = "CAST(:tenant AS tsquery)";
    private static final String ENGLISH_USABLE = "(numnode(" + ENGLISH + ") > 0 AND (position('\"' in :q) = 0 OR numnode("
            + ENGLISH + ") = numnode(" + SIMPLE + ")))";
    private static final String ENGLISH_MATCH = "(" + ENGLISH_USABLE + " AND t.search_english @@ (" + ENGLISH + " && "
            + TENANT + "))";
    private static final String SIMPLE_MATCH = "(numnode(" + SIMPLE + ") > 0 AND t.search_simple @@ (" + SIMPLE + " && "
            + TENANT + "))";

    private static final String MATCHES = """
              FROM transcripts t
              JOIN calls c ON c.id = t.call_id AND c.user_id = t.user_id
             WHERE t.user_id = :user
               AND (%s OR %s)
               AND (CAST(:agent AS uuid) IS NULL OR c.agent_id = CAST(:agent AS uuid))
               AND (CAST(:campaign AS uuid) IS NULL OR c.campaign_id = CAST(:campaign AS uuid))
               AND (CAST(:from AS timestamptz) IS NULL OR c.created_at >= CAST(:from AS timestamptz))
               AND (CAST(:to AS timestamptz) IS NULL OR c.created_at < CAST(:to AS timestamptz))
               AND (CAST(:tag AS text) IS NULL OR EXISTS (
                    SELECT 1 FROM report_lead_analyses la
                     WHERE la.call_id = c.id AND la.user_id = t.user_id AND la.analysis_type = 'individual'
                       AND la.lead_status_tag = CAST(:tag AS text)))""".formatted(ENGLISH_MATCH, SIMPLE_MATCH);

    private final JdbcClient jdbc;

    TranscriptSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Filter(String query, UUID agentId, UUID campaignId, Instant from, Instant to, String leadTag) {
    }

    /** One page of hits, best first, and how many there are in all. */
    public record Page(List<TranscriptHit> hits, long total) {
    }

    public Page page(UUID userId, Filter filter, int limit, long offset) {
        long[] total = { -1 };
        List<TranscriptHit> hits = bind(jdbc.sql("""
                WITH ranked AS (
                    SELECT t.content, c.id AS call_id, c.agent_id, c.phone_number, c.created_at,
                           %1$s AS english_match,
                           GREATEST(CASE WHEN %1$s THEN ts_rank_cd(t.search_english, %2$s) ELSE 0 END,
                                    ts_rank_cd(t.search_simple, %3$s)) AS rank,
                           count(*) OVER () AS total
                    %4$s
                     ORDER BY rank DESC, c.created_at DESC, c.id
                     LIMIT :limit OFFSET :offset)
                SELECT call_id, agent_id, phone_number, created_at, total,
                       CASE WHEN english_match THEN ts_headline('english', content, %2$s, :options)
                            ELSE ts_headline('simple', content, %3$s, :options) END AS snippet
                  FROM ranked
                 ORDER BY rank DESC, created_at DESC, call_id""".formatted(ENGLISH_MATCH, ENGLISH, SIMPLE, MATCHES)), userId, filter)
                .param("limit", limit).param("offset", offset).param("options", HEADLINE_OPTIONS)
                .query((rs, n) -> {
                    total[0] = rs.getLong("total");
                    return new TranscriptHit(rs.getObject("call_id", UUID.class), rs.getObject("agent_id", UUID.class),
                            rs.getString("phone_number"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            rs.getString("snippet"));
                })
                .list();
        // past the last page the window count is not there; the first page's emptiness is the count
        return new Page(hits, total[0] >= 0 ? total[0] : offset == 0 ? 0 : count(userId, filter));
    }

    public long count(UUID userId, Filter filter) {
        return bind(jdbc.sql("SELECT count(*)" + MATCHES), userId, filter).query(Long.class).single();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, UUID userId, Filter f) {
        return sql.param("q", f.query()).param("user", userId).param("tenant", tenantLexeme(userId)).param("agent", f.agentId())
                .param("campaign", f.campaignId()).param("from", utc(f.from())).param("to", utc(f.to()))
                .param("tag", f.leadTag());
    }

    /** The lexeme V72 puts in every transcript's vectors for its tenant. */
    static String tenantLexeme(UUID userId) {
        return "tenant" + userId.toString().replace("-", "");
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
