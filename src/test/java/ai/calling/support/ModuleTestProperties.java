package ai.calling.support;

/**
 * The settings an {@code @ApplicationModuleTest} needs to start a slice of the application against
 * this run's database (with {@code @ContextConfiguration(initializers = TestDatabaseInitializer.class)}):
 * the same keys, pool limits and switched-off background jobs as {@link IntegrationTest}, no server.
 */
public final class ModuleTestProperties {

    public static final String JWT = "app.security.jwt-secret=" + TestDatabase.JWT_SECRET;
    public static final String NO_PREFLIGHT = "app.database.preflight=false";
    public static final String NO_COMPOSE = "spring.docker.compose.enabled=false";
    public static final String NO_JOBS = "app.jobs.enabled=false";
    public static final String NO_DISPATCH = "app.campaigns.dispatch=false";
    public static final String SMALL_POOL = "spring.datasource.hikari.maximum-pool-size=5";
    public static final String SHRINKING_POOL = "spring.datasource.hikari.idle-timeout=10000";
    public static final String ONE_IDLE = "spring.datasource.hikari.minimum-idle=1";

    private ModuleTestProperties() {
    }
}
