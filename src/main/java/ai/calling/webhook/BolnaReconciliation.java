package ai.calling.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import ai.calling.agent.BolnaClient;
import ai.calling.common.ApiException;
import ai.calling.config.BolnaProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lost webhooks: calls still unfinished {@code reconcile-after} after they started are fetched from
 * Bolna's API and applied exactly like a delivery (stored as an event with source reconciliation),
 * so they end in the right state with the right charge.
 */
@Service
public class BolnaReconciliation {

    private static final Logger log = LoggerFactory.getLogger(BolnaReconciliation.class);

    private final JdbcClient jdbc;
    private final BolnaClient bolna;
    private final BolnaProperties properties;
    private final BolnaWebhookService webhooks;
    private final JsonMapper json;

    BolnaReconciliation(JdbcClient jdbc, BolnaClient bolna, BolnaProperties properties, BolnaWebhookService webhooks,
            JsonMapper json) {
        this.jdbc = jdbc;
        this.bolna = bolna;
        this.properties = properties;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** Returns how many executions were fetched and applied. */
    public int reconcile() {
        if (!properties.apiConfigured()) {
            return 0;
        }
        List<String> stale = jdbc.sql("""
                SELECT bolna_execution_id FROM calls
                 WHERE status = 'in_progress' AND created_at < :before ORDER BY created_at LIMIT 100""")
                .param("before", OffsetDateTime.ofInstant(Instant.now().minus(properties.reconcileAfter()),
                        ZoneOffset.UTC))
                .query(String.class).list();
        int applied = 0;
        for (String executionId : stale) {
            try {
                JsonNode execution = bolna.getExecution(executionId);
                webhooks.receiveAndProcess(json.writeValueAsString(execution), "reconciliation");
                applied++;
            } catch (ApiException e) {
                log.warn("Reconciliation could not fetch execution {}: {}", executionId, e.getMessage());
            }
        }
        return applied;
    }
}
