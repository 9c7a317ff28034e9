package ai.calling.campaign.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When a recipient may be called: on the given days of the week, from {@code start} (inclusive) to
 * {@code end} (exclusive), read on the recipient's own clock. The zone's rules (daylight saving)
 * come from the JDK's time-zone database: a window of 09:00 to 18:00 stays 09:00 to 18:00 local time
 * on both sides of a change.
 */
public record CallingWindow(LocalTime start, LocalTime end, Set<DayOfWeek> days) {

    public CallingWindow {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a calling window starts before it ends");
        }
        days = Set.copyOf(days);
    }

    public boolean isOpen(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
    }
}
