package ai.calling.auth.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import ai.calling.common.ApiException;
import ai.calling.config.SystemSettings;

/**
 * What a password must be: at least {@code password_min_length} characters (8 by default, never
 * fewer than 8), at most 128 and at most 72 bytes in UTF-8 (what bcrypt hashes: it refuses more, and
 * that was a 500), not one of the most common passwords, not the e-mail address and not one character
 * repeated.
 */
@Component
public class PasswordPolicy {

    public static final int MAX_LENGTH = 128;
    /** bcrypt reads at most 72 bytes; Spring Security's encoder refuses a longer password. */
    static final int MAX_BYTES = 72;
    private static final int FLOOR = 8;

    private final SystemSettings settings;
    private final Set<String> common;

    PasswordPolicy(SystemSettings settings) {
        this.settings = settings;
        this.common = load();
    }

    /** Throws a 400 naming {@code field} when the password breaks a rule. */
    public void check(String field, String password, String email) {
        int minLength = Math.min(MAX_LENGTH, Math.max(FLOOR, settings.intValue(SystemSettings.PASSWORD_MIN_LENGTH, FLOOR)));
        if (password.length() < minLength) {
            throw ApiException.invalidField(field, "must be at least " + minLength + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw ApiException.invalidField(field, "must be at most " + MAX_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.invalidField(field, "must be at most " + MAX_BYTES
                    + " bytes in UTF-8 (72 letters without accents; accented and non-Latin letters take 2-4 bytes each)");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower)) {
            throw ApiException.invalidField(field, "is too common; choose a less guessable password");
        }
        if (email != null && (lower.equals(email) || lower.equals(email.substring(0, Math.max(0, email.indexOf('@')))))) {
            throw ApiException.invalidField(field, "must not be your e-mail address");
        }
        if (password.chars().distinct().count() == 1) {
            throw ApiException.invalidField(field, "must not be one character repeated");
        }
    }

    private static Set<String> load() {
        ClassPathResource list = new ClassPathResource("auth/common-passwords.txt");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(list.getInputStream(), StandardCharsets.UTF_8))) {
            return reader.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("The common-password list is missing from the classpath", e);
        }
    }
}
