package ai.calling.lead.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/** A follow-up a user scheduled for a lead (identified by phone number). */
@Entity
@Table(name = "follow_ups")
public class FollowUp {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    @Column(nullable = false)
    private String leadPhone;

    private String leadEmail;

    private String leadName;

    @Column(nullable = false)
    private LocalDate followUpDate;

    private String remark;

    @Column(nullable = false)
    private boolean isCompleted;

    @Column(nullable = false)
    private String followUpStatus = "pending";

    private UUID createdBy;

    private Instant completedAt;

    private UUID completedBy;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected FollowUp() {
    }

    public FollowUp(UUID userId, String leadPhone, LocalDate followUpDate, UUID createdBy) {
        this.userId = userId;
        this.leadPhone = leadPhone;
        this.followUpDate = followUpDate;
        this.createdBy = createdBy;
    }

    public UUID getId() { return id; }
    public UUID getUserId() { return userId; }
    public String getLeadPhone() { return leadPhone; }
    public String getLeadEmail() { return leadEmail; }
    public void setLeadEmail(String leadEmail) { this.leadEmail = leadEmail; }
    public String getLeadName() { return leadName; }
    public void setLeadName(String leadName) { this.leadName = leadName; }
    public LocalDate getFollowUpDate() { return followUpDate; }
    public void setFollowUpDate(LocalDate date) { this.followUpDate = date; }
    public String getRemark() { return remark; }
    public void setRemark(String remark) { this.remark = remark; }
    public boolean isCompleted() { return isCompleted; }
    public String getFollowUpStatus() { return followUpStatus; }
    public UUID getCreatedBy() { return createdBy; }
    public Instant getCompletedAt() { return completedAt; }
    public UUID getCompletedBy() { return completedBy; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    /** Moves the follow-up to a status, keeping is_completed and the completion stamps consistent. */
    public void changeStatus(String status, UUID byUser, Instant at) {
        this.followUpStatus = status;
        this.isCompleted = "completed".equals(status);
        this.completedAt = isCompleted ? at : null;
        this.completedBy = isCompleted ? byUser : null;
    }
}
