package ai.calling.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.AdminAudit;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.config.SystemSettings;

/**
 * system_config for admins: every known key is validated by its type (integer ranges, booleans)
 * before it is stored; values marked is_encrypted are stored with AES-GCM under
 * {@code CONFIG_ENCRYPTION_KEY} and never returned in clear. Changes apply at once (the settings
 * cache is evicted) and are audited.
 */
@Service
public class SystemConfigService {

    static final Map<String, int[]> INTEGER_RANGES = Map.ofEntries(
            Map.entry("credits_per_minute", new int[] { 1, 100 }),
            Map.entry("new_user_bonus_credits", new int[] { 0, 100_000 }),
            Map.entry("minimum_credit_purchase", new int[] { 1, 1_000_000 }),
            Map.entry("session_duration_hours", new int[] { 1, 720 }),
            Map.entry("max_login_attempts", new int[] { 1, 100 }),
            Map.entry("lockout_duration_minutes", new int[] { 1, 1440 }),
            Map.entry("password_min_length", new int[] { 8, 128 }),
            Map.entry("password_reset_token_expiry_hours", new int[] { 1, 72 }),
            Map.entry("kpi_refresh_interval_minutes", new int[] { 1, 1440 }),
            Map.entry("max_contacts_per_upload", new int[] { 1, 100_000 }),
            Map.entry("webhook_event_retention_days", new int[] { 1, 3650 }),
            Map.entry("default_max_call_duration_seconds", new int[] { 30, 3600 }),
            Map.entry("max_concurrent_calls_per_user", new int[] { 0, 1000 }));

    private final SystemSettings settings;
    private final AdminAudit audit;
    private final byte[] encryptionKey;

    SystemConfigService(SystemSettings settings, AdminAudit audit,
            @Value("${app.config-encryption-key:}") String encryptionKey) {
        this.settings = settings;
        this.audit = audit;
        this.encryptionKey = encryptionKey == null || encryptionKey.isBlank() ? null
                : Base64.getDecoder().decode(encryptionKey.trim());
        if (this.encryptionKey != null && this.encryptionKey.length != 32) {
            throw new IllegalArgumentException("CONFIG_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
        }
    }

    public List<ConfigEntry> list() {
        return settings.all().stream().map(SystemConfigService::entry).toList();
    }

    public ConfigEntry get(String key) {
        return settings.find(key).map(SystemConfigService::entry)
                .orElseThrow(() -> ApiException.notFound("The setting " + key));
    }

    @Transactional
    public ConfigEntry set(CurrentUser admin, String key, String value, HttpServletRequest request) {
        ConfigEntry current = get(key);
        if (value == null) {
            throw ApiException.invalidField("value", "is required");
        }
        String stored = validate(key, value.trim());
        if (current.isEncrypted()) {
            stored = encrypt(stored);
        }
        settings.store(key, stored, admin.memberId());
        audit.record(admin, "config.changed", "system_config", key, null,
                Map.of("from", current.isEncrypted() ? "***" : current.value(),
                        "to", current.isEncrypted() ? "***" : stored), request);
        return get(key);
    }

    static String validate(String key, String value) {
        int[] range = INTEGER_RANGES.get(key);
        if (range != null) {
            try {
                int number = Integer.parseInt(value);
                if (number < range[0] || number > range[1]) {
                    throw ApiException.invalidField("value", "must be between " + range[0] + " and " + range[1]);
                }
                return String.valueOf(number);
            } catch (NumberFormatException e) {
                throw ApiException.invalidField("value", "must be a whole number");
            }
        }
        if (key.startsWith("feature_") || key.equals("require_email_verification")) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw ApiException.invalidField("value", "must be true or false");
            }
            return value.toLowerCase();
        }
        if (value.length() > 10_000) {
            throw ApiException.invalidField("value", "is too long");
        }
        return value;
    }

    private String encrypt(String value) {
        if (encryptionKey == null) {
            throw ApiException.unavailable("Encrypted settings need CONFIG_ENCRYPTION_KEY on this server");
        }
        try {
            byte[] iv = new byte[12];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return "enc:v1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** An encrypted value is never returned in clear. */
    private static ConfigEntry entry(SystemSettings.Setting setting) {
        return new ConfigEntry(setting.key(), setting.encrypted() ? "***" : setting.value(), setting.encrypted(),
                setting.description(), setting.updatedAt());
    }

    public record ConfigEntry(String key, String value, boolean isEncrypted, String description, Instant updatedAt) {
    }
}
