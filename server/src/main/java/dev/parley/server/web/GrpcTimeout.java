package dev.parley.server.web;

import java.util.concurrent.TimeUnit;

/** The {@code grpc-timeout} header: up to 8 digits and a unit (H, M, S, m, u, n), as the gRPC HTTP/2 spec writes it. */
final class GrpcTimeout {

    private GrpcTimeout() {
    }

    /** Milliseconds until the deadline (at least 1), or -1 when the header is absent or not valid. */
    static long millis(String header) {
        if (header == null || header.length() < 2 || header.length() > 9) {
            return -1;
        }
        String digits = header.substring(0, header.length() - 1);
        if (!digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long amount = Long.parseLong(digits);
        TimeUnit unit = switch (header.charAt(header.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null ? -1 : Math.max(1, unit.toMillis(amount));
    }
}
