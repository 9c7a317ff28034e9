package ai.calling.agent.internal;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.UpdateTimestamp;

/**
 * An admin-managed caller number (E.164), assigned to at most one agent. Updates write only the columns this
 * entity changed: the whole row, written from an earlier read, put back what another transaction had changed
 * meanwhile (another admin's deactivation, an agent's deletion).
 */
@DynamicUpdate
@Entity
@Table(name = "phone_numbers")
public class PhoneNumber {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String phoneNumber;

    private UUID assignedToAgentId;

    private UUID createdByAdminId;

    @Column(nullable = false)
    private boolean isActive = true;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected PhoneNumber() {
    }

    public PhoneNumber(String name, String phoneNumber, UUID createdByAdminId) {
        this.name = name;
        this.phoneNumber = phoneNumber;
        this.createdByAdminId = createdByAdminId;
    }

    public UUID getId() { return id; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getPhoneNumber() { return phoneNumber; }
    public void setPhoneNumber(String phoneNumber) { this.phoneNumber = phoneNumber; }
    public UUID getAssignedToAgentId() { return assignedToAgentId; }
    public void setAssignedToAgentId(UUID agentId) { this.assignedToAgentId = agentId; }
    public UUID getCreatedByAdminId() { return createdByAdminId; }
    public boolean isActive() { return isActive; }
    public void setActive(boolean active) { this.isActive = active; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
