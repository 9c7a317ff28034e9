package ai.calling.auth.internal;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

/** A tenant: every user-owned row in the product carries this id. */
@Entity
@Table(name = "users")
public class UserAccount {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false)
    private String email;

    @Column(nullable = false)
    private String name;

    /**
     * Read-only here: only the credit ledger moves the balance (one SQL statement under the row's lock).
     * Writing it back from this entity would overwrite a movement committed after the entity was loaded.
     */
    @Column(nullable = false, updatable = false)
    private int credits;

    /** The account's own cap on calls in progress; null: the platform default applies. */
    private Integer maxConcurrentCalls;

    @Column(nullable = false)
    private String role = "user";

    private String passwordHash;

    @Column(nullable = false)
    private boolean emailVerified;

    @Column(nullable = false)
    private boolean isActive = true;

    @Column(nullable = false)
    private String authProvider = "email";

    private String openaiIndividualPromptId;

    private String openaiCompletePromptId;

    /** Set when the owner closed the account (then never active again); null otherwise. */
    private Instant closedAt;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected UserAccount() {
    }

    public UserAccount(String email, String name, int credits) {
        this.email = email;
        this.name = name;
        this.credits = credits;
    }

    public UUID getId() { return id; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public int getCredits() { return credits; }
    public void setCredits(int credits) { this.credits = credits; }
    public Integer getMaxConcurrentCalls() { return maxConcurrentCalls; }
    public void setMaxConcurrentCalls(Integer cap) { this.maxConcurrentCalls = cap; }
    public String getRole() { return role; }
    public void setRole(String role) { this.role = role; }
    public String getPasswordHash() { return passwordHash; }
    public void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
    public boolean isEmailVerified() { return emailVerified; }
    public void setEmailVerified(boolean emailVerified) { this.emailVerified = emailVerified; }
    public boolean isActive() { return isActive; }
    public void setActive(boolean active) { this.isActive = active; }
    public String getAuthProvider() { return authProvider; }
    public void setAuthProvider(String authProvider) { this.authProvider = authProvider; }
    public String getOpenaiIndividualPromptId() { return openaiIndividualPromptId; }
    public void setOpenaiIndividualPromptId(String id) { this.openaiIndividualPromptId = id; }
    public String getOpenaiCompletePromptId() { return openaiCompletePromptId; }
    public void setOpenaiCompletePromptId(String id) { this.openaiCompletePromptId = id; }
    public Instant getClosedAt() { return closedAt; }
    public void setClosedAt(Instant closedAt) { this.closedAt = closedAt; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
