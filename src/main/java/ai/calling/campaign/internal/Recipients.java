package ai.calling.campaign.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.campaign.CampaignDtos.RecipientView;
import ai.calling.campaign.CampaignDtos.Stats;

/** SQL of campaign_recipients. */
@Repository
public class Recipients {

    /**
     * Whether recipient {@code r} of campaign {@code c} is inside the calling window at {@code :now}, on
     * the recipient's own clock (its zone, else the campaign's).
     */
    static final String WINDOW_OPEN = """
            (extract(isodow FROM timezone(COALESCE(r.time_zone, c.timezone), :now))::int = ANY(c.window_days)
             AND timezone(COALESCE(r.time_zone, c.timezone), :now)::time >= c.window_start
             AND timezone(COALESCE(r.time_zone, c.timezone), :now)::time < c.window_end)""";

    private static final String VIEW_COLUMNS = """
            id, phone_number, contact_id, name, time_zone, status, attempts, last_call_id, last_outcome, next_attempt_at""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    Recipients(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** A recipient to add: its number (E.164), contact, name, own zone, and whether it is on a do-not-call list. */
    public record NewRecipient(String phoneNumber, UUID contactId, String name, String timeZone, boolean doNotCall) {
    }

    /** What an insert did: recipients now pending, recipients kept as skipped_dnc, numbers already there. */
    public record Added(int pending, int doNotCall, int duplicates) {
    }

    /** Adds recipients; a number the campaign already has is left as it is. */
    public Added insert(UUID campaignId, UUID userId, List<NewRecipient> recipients) {
        if (recipients.isEmpty()) {
            return new Added(0, 0, 0);
        }
        List<String> statuses = jdbc.sql("""
                INSERT INTO campaign_recipients (campaign_id, user_id, phone_number, contact_id, name, time_zone, status)
                SELECT :campaign, :user, phone, contact, name, zone,
                       CASE WHEN dnc THEN 'skipped_dnc' ELSE 'pending' END
                  FROM unnest(:phones, :contacts, :names, :zones, :dnc) AS r(phone, contact, name, zone, dnc)
                ON CONFLICT (campaign_id, phone_number) DO NOTHING RETURNING status""")
                .param("campaign", campaignId).param("user", userId)
                .param("phones", recipients.stream().map(NewRecipient::phoneNumber).toArray(String[]::new))
                .param("contacts", recipients.stream().map(NewRecipient::contactId).toArray(UUID[]::new))
                .param("names", recipients.stream().map(NewRecipient::name).toArray(String[]::new))
                .param("zones", recipients.stream().map(NewRecipient::timeZone).toArray(String[]::new))
                .param("dnc", recipients.stream().map(NewRecipient::doNotCall).toArray(Boolean[]::new))
                .query(String.class).list();
        int doNotCall = (int) statuses.stream().filter("skipped_dnc"::equals).count();
        return new Added(statuses.size() - doNotCall, doNotCall, recipients.size() - statuses.size());
    }

    public Stats stats(UUID campaignId) {
        return jdbc.sql("""
                SELECT count(*), count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'in_progress'),
                       count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'no_answer'),
                       count(*) FILTER (WHERE status = 'busy'), count(*) FILTER (WHERE status = 'failed'),
                       count(*) FILTER (WHERE status = 'cancelled'), count(*) FILTER (WHERE status = 'skipped_dnc')
                  FROM campaign_recipients WHERE campaign_id = :campaign""")
                .param("campaign", campaignId)
                .query((rs, n) -> new Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)))
                .single();
    }

    public long count(UUID campaignId, String status) {
        return jdbc.sql("SELECT count(*) FROM campaign_recipients WHERE campaign_id = :campaign "
                + "AND (CAST(:status AS text) IS NULL OR status = :status)")
                .param("campaign", campaignId).param("status", status).query(Long.class).single();
    }

    /** In the order they were added. */
    public List<RecipientView> page(UUID campaignId, String status, int limit, long offset) {
        return jdbc.sql("SELECT " + VIEW_COLUMNS + " FROM campaign_recipients WHERE campaign_id = :campaign "
                + "AND (CAST(:status AS text) IS NULL OR status = :status) ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                .param("campaign", campaignId).param("status", status).param("limit", limit).param("offset", offset)
                .query(Recipients::view).list();
    }

    /** Every recipient, streamed from the database in batches (an export never holds them all). */
    public void forEach(UUID campaignId, String status, Consumer<RecipientView> sink) {
        template.query(connection -> {
            var statement = connection.prepareStatement("SELECT " + VIEW_COLUMNS + " FROM campaign_recipients "
                    + "WHERE campaign_id = ? AND (CAST(? AS text) IS NULL OR status = ?) ORDER BY created_at, id");
            statement.setObject(1, campaignId);
            statement.setString(2, status);
            statement.setString(3, status);
            statement.setFetchSize(1000);
            return statement;
        }, (ResultSet rs) -> {
            sink.accept(view(rs, 0));
        });
    }

    /** A recipient claimed for a dial, locked until the dial is recorded; {@code timeZone} null: the campaign's. */
    public record Claimed(UUID id, String phoneNumber, UUID contactId, String name, String timeZone) {
    }

    /**
     * Claims up to {@code wanted} recipients due now (pending, retry time reached, inside the window on
     * their own clock), and no more than leave the campaign with {@code maxInProgress} in progress,
     * skipping those another dispatcher holds; the campaign row must be locked (its recipients go in
     * progress only under that lock, so the count this statement takes after it cannot be overtaken).
     */
    public List<Claimed> claim(UUID campaignId, Instant now, int wanted, int maxInProgress) {
        return jdbc.sql("""
                SELECT r.id, r.phone_number, r.contact_id, r.name, r.time_zone FROM campaign_recipients r
                  JOIN campaigns c ON c.id = r.campaign_id
                 WHERE r.campaign_id = :campaign AND r.status = 'pending'
                   AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= :now) AND""" + " " + WINDOW_OPEN + """

                 ORDER BY r.next_attempt_at NULLS FIRST, r.id
                 LIMIT GREATEST(0, LEAST(:wanted, :max - (SELECT count(*) FROM campaign_recipients
                                                           WHERE campaign_id = :campaign AND status = 'in_progress')))
                 FOR UPDATE OF r SKIP LOCKED""")
                .param("campaign", campaignId).param("now", Campaigns.utc(now)).param("wanted", wanted)
                .param("max", maxInProgress)
                .query((rs, n) -> new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getString(5)))
                .list();
    }

    public void markDoNotCall(Collection<UUID> recipientIds) {
        if (!recipientIds.isEmpty()) {
            jdbc.sql("UPDATE campaign_recipients SET status = 'skipped_dnc' WHERE id = ANY(:ids)")
                    .param("ids", recipientIds.toArray(UUID[]::new)).update();
        }
    }

    /** Claimed recipients whose dial is recorded: in progress, one attempt more, their call named. */
    public void markDialled(List<UUID> recipientIds, List<UUID> callIds) {
        jdbc.sql("""
                UPDATE campaign_recipients r SET status = 'in_progress', attempts = r.attempts + 1, last_call_id = v.call,
                       next_attempt_at = NULL
                  FROM unnest(:ids, :calls) AS v(id, call) WHERE r.id = v.id""")
                .param("ids", recipientIds.toArray(UUID[]::new)).param("calls", callIds.toArray(UUID[]::new)).update();
    }

    /**
     * Recipients in progress whose dial was recorded more than {@code olderThan} ago, with their call: the ones
     * whose call no longer exists were left behind between a refused dial's deletion and their own update.
     */
    public List<InProgress> inProgressSince(Duration olderThan, int limit) {
        // through the campaigns that can have recipients in progress, by (campaign_id, status)
        return jdbc.sql("""
                SELECT r.id, r.last_call_id FROM campaigns c
                  JOIN campaign_recipients r ON r.campaign_id = c.id AND r.status = 'in_progress'
                 WHERE c.status IN ('running', 'paused', 'cancelled') AND r.last_call_id IS NOT NULL
                   AND r.updated_at < now() - make_interval(secs => :seconds)
                 ORDER BY r.updated_at LIMIT :limit""")
                .param("seconds", olderThan.toSeconds()).param("limit", limit)
                .query((rs, n) -> new InProgress(rs.getObject("id", UUID.class), rs.getObject("last_call_id", UUID.class)))
                .list();
    }

    /** A recipient in progress and the call of its current attempt. */
    public record InProgress(UUID recipientId, UUID callId) {
    }

    /**
     * A recipient whose dial Bolna did not take (it was busy, 429), or whose dial was deleted before its own
     * update (see {@link #inProgressSince}): due again, the attempt not counted, or cancelled when its campaign
     * was meanwhile. Only while that dial is still its current.
     */
    public void putBack(UUID recipientId, UUID callId) {
        jdbc.sql("""
                UPDATE campaign_recipients r
                   SET status = CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'pending' END,
                       attempts = r.attempts - 1, last_call_id = NULL
                  FROM campaigns c
                 WHERE r.id = :id AND c.id = r.campaign_id AND r.last_call_id = :call AND r.status = 'in_progress'""")
                .param("id", recipientId).param("call", callId).update();
    }

    /** Bolna refused the dial (a 4xx, e.g. a number it cannot call): the recipient has failed. */
    public void refuseDial(UUID recipientId, UUID callId, String reason) {
        jdbc.sql("""
                UPDATE campaign_recipients SET status = 'failed', last_outcome = :reason, last_call_id = NULL
                 WHERE id = :id AND last_call_id = :call AND status = 'in_progress'""")
                .param("id", recipientId).param("call", callId).param("reason", reason).update();
    }

    /**
     * The recipient's dial was never placed at Bolna (reconciliation found it nowhere: the request never got
     * through, or the instance sending it died first): nobody was called, so it is no attempt and the
     * recipient is due again at once (cancelled if the campaign was). Once in a row only: when its previous
     * dial was not placed either, nothing is changed and false returned (the caller then records the dial
     * as the failure it is, so that a number whose dials are always lost cannot be dialled forever).
     */
    public boolean neverPlaced(UUID recipientId, UUID callId) {
        return jdbc.sql("""
                UPDATE campaign_recipients r
                   SET status = CASE WHEN c.status = 'cancelled' THEN 'cancelled' ELSE 'pending' END,
                       attempts = r.attempts - 1, next_attempt_at = NULL, last_outcome = 'not_placed'
                  FROM campaigns c
                 WHERE r.id = :id AND c.id = r.campaign_id AND r.last_call_id = :call AND r.status = 'in_progress'
                   AND r.last_outcome IS DISTINCT FROM 'not_placed'""")
                .param("id", recipientId).param("call", callId).update() == 1;
    }

    /** A campaign call that has ended: its recipient, the call, the recipient's status from it and its outcome. */
    public record Outcome(UUID recipientId, UUID callId, String status, String outcome) {
    }

    /**
     * Campaign calls have ended, each with its {@code status} (completed, no_answer, busy or failed): a recipient
     * is tried again after its campaign's delay when that status is one the campaign retries and attempts are left,
     * and cancelled when the campaign was. Only a recipient's current call can end it. One statement for a webhook
     * batch's calls (it was one per call: 24,000 statements for 24,000 dials in the dispatch benchmark).
     */
    public void recordOutcomes(List<Outcome> outcomes, Instant now) {
        if (outcomes.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE campaign_recipients r
                   SET status = CASE WHEN c.status = 'cancelled' THEN 'cancelled'
                                     WHEN v.status = ANY(c.retry_on) AND r.attempts < c.retry_max_attempts THEN 'pending'
                                     ELSE v.status END,
                       next_attempt_at = CASE WHEN c.status <> 'cancelled' AND v.status = ANY(c.retry_on)
                                                   AND r.attempts < c.retry_max_attempts
                                              THEN :now + make_interval(mins => c.retry_delay_minutes) END,
                       last_outcome = v.outcome
                  FROM unnest(:ids, :calls, :statuses, :outcomes) AS v(id, call, status, outcome), campaigns c
                 WHERE r.id = v.id AND c.id = r.campaign_id AND r.last_call_id = v.call AND r.status = 'in_progress'""")
                .param("ids", outcomes.stream().map(Outcome::recipientId).toArray(UUID[]::new))
                .param("calls", outcomes.stream().map(Outcome::callId).toArray(UUID[]::new))
                .param("statuses", outcomes.stream().map(Outcome::status).toArray(String[]::new))
                .param("outcomes", outcomes.stream().map(Outcome::outcome).toArray(String[]::new))
                .param("now", Campaigns.utc(now)).update();
    }

    /** The pending recipients of a cancelled campaign are cancelled. */
    public int cancelPending(UUID campaignId) {
        return jdbc.sql("UPDATE campaign_recipients SET status = 'cancelled', next_attempt_at = NULL "
                + "WHERE campaign_id = :campaign AND status = 'pending'").param("campaign", campaignId).update();
    }

    /**
     * Cancels the recipients still pending in cancelled campaigns: a call that ended while its campaign was being
     * cancelled read the campaign as running and put its recipient back for a retry, after the cancel had
     * cancelled the pending ones. Returns how many.
     */
    public int cancelPendingOfCancelledCampaigns() {
        return jdbc.sql("""
                UPDATE campaign_recipients r SET status = 'cancelled', next_attempt_at = NULL
                  FROM campaigns c
                 WHERE c.status = 'cancelled' AND r.campaign_id = c.id AND r.status = 'pending'""").update();
    }

    /** The calls in flight of a campaign. */
    public List<UUID> callsInFlight(UUID campaignId) {
        return jdbc.sql("SELECT last_call_id FROM campaign_recipients WHERE campaign_id = :campaign "
                + "AND status = 'in_progress' AND last_call_id IS NOT NULL").param("campaign", campaignId)
                .query(UUID.class).list();
    }

    private static RecipientView view(ResultSet rs, int n) throws SQLException {
        OffsetDateTime next = rs.getObject("next_attempt_at", OffsetDateTime.class);
        return new RecipientView(rs.getObject("id", UUID.class), rs.getString("phone_number"),
                rs.getObject("contact_id", UUID.class), rs.getString("name"), rs.getString("time_zone"),
                rs.getString("status"), rs.getInt("attempts"), rs.getObject("last_call_id", UUID.class),
                rs.getString("last_outcome"), next == null ? null : next.toInstant());
    }
}
