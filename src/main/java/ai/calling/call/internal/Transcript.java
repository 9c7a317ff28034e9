package ai.calling.call.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.annotations.UuidGenerator;
import org.hibernate.type.SqlTypes;

/** The text of one call, with its turns, and where its lead analysis stands. */
@Entity
@Table(name = "transcripts")
public class Transcript {

    @Id
    // time-ordered: new rows append to the primary key's index (decision 0059)
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private UUID callId;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    @Column(nullable = false)
    private String content;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<SpeakerSegment> speakerSegments = new ArrayList<>();

    @Column(nullable = false)
    private String analysisStatus = "pending";

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected Transcript() {
    }

    public Transcript(UUID userId, UUID callId, String content, List<SpeakerSegment> speakerSegments) {
        this.userId = userId;
        this.callId = callId;
        this.content = content;
        this.speakerSegments = new ArrayList<>(speakerSegments);
    }

    public UUID getId() { return id; }
    public UUID getCallId() { return callId; }
    public UUID getUserId() { return userId; }
    public String getContent() { return content; }
    public void setContent(String content) { this.content = content; }
    public List<SpeakerSegment> getSpeakerSegments() { return speakerSegments; }
    public void setSpeakerSegments(List<SpeakerSegment> segments) { this.speakerSegments = new ArrayList<>(segments); }
    public String getAnalysisStatus() { return analysisStatus; }
    public void setAnalysisStatus(String analysisStatus) { this.analysisStatus = analysisStatus; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
