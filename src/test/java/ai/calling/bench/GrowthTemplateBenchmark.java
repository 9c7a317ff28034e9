package ai.calling.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Builds a seeded template database for the growth benchmarks (issue 26, goal 3; run by bench/growth.sh):
 * database {@code bench.template} on the server of TEST_DATABASE_URL, migrated by this build's Flyway and
 * seeded by bench/seed-growth.sql set-based with {@code bench.users} accounts and {@code bench.calls}
 * calls, then vacuumed and analysed. The benchmarks then run on copies of it
 * ({@code -Dtest.database.template=...}), so the seed is paid once per size.
 */
class GrowthTemplateBenchmark {

    @Test
    void build() throws Exception {
        String name = System.getProperty("bench.template");
        if (name == null || !name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("-Dbench.template=<database name> ([a-z0-9_]+) is required");
        }
        String adminUrl = System.getenv().getOrDefault("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = System.getenv().getOrDefault("TEST_DATABASE_USERNAME", "postgres");
        String password = System.getenv().getOrDefault("TEST_DATABASE_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        String url = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        long started = System.nanoTime();
        Flyway.configure().dataSource(url, user, password).load().migrate();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("SET bench.users = " + Integer.getInteger("bench.users", 10_000));
            statement.execute("SET bench.calls = " + Long.getLong("bench.calls", 10_000_000L));
            long seeding = System.nanoTime();
            statement.execute(Files.readString(Path.of("bench/seed-growth.sql")));
            System.out.printf("growth_seed_s=%.1f%n", (System.nanoTime() - seeding) / 1e9);
            long vacuum = System.nanoTime();
            statement.execute("VACUUM ANALYZE");
            System.out.printf("growth_vacuum_analyze_s=%.1f%n", (System.nanoTime() - vacuum) / 1e9);
            try (ResultSet sizes = statement.executeQuery("""
                    SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM calls), (SELECT count(*) FROM lead_analytics),
                           (SELECT count(*) FROM agent_analytics), pg_size_pretty(pg_database_size(current_database()))""")) {
                sizes.next();
                System.out.printf("growth_template=%s users=%d calls=%d lead_analyses=%d agent_days=%d size=%s%n", name,
                        sizes.getLong(1), sizes.getLong(2), sizes.getLong(3), sizes.getLong(4), sizes.getString(5));
            }
        }
        System.out.printf("growth_template_built_s=%.1f%n", (System.nanoTime() - started) / 1e9);
    }
}
