package ai.calling.lead.internal;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.generator.EventType;

/** A contact converted into a customer; its CUST-YYYY-NNNN reference is assigned by the database. */
@Entity
@Table(name = "customers")
public class Customer {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    private UUID contactId;

    /** Set by the trigger_generate_customer_reference trigger and read back after insert. */
    @Generated(event = EventType.INSERT)
    @Column(insertable = false, updatable = false)
    private String customerReferenceNumber;

    @Column(nullable = false)
    private String name;

    private String email;
    private String phone;
    private String company;

    @Column(nullable = false)
    private String status = "Active";

    @Column(nullable = false)
    private Instant conversionDate = Instant.now();

    private String originalLeadSource;
    private String assignedSalesRep;
    private Instant lastInteractionDate;
    private String notes;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected Customer() {
    }

    public Customer(UUID userId, UUID contactId, String name) {
        this.userId = userId;
        this.contactId = contactId;
        this.name = name;
    }

    public UUID getId() { return id; }
    public UUID getUserId() { return userId; }
    public UUID getContactId() { return contactId; }
    public String getCustomerReferenceNumber() { return customerReferenceNumber; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public String getPhone() { return phone; }
    public void setPhone(String phone) { this.phone = phone; }
    public String getCompany() { return company; }
    public void setCompany(String company) { this.company = company; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public Instant getConversionDate() { return conversionDate; }
    public String getOriginalLeadSource() { return originalLeadSource; }
    public void setOriginalLeadSource(String source) { this.originalLeadSource = source; }
    public String getAssignedSalesRep() { return assignedSalesRep; }
    public void setAssignedSalesRep(String rep) { this.assignedSalesRep = rep; }
    public Instant getLastInteractionDate() { return lastInteractionDate; }
    public void setLastInteractionDate(Instant at) { this.lastInteractionDate = at; }
    public String getNotes() { return notes; }
    public void setNotes(String notes) { this.notes = notes; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
