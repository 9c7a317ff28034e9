package ai.calling.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Service;

import ai.calling.config.internal.SystemConfigEntry;
import ai.calling.config.internal.SystemConfigQueries;
import ai.calling.config.internal.SystemConfigRepository;

/**
 * The runtime policies kept in {@code system_config} (credits per minute, lockout, password length,
 * feature flags, ...), read through a short in-process cache. A value that is missing or does not
 * parse falls back to the given default, so a bad edit of the table cannot break sign-in.
 */
@Service
public class SystemSettings {

    public static final String CREDITS_PER_MINUTE = "credits_per_minute";
    public static final String NEW_USER_BONUS_CREDITS = "new_user_bonus_credits";
    public static final String MINIMUM_CREDIT_PURCHASE = "minimum_credit_purchase";
    public static final String SESSION_DURATION_HOURS = "session_duration_hours";
    public static final String MAX_LOGIN_ATTEMPTS = "max_login_attempts";
    public static final String LOCKOUT_DURATION_MINUTES = "lockout_duration_minutes";
    public static final String PASSWORD_MIN_LENGTH = "password_min_length";
    public static final String REQUIRE_EMAIL_VERIFICATION = "require_email_verification";
    public static final String PASSWORD_RESET_TOKEN_EXPIRY_HOURS = "password_reset_token_expiry_hours";
    public static final String KPI_REFRESH_INTERVAL_MINUTES = "kpi_refresh_interval_minutes";
    public static final String MAX_CONTACTS_PER_UPLOAD = "max_contacts_per_upload";
    public static final String WEBHOOK_EVENT_RETENTION_DAYS = "webhook_event_retention_days";
    public static final String DEFAULT_MAX_CALL_DURATION_SECONDS = "default_max_call_duration_seconds";
    public static final String MAX_CONCURRENT_CALLS_PER_USER = "max_concurrent_calls_per_user";
    public static final String LOW_CREDIT_THRESHOLD = "low_credit_threshold";

    private final SystemConfigRepository repository;
    private final SystemConfigQueries queries;
    private final Cache<String, Optional<String>> cache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30)).maximumSize(500).build();

    SystemSettings(SystemConfigRepository repository, SystemConfigQueries queries) {
        this.repository = repository;
        this.queries = queries;
    }

    /** Every setting as stored (an encrypted value as its ciphertext), for the admin console. */
    public List<Setting> all() {
        return queries.all();
    }

    public Optional<Setting> find(String key) {
        return queries.find(key);
    }

    /** Stores a value (already validated, and encrypted where the setting is); it applies at once. */
    public void store(String key, String storedValue, UUID updatedBy) {
        queries.update(key, storedValue, updatedBy);
        evict(key);
    }

    /** One row of system_config. */
    public record Setting(String key, String value, boolean encrypted, String description, Instant updatedAt) {
    }

    public int intValue(String key, int defaultValue) {
        return value(key).flatMap(SystemSettings::parseInt).orElse(defaultValue);
    }

    public boolean flag(String key, boolean defaultValue) {
        return value(key).map(String::trim).map(v -> v.equalsIgnoreCase("true")).orElse(defaultValue);
    }

    public Optional<String> value(String key) {
        return cache.get(key, k -> repository.findByConfigKey(k).map(SystemConfigEntry::getConfigValue));
    }

    /** Forget cached values after an edit of system_config, so the new value applies at once. */
    public void evict(String key) {
        cache.invalidate(key);
    }

    private static Optional<Integer> parseInt(String raw) {
        try {
            return Optional.of(Integer.parseInt(raw.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
