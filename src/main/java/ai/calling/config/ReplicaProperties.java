package ai.calling.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A streaming read replica of the primary database, for reports (decision 0018). Unset URL: no
 * replica, every query goes to the primary.
 *
 * @param url             JDBC URL of the replica ({@code SPRING_DATASOURCE_REPLICA_URL})
 * @param username        its user; blank means the primary's ({@code SPRING_DATASOURCE_REPLICA_USERNAME})
 * @param password        its password; blank means the primary's ({@code SPRING_DATASOURCE_REPLICA_PASSWORD})
 * @param maximumPoolSize connections to the replica at most ({@code DB_REPLICA_POOL_SIZE})
 */
@ConfigurationProperties("app.datasource.replica")
public record ReplicaProperties(String url, String username, String password,
        @DefaultValue("10") int maximumPoolSize) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}
