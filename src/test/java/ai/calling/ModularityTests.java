package ai.calling;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Feature packages only use each other through their public API; internals stay internal. */
@Tag("unit")
class ModularityTests {

    @Test
    void featureBoundariesHold() {
        ApplicationModules.of(Application.class).verify();
    }
}
