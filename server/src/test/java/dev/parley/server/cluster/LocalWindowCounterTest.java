package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalWindowCounterTest {

    private Instant now = Instant.parse("2026-11-23T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void countsWithinAWindowAndStartsAfreshAfterIt() {
        var counter = new LocalWindowCounter(clock);
        counter.hit("k", Duration.ofMinutes(5));
        now = now.plusSeconds(60);
        var second = counter.hit("k", Duration.ofMinutes(5));

        assertThat(second.value()).isEqualTo(2);
        assertThat(second.remaining()).isEqualTo(Duration.ofMinutes(4));
        assertThat(counter.peek("other").value()).isZero();

        now = now.plus(Duration.ofMinutes(4));
        assertThat(counter.peek("k").value()).isZero();
        assertThat(counter.hit("k", Duration.ofMinutes(5)).value()).isEqualTo(1);
    }
}
