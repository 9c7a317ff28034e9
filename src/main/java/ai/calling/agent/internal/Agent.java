package ai.calling.agent.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.type.SqlTypes;

/**
 * A Bolna.ai voice agent owned by one user. The JSONB configurations are Bolna's own shapes. Updates write only
 * the columns this entity changed: the whole row, written from an earlier read, put back what another transaction
 * had changed meanwhile (a deactivation or a deletion).
 */
@DynamicUpdate
@Entity
@Table(name = "agents")
public class Agent {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    @Column(nullable = false)
    private String bolnaAgentId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String agentType = "call";

    private String description;

    @Column(nullable = false)
    private boolean isActive = true;

    private String bolnaWebhookUrl;

    @Column(nullable = false)
    private int maxCallDurationSeconds = 600;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> bolnaVoiceConfig = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> bolnaLlmConfig = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Object> bolnaTaskConfig = new LinkedHashMap<>();

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    @UpdateTimestamp
    @Column(nullable = false)
    private Instant updatedAt;

    protected Agent() {
    }

    public Agent(UUID userId, String bolnaAgentId, String name) {
        this.userId = userId;
        this.bolnaAgentId = bolnaAgentId;
        this.name = name;
    }

    public UUID getId() { return id; }
    public UUID getUserId() { return userId; }
    public String getBolnaAgentId() { return bolnaAgentId; }
    public void setBolnaAgentId(String bolnaAgentId) { this.bolnaAgentId = bolnaAgentId; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getAgentType() { return agentType; }
    public void setAgentType(String agentType) { this.agentType = agentType; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public boolean isActive() { return isActive; }
    public void setActive(boolean active) { this.isActive = active; }
    public int getMaxCallDurationSeconds() { return maxCallDurationSeconds; }
    public void setMaxCallDurationSeconds(int seconds) { this.maxCallDurationSeconds = seconds; }
    public String getBolnaWebhookUrl() { return bolnaWebhookUrl; }
    public void setBolnaWebhookUrl(String url) { this.bolnaWebhookUrl = url; }
    public Map<String, Object> getBolnaVoiceConfig() { return bolnaVoiceConfig; }
    public void setBolnaVoiceConfig(Map<String, Object> config) { this.bolnaVoiceConfig = config; }
    public Map<String, Object> getBolnaLlmConfig() { return bolnaLlmConfig; }
    public void setBolnaLlmConfig(Map<String, Object> config) { this.bolnaLlmConfig = config; }
    public Map<String, Object> getBolnaTaskConfig() { return bolnaTaskConfig; }
    public void setBolnaTaskConfig(Map<String, Object> config) { this.bolnaTaskConfig = config; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
