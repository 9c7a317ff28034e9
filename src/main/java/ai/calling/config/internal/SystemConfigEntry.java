package ai.calling.config.internal;

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

/** One runtime setting of system_config (credit pricing, security policies, feature flags). */
@Entity
@Table(name = "system_config")
public class SystemConfigEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private String configKey;

    @Column(nullable = false)
    private String configValue;

    @Column(nullable = false)
    private boolean isEncrypted;

    private String description;

    private UUID updatedBy;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected SystemConfigEntry() {
    }

    public SystemConfigEntry(String configKey, String configValue, String description) {
        this.configKey = configKey;
        this.configValue = configValue;
        this.description = description;
    }

    public UUID getId() { return id; }
    public String getConfigKey() { return configKey; }
    public String getConfigValue() { return configValue; }
    public boolean isEncrypted() { return isEncrypted; }
    public String getDescription() { return description; }
    public UUID getUpdatedBy() { return updatedBy; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    public void change(String value, boolean encrypted, UUID byUser) {
        this.configValue = value;
        this.isEncrypted = encrypted;
        this.updatedBy = byUser;
    }
}
