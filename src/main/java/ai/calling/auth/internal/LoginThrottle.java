package ai.calling.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import ai.calling.common.ApiException;
import ai.calling.config.SystemSettings;

/**
 * The lockout rule: after {@code max_login_attempts} credential failures for an email within
 * {@code lockout_duration_minutes} (counted since its last successful sign-in), every attempt
 * answers 429 until the oldest of those failures leaves the window, even with the right password.
 */
@Component
class LoginThrottle {

    private final LoginAttemptRepository attempts;
    private final SystemSettings settings;
    private final Clock clock;

    LoginThrottle(LoginAttemptRepository attempts, SystemSettings settings, Clock clock) {
        this.attempts = attempts;
        this.settings = settings;
        this.clock = clock;
    }

    void checkNotLocked(String email) {
        int maxAttempts = Math.max(1, settings.intValue(SystemSettings.MAX_LOGIN_ATTEMPTS, 5));
        Duration window = Duration.ofMinutes(Math.max(1, settings.intValue(SystemSettings.LOCKOUT_DURATION_MINUTES, 15)));
        Instant now = clock.instant();
        List<Instant> failures = attempts.recentFailures(email, now.minus(window), maxAttempts);
        if (failures.size() >= maxAttempts) {
            Instant unlockedAt = failures.getLast().plus(window);
            long retryAfter = Math.max(1, Duration.between(now, unlockedAt).toSeconds() + 1);
            throw ApiException.tooManyRequests("Too many failed sign-in attempts for this account; try again in "
                    + retryAfter + " seconds", retryAfter);
        }
    }
}
