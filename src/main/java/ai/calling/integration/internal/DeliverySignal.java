package ai.calling.integration.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/** Wakes this instance's idle delivery workers when an event was committed here (others poll). */
@Component
public class DeliverySignal {

    private final Semaphore permits = new Semaphore(0);

    public void wake() {
        if (permits.availablePermits() < 64) {
            permits.release(4);
        }
    }

    /** Waits for a wake-up or the timeout; true when woken. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (woken) {
            permits.drainPermits();
        }
        return woken;
    }
}
