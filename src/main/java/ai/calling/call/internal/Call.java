package ai.calling.call.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.annotations.UuidGenerator;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * One phone call placed or received by an agent (the columns its lifecycle and the API use; the
 * dial's user_data is written by {@code CallDials}, and legacy columns of the original schema that nothing
 * writes any more are not mapped), keyed at Bolna by its execution id. A call we dial
 * is written before Bolna is asked to place it, so for a moment (or, when Bolna's answer is lost,
 * until a webhook or reconciliation settles it) it has no execution id.
 */
@Entity
@Table(name = "calls")
public class Call {

    @Id
    // time-ordered: new rows append to the primary key's index (decision 0059)
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private UUID agentId;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    private UUID contactId;

    /** Null only while a recorded dial has not been bound to its execution (see dialStatus). */
    private String bolnaExecutionId;

    /** dialing, confirmed or unconfirmed for calls we dialled; null for calls Bolna reported on its own. */
    private String dialStatus;

    /** The campaign and recipient that placed the call (written with the dial, never changed). */
    @Column(updatable = false)
    private UUID campaignId;

    @Column(updatable = false)
    private UUID campaignRecipientId;

    /** The member who asked for the call; null for a campaign's dials and calls Bolna reported on its own. */
    @Column(updatable = false)
    private UUID createdBy;

    @Column(nullable = false)
    private String phoneNumber;

    @Column(nullable = false)
    private String callSource = "phone";

    private String callerName;

    @Column(nullable = false)
    private String leadType = "outbound";

    @Column(nullable = false)
    private int durationMinutes;

    @Column(nullable = false)
    private int durationSeconds;

    @Column(nullable = false)
    private int creditsUsed;

    @Column(nullable = false)
    private String status = "in_progress";

    private String recordingUrl;

    /**
     * Replaced, never changed in place (the getter's view is read-only): so Hibernate keeps the loaded
     * value as its snapshot instead of a deep copy through JSON, which was about 1.5% of the dispatch
     * benchmark's JVM samples (every webhook batch loads its calls).
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(nullable = false)
    private Map<String, Object> bolnaMetadata = new LinkedHashMap<>();

    @Column(nullable = false)
    private String callLifecycleStatus = "initiated";

    private String hangupBy;

    private String hangupReason;

    private Integer hangupProviderCode;

    private Instant ringingStartedAt;

    private Instant callAnsweredAt;

    private Instant callDisconnectedAt;

    private UUID transcriptId;

    private Instant completedAt;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected Call() {
    }

    public Call(UUID userId, UUID agentId, String bolnaExecutionId, String phoneNumber) {
        this.userId = userId;
        this.agentId = agentId;
        this.bolnaExecutionId = bolnaExecutionId;
        this.phoneNumber = phoneNumber;
    }

    public UUID getId() { return id; }
    public UUID getAgentId() { return agentId; }
    public UUID getUserId() { return userId; }
    public UUID getContactId() { return contactId; }
    public void setContactId(UUID contactId) { this.contactId = contactId; }
    public String getBolnaExecutionId() { return bolnaExecutionId; }
    public void setBolnaExecutionId(String executionId) { this.bolnaExecutionId = executionId; }
    public String getDialStatus() { return dialStatus; }
    public UUID getCampaignId() { return campaignId; }
    public UUID getCreatedBy() { return createdBy; }
    public UUID getCampaignRecipientId() { return campaignRecipientId; }
    public void setDialStatus(String dialStatus) { this.dialStatus = dialStatus; }
    public String getPhoneNumber() { return phoneNumber; }
    public void setPhoneNumber(String phoneNumber) { this.phoneNumber = phoneNumber; }
    public String getCallSource() { return callSource; }
    public void setCallSource(String callSource) { this.callSource = callSource; }
    public String getCallerName() { return callerName; }
    public void setCallerName(String callerName) { this.callerName = callerName; }
    public String getLeadType() { return leadType; }
    public void setLeadType(String leadType) { this.leadType = leadType; }
    public int getDurationMinutes() { return durationMinutes; }
    public void setDurationMinutes(int minutes) { this.durationMinutes = minutes; }
    public int getDurationSeconds() { return durationSeconds; }
    public void setDurationSeconds(int seconds) { this.durationSeconds = seconds; }
    public int getCreditsUsed() { return creditsUsed; }
    public void setCreditsUsed(int creditsUsed) { this.creditsUsed = creditsUsed; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public String getRecordingUrl() { return recordingUrl; }
    public void setRecordingUrl(String recordingUrl) { this.recordingUrl = recordingUrl; }
    public Map<String, Object> getBolnaMetadata() { return Collections.unmodifiableMap(bolnaMetadata); }
    public void setBolnaMetadata(Map<String, Object> bolnaMetadata) { this.bolnaMetadata = bolnaMetadata; }
    public String getCallLifecycleStatus() { return callLifecycleStatus; }
    public void setCallLifecycleStatus(String status) { this.callLifecycleStatus = status; }
    public String getHangupBy() { return hangupBy; }
    public void setHangupBy(String hangupBy) { this.hangupBy = hangupBy; }
    public String getHangupReason() { return hangupReason; }
    public void setHangupReason(String hangupReason) { this.hangupReason = hangupReason; }
    public Integer getHangupProviderCode() { return hangupProviderCode; }
    public void setHangupProviderCode(Integer code) { this.hangupProviderCode = code; }
    public Instant getRingingStartedAt() { return ringingStartedAt; }
    public void setRingingStartedAt(Instant at) { this.ringingStartedAt = at; }
    public Instant getCallAnsweredAt() { return callAnsweredAt; }
    public void setCallAnsweredAt(Instant at) { this.callAnsweredAt = at; }
    public Instant getCallDisconnectedAt() { return callDisconnectedAt; }
    public void setCallDisconnectedAt(Instant at) { this.callDisconnectedAt = at; }
    public UUID getTranscriptId() { return transcriptId; }
    public void setTranscriptId(UUID transcriptId) { this.transcriptId = transcriptId; }
    public Instant getCompletedAt() { return completedAt; }
    public void setCompletedAt(Instant completedAt) { this.completedAt = completedAt; }
    /**
     * What the lifecycle of a call moves (a Bolna execution, its charge, its contact and transcript), as one
     * value: taken before a batch of events is applied and after, a call whose value stayed equal is not written
     * ({@link CallProgressWriter}).
     */
    public Progress progress() {
        return new Progress(contactId, bolnaExecutionId, dialStatus, callLifecycleStatus, ringingStartedAt,
                callAnsweredAt, callDisconnectedAt, hangupBy, hangupReason, hangupProviderCode, recordingUrl,
                bolnaMetadata, status, completedAt, durationSeconds, durationMinutes, creditsUsed, transcriptId);
    }

    /** The columns of a call that its lifecycle writes ({@link #progress}). */
    public record Progress(UUID contactId, String bolnaExecutionId, String dialStatus, String callLifecycleStatus,
            Instant ringingStartedAt, Instant callAnsweredAt, Instant callDisconnectedAt, String hangupBy,
            String hangupReason, Integer hangupProviderCode, String recordingUrl, Map<String, Object> bolnaMetadata,
            String status, Instant completedAt, int durationSeconds, int durationMinutes, int creditsUsed,
            UUID transcriptId) {
    }

    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
