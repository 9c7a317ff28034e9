package ai.calling.analytics.internal;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of a campaign's results over its calls and their lead analyses. */
@Repository
public class CampaignResultQueries {

    private final JdbcClient jdbc;

    CampaignResultQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Calls ended, connected (their outcome is {@code completed}: answered by a person, not a
     * voicemail), the average duration of connected calls, and credits spent.
     */
    public record CallFigures(long ended, long connected, long averageDurationSeconds, long creditsSpent) {
    }

    /** Numbers whose latest individual analysis from the campaign tagged them Hot, Warm or Cold. */
    public record LeadFigures(long hot, long warm, long cold) {
    }

    public CallFigures calls(UUID userId, UUID campaignId) {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE c.status <> 'in_progress'),
                       count(*) FILTER (WHERE o.outcome = 'completed'),
                       COALESCE(round(avg(c.duration_seconds) FILTER (WHERE o.outcome = 'completed')), 0),
                       COALESCE(sum(c.credits_used), 0)
                  FROM report_calls c LEFT JOIN agent_call_outcomes o ON o.call_id = c.id
                 WHERE c.user_id = :user AND c.campaign_id = :campaign""")
                .param("user", userId).param("campaign", campaignId)
                .query((rs, n) -> new CallFigures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).single();
    }

    public LeadFigures leads(UUID userId, UUID campaignId) {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE tag = 'Hot'), count(*) FILTER (WHERE tag = 'Warm'),
                       count(*) FILTER (WHERE tag = 'Cold')
                  FROM (SELECT DISTINCT ON (c.phone_number) la.lead_status_tag AS tag
                          FROM report_lead_analyses la JOIN report_calls c ON c.id = la.call_id AND c.user_id = la.user_id
                         WHERE c.user_id = :user AND c.campaign_id = :campaign AND la.analysis_type = 'individual'
                         ORDER BY c.phone_number, la.created_at DESC) latest""")
                .param("user", userId).param("campaign", campaignId)
                .query((rs, n) -> new LeadFigures(rs.getLong(1), rs.getLong(2), rs.getLong(3))).single();
    }
}
