package ai.calling.config.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.config.SystemSettings.Setting;

/** SQL of system_config for the settings' administration. */
@Repository
public class SystemConfigQueries {

    private static final String COLUMNS = "config_key, config_value, is_encrypted, description, updated_at";

    private final JdbcClient jdbc;

    SystemConfigQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Setting> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM system_config ORDER BY config_key").query(SystemConfigQueries::row)
                .list();
    }

    public Optional<Setting> find(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM system_config WHERE config_key = :key").param("key", key)
                .query(SystemConfigQueries::row).optional();
    }

    public void update(String key, String value, UUID updatedBy) {
        jdbc.sql("UPDATE system_config SET config_value = :value, updated_by = :by WHERE config_key = :key")
                .param("value", value).param("by", updatedBy).param("key", key).update();
    }

    private static Setting row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime updated = rs.getObject("updated_at", OffsetDateTime.class);
        return new Setting(rs.getString("config_key"), rs.getString("config_value"), rs.getBoolean("is_encrypted"),
                rs.getString("description"), updated == null ? null : updated.toInstant());
    }
}
