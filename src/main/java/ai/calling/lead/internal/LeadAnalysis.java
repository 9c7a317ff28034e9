package ai.calling.lead.internal;

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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An AI lead analysis (table lead_analytics): {@code individual} for one call, or
 * {@code complete} for everything said with one phone number (one row per user and phone).
 */
@Entity
@Table(name = "lead_analytics")
public class LeadAnalysis {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    @Column(nullable = false)
    private UUID callId;

    @Column(nullable = false, updatable = false)
    private UUID userId;

    private String phoneNumber;

    @Column(nullable = false, updatable = false)
    private String analysisType = "individual";

    @Column(nullable = false)
    private int previousCallsAnalyzed;

    private UUID latestCallId;

    @Column(nullable = false)
    private Instant analysisTimestamp = Instant.now();

    private String intentLevel;
    private Integer intentScore;
    private String urgencyLevel;
    private Integer urgencyScore;
    private String budgetConstraint;
    private Integer budgetScore;
    private String fitAlignment;
    private Integer fitScore;
    private String engagementHealth;
    private Integer engagementScore;
    private Integer totalScore;
    private String leadStatusTag;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, String> reasoning = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, Boolean> ctaInteractions = new LinkedHashMap<>();

    private String companyName;
    private String extractedName;
    private String extractedEmail;

    @Column(nullable = false)
    private boolean ctaPricingClicked;
    @Column(nullable = false)
    private boolean ctaDemoClicked;
    @Column(nullable = false)
    private boolean ctaFollowupClicked;
    @Column(nullable = false)
    private boolean ctaSampleClicked;
    @Column(nullable = false)
    private boolean ctaEscalatedToHuman;

    private String smartNotification;
    private String demoBookDatetime;

    @Column(nullable = false)
    private boolean isRead;

    @CreationTimestamp
    @Column(nullable = false, updatable = false)
    private Instant createdAt;

    protected LeadAnalysis() {
    }

    public LeadAnalysis(UUID userId, UUID callId, String analysisType, String phoneNumber) {
        this.userId = userId;
        this.callId = callId;
        this.analysisType = analysisType;
        this.phoneNumber = phoneNumber;
    }

    public UUID getId() { return id; }
    public UUID getCallId() { return callId; }
    public void setCallId(UUID callId) { this.callId = callId; }
    public UUID getUserId() { return userId; }
    public String getPhoneNumber() { return phoneNumber; }
    public String getAnalysisType() { return analysisType; }
    public int getPreviousCallsAnalyzed() { return previousCallsAnalyzed; }
    public void setPreviousCallsAnalyzed(int count) { this.previousCallsAnalyzed = count; }
    public UUID getLatestCallId() { return latestCallId; }
    public void setLatestCallId(UUID latestCallId) { this.latestCallId = latestCallId; }
    public Instant getAnalysisTimestamp() { return analysisTimestamp; }
    public void setAnalysisTimestamp(Instant at) { this.analysisTimestamp = at; }
    public String getIntentLevel() { return intentLevel; }
    public void setIntentLevel(String v) { this.intentLevel = v; }
    public Integer getIntentScore() { return intentScore; }
    public void setIntentScore(Integer v) { this.intentScore = v; }
    public String getUrgencyLevel() { return urgencyLevel; }
    public void setUrgencyLevel(String v) { this.urgencyLevel = v; }
    public Integer getUrgencyScore() { return urgencyScore; }
    public void setUrgencyScore(Integer v) { this.urgencyScore = v; }
    public String getBudgetConstraint() { return budgetConstraint; }
    public void setBudgetConstraint(String v) { this.budgetConstraint = v; }
    public Integer getBudgetScore() { return budgetScore; }
    public void setBudgetScore(Integer v) { this.budgetScore = v; }
    public String getFitAlignment() { return fitAlignment; }
    public void setFitAlignment(String v) { this.fitAlignment = v; }
    public Integer getFitScore() { return fitScore; }
    public void setFitScore(Integer v) { this.fitScore = v; }
    public String getEngagementHealth() { return engagementHealth; }
    public void setEngagementHealth(String v) { this.engagementHealth = v; }
    public Integer getEngagementScore() { return engagementScore; }
    public void setEngagementScore(Integer v) { this.engagementScore = v; }
    public Integer getTotalScore() { return totalScore; }
    public void setTotalScore(Integer v) { this.totalScore = v; }
    public String getLeadStatusTag() { return leadStatusTag; }
    public void setLeadStatusTag(String v) { this.leadStatusTag = v; }
    public Map<String, String> getReasoning() { return reasoning; }
    public void setReasoning(Map<String, String> reasoning) { this.reasoning = reasoning; }
    public Map<String, Boolean> getCtaInteractions() { return ctaInteractions; }
    public void setCtaInteractions(Map<String, Boolean> cta) { this.ctaInteractions = cta; }
    public String getCompanyName() { return companyName; }
    public void setCompanyName(String v) { this.companyName = v; }
    public String getExtractedName() { return extractedName; }
    public void setExtractedName(String v) { this.extractedName = v; }
    public String getExtractedEmail() { return extractedEmail; }
    public void setExtractedEmail(String v) { this.extractedEmail = v; }
    public boolean isCtaPricingClicked() { return ctaPricingClicked; }
    public void setCtaPricingClicked(boolean v) { this.ctaPricingClicked = v; }
    public boolean isCtaDemoClicked() { return ctaDemoClicked; }
    public void setCtaDemoClicked(boolean v) { this.ctaDemoClicked = v; }
    public boolean isCtaFollowupClicked() { return ctaFollowupClicked; }
    public void setCtaFollowupClicked(boolean v) { this.ctaFollowupClicked = v; }
    public boolean isCtaSampleClicked() { return ctaSampleClicked; }
    public void setCtaSampleClicked(boolean v) { this.ctaSampleClicked = v; }
    public boolean isCtaEscalatedToHuman() { return ctaEscalatedToHuman; }
    public void setCtaEscalatedToHuman(boolean v) { this.ctaEscalatedToHuman = v; }
    public String getSmartNotification() { return smartNotification; }
    public void setSmartNotification(String v) { this.smartNotification = v; }
    public String getDemoBookDatetime() { return demoBookDatetime; }
    public void setDemoBookDatetime(String v) { this.demoBookDatetime = v; }
    public boolean isRead() { return isRead; }
    public void setRead(boolean read) { this.isRead = read; }
    public Instant getCreatedAt() { return createdAt; }
}
