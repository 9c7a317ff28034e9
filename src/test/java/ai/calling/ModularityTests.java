package ai.calling;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Feature packages only use each other through their public API; internals stay internal. */
class ModularityTests {

    @Test
    void featureBoundariesHold() {
        ApplicationModules.of(Application.class).verify();
    }
}
