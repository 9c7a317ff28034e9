package ai.calling.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ServerSettingsCheckTest {

    @Test
    void aServerWithoutAutovacuumIsWarnedAbout() {
        assertThat(ServerSettingsCheck.warnings(Map.of("autovacuum", "off", "track_counts", "on")))
                .singleElement().asString().contains("autovacuum = off");
        assertThat(ServerSettingsCheck.warnings(Map.of("autovacuum", "on", "track_counts", "off")))
                .singleElement().asString().contains("track_counts = off");
    }

    @Test
    void aServerAsPostgresqlShipsItIsNot() {
        assertThat(ServerSettingsCheck.warnings(Map.of("autovacuum", "on", "track_counts", "on"))).isEmpty();
        // a managed service that hides the settings: nothing to say
        assertThat(ServerSettingsCheck.warnings(Map.of())).isEmpty();
    }
}
