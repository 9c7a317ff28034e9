package ai.calling.contact.internal;

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
 * Someone a user's agents call; unique per (user, E.164 phone number). Updates write only the columns this entity
 * changed: the whole row, written from an earlier read, put back what another transaction had changed meanwhile (a
 * call's failure counted (not_connected), a lead analysis filling blanks, an upload).
 */
@DynamicUpdate
@Entity
@Table(name = "contacts")
public class Contact {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    private String name;

    @Column(nullable = false)
    private String phoneNumber;

    private String email;

    private String company;

    private String notes;

    @Column(nullable = false)
    private boolean isCustomer;

    private UUID autoCreatedFromCallId;

    @Column(nullable = false)
    private boolean isAutoCreated;

    private String autoCreationSource;

    @Column(nullable = false)
    private int notConnected;

    /** The member who created the contact by hand; null when imported in bulk or auto-created. */
    @Column(updatable = false)
    private UUID createdBy;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected Contact() {
    }

    public Contact(UUID userId, String phoneNumber, String name) {
        this.userId = userId;
        this.phoneNumber = phoneNumber;
        this.name = name;
    }

    public UUID getId() { return id; }
    public UUID getUserId() { return userId; }
    public UUID getCreatedBy() { return createdBy; }
    public void setCreatedBy(UUID createdBy) { this.createdBy = createdBy; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getPhoneNumber() { return phoneNumber; }
    public void setPhoneNumber(String phoneNumber) { this.phoneNumber = phoneNumber; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public String getCompany() { return company; }
    public void setCompany(String company) { this.company = company; }
    public String getNotes() { return notes; }
    public void setNotes(String notes) { this.notes = notes; }
    public boolean isCustomer() { return isCustomer; }
    public void setCustomer(boolean customer) { this.isCustomer = customer; }
    public UUID getAutoCreatedFromCallId() { return autoCreatedFromCallId; }
    public void setAutoCreatedFromCallId(UUID callId) { this.autoCreatedFromCallId = callId; }
    public boolean isAutoCreated() { return isAutoCreated; }
    public void setAutoCreated(boolean autoCreated) { this.isAutoCreated = autoCreated; }
    public String getAutoCreationSource() { return autoCreationSource; }
    public void setAutoCreationSource(String source) { this.autoCreationSource = source; }
    public int getNotConnected() { return notConnected; }
    public void setNotConnected(int notConnected) { this.notConnected = notConnected; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
