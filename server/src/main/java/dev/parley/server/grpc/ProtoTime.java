package dev.parley.server.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Instants as protobuf Timestamps; an absent instant is the unset (default) Timestamp. */
public final class ProtoTime {

    private ProtoTime() {
    }

    public static Timestamp of(Instant instant) {
        if (instant == null) {
            return Timestamp.getDefaultInstance();
        }
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Sets a Timestamp field only for an instant that exists, so that "unset" stays unset (hasX() is false). */
    public static void ifPresent(Instant instant, java.util.function.Consumer<Timestamp> setter) {
        if (instant != null) {
            setter.accept(of(instant));
        }
    }
}
