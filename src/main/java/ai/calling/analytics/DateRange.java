package ai.calling.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import ai.calling.common.ApiException;

/** An inclusive range of UTC days asked for by a client: by default the 30 days up to today. */
record DateRange(LocalDate start, LocalDate end) {

    /** Today as a UTC day, the calendar of every rollup. */
    static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    static DateRange of(LocalDate from, LocalDate to, Clock clock) {
        LocalDate end = to == null ? today(clock) : to;
        LocalDate start = from == null ? end.minusDays(29) : from;
        if (start.isAfter(end)) {
            throw ApiException.invalidField("from", "must not be after to");
        }
        if (ChronoUnit.DAYS.between(start, end) > 366) {
            throw ApiException.invalidField("to", "the range may span at most 366 days");
        }
        return new DateRange(start, end);
    }
}
