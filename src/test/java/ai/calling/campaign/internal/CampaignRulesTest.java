package ai.calling.campaign.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Calling windows, fair shares and recipients' zones: pure rules, no Spring, no database. */
@Tag("unit")
class CampaignRulesTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final CallingWindow WEEKDAY_OFFICE = new CallingWindow(LocalTime.of(9, 0), LocalTime.of(17, 0),
            Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));

    @Test
    void aWindowIsReadOnTheLocalClockAndItsEndIsExclusive() {
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-12-01T14:00:00Z"), NEW_YORK)).isTrue();
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-12-01T13:59:59Z"), NEW_YORK)).isFalse();
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-12-01T22:00:00Z"), NEW_YORK)).isFalse();
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-12-01T21:59:59Z"), NEW_YORK)).isTrue();
        // Saturday, 10:00 in New York
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-12-05T15:00:00Z"), NEW_YORK)).isFalse();
        // Monday 01:00 UTC is still Sunday evening in New York
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-12-07T01:00:00Z"), NEW_YORK)).isFalse();
        assertThatThrownBy(() -> new CallingWindow(LocalTime.NOON, LocalTime.NOON, Set.of(DayOfWeek.MONDAY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void daylightSavingMovesTheWindowWithTheLocalClock() {
        // spring forward, Sunday 8 March 2026: 13:30 UTC is 08:30 EST on Friday, 09:30 EDT on Monday
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-03-06T13:30:00Z"), NEW_YORK)).isFalse();
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-03-09T13:30:00Z"), NEW_YORK)).isTrue();
        // fall back, Sunday 1 November 2026: 21:30 UTC is 17:30 EDT on Friday, 16:30 EST on Monday
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-10-30T21:30:00Z"), NEW_YORK)).isFalse();
        assertThat(WEEKDAY_OFFICE.isOpen(Instant.parse("2026-11-02T21:30:00Z"), NEW_YORK)).isTrue();
    }

    @Test
    void equalDemandGetsEqualSharesAndASmallTenantIsNeverStarved() {
        UUID big = UUID.randomUUID();
        UUID small = UUID.randomUUID();
        assertThat(FairShare.allocate(4, Map.of(), demand(big, 1000, small, 10))).containsEntry(big, 2)
                .containsEntry(small, 2);
        // the big tenant already holds 3 of 4: the free slot goes to the small one
        assertThat(FairShare.allocate(1, Map.of(big, 3), demand(big, 1000, small, 10))).containsEntry(small, 1)
                .doesNotContainKey(big);
        // a tenant that wants less than its share leaves the rest to the others
        assertThat(FairShare.allocate(10, Map.of(), demand(big, 1000, small, 1))).containsEntry(big, 9)
                .containsEntry(small, 1);
        assertThat(FairShare.allocate(0, Map.of(), demand(big, 5, small, 5))).isEmpty();
    }

    @Test
    void aHundredTenantsOfEqualDemandShareAlmostPerfectly() {
        LinkedHashMap<UUID, Integer> demand = new LinkedHashMap<>();
        IntStream.range(0, 100).forEach(i -> demand.put(UUID.randomUUID(), 50));
        Map<UUID, Integer> shares = FairShare.allocate(250, Map.of(), demand);
        assertThat(shares.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(250);
        assertThat(shares.values()).allSatisfy(share -> assertThat(share).isBetween(2, 3));
    }

    @Test
    void aNumberGetsItsOwnZoneOnlyWhenItMapsToExactlyOne() {
        assertThat(RecipientZones.zoneOf("+14155550123")).contains("America/Los_Angeles");
        assertThat(RecipientZones.zoneOf("+12125550123")).contains("America/New_York");
        assertThat(RecipientZones.zoneOf("+442079460001")).contains("Europe/London");
        // toll-free numbers belong to no one zone
        assertThat(RecipientZones.zoneOf("+18002001000")).isEmpty();
        assertThat(RecipientZones.zoneOf("not a number")).isEmpty();
    }

    private static LinkedHashMap<UUID, Integer> demand(UUID a, int wantedA, UUID b, int wantedB) {
        LinkedHashMap<UUID, Integer> demand = new LinkedHashMap<>();
        demand.put(a, wantedA);
        demand.put(b, wantedB);
        return demand;
    }
}
