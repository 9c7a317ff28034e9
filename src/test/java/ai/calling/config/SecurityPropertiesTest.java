package ai.calling.config;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The production jar refuses to start without a JWT key of 32+ bytes, and says how to make one. */
@Tag("unit")
class SecurityPropertiesTest {

    @Test
    void aMissingOrBlankKeyStopsStartUpWithAnExplanation() {
        for (String missing : new String[] { null, "", "  " }) {
            assertThatIllegalArgumentException().isThrownBy(() -> withKey(missing))
                    .withMessageContaining("JWT_SECRET is not set").withMessageContaining("openssl rand")
                    .withMessageContaining(".data/jwt-secret");
        }
    }

    @Test
    void aShortKeyStopsStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> withKey("too-short"))
                .withMessageContaining("at least 32 bytes");
    }

    @Test
    void aLongEnoughKeyIsAccepted() {
        assertThatNoException().isThrownBy(() -> withKey("0123456789abcdef0123456789abcdef"));
    }

    private static SecurityProperties withKey(String key) {
        return new SecurityProperties(key, Duration.ofMinutes(15), null, null, List.of(), 60, null);
    }
}
