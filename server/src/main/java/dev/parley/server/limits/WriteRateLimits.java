package dev.parley.server.limits;

import dev.parley.server.auth.Caller;
import dev.parley.server.common.ParleyException;
import dev.parley.server.grpc.ErrorMapping;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Per-account rate limits on every write RPC ({@link WriteKind}): a token bucket per account and kind, so a burst
 * passes and a flood is refused with RESOURCE_EXHAUSTED (RATE_LIMITED) and RetryInfo saying when the next write
 * would pass, before the call has done anything. Bots have buckets of their own. Runs after the auth interceptor,
 * which names the caller; the check is in memory ({@link TokenBuckets}), the cluster-wide tally is off the path
 * ({@link ClusterUsage}).
 */
@GlobalInterceptor
@ApplicationScoped
class WriteRateLimits implements ServerInterceptor, Prioritized {

    private final TokenBuckets buckets;
    private final ClusterUsage cluster;
    private final double scale;
    private final Map<WriteKind, LimitsConfig.Rate> people = new EnumMap<>(WriteKind.class);
    private final Map<WriteKind, LimitsConfig.Rate> bots = new EnumMap<>(WriteKind.class);

    WriteRateLimits(LimitsConfig config, TokenBuckets buckets, ClusterUsage cluster) {
        this.buckets = buckets;
        this.cluster = cluster;
        this.scale = config.scale();
        WriteKind.byKey().forEach((key, kind) -> {
            people.put(kind, required(config.people(), key, "people"));
            bots.put(kind, required(config.bots(), key, "bots"));
        });
    }

    @Override
    public int getPriority() {
        return -100; // lower runs later: after AuthInterceptor (0), which puts the caller in the context
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        WriteKind kind = WriteKind.of(call.getMethodDescriptor().getFullMethodName());
        Caller caller = kind == null ? null : Caller.currentOrNull();
        if (caller == null) {
            return next.startCall(call, headers);
        }
        LimitsConfig.Rate rate = (caller.bot() ? bots : people).get(kind);
        String key = (caller.bot() ? "bot:" : "person:") + kind.key + ":" + caller.accountId();
        Duration wait = buckets.take(key, rate, scale);
        if (wait.isZero()) {
            cluster.letThrough(key, rate, scale);
            return next.startCall(call, headers);
        }
        StatusException refused = ErrorMapping.toStatusException(ParleyException.throttled("RATE_LIMITED",
                "Too many " + kind.key + (kind == WriteKind.SEARCHES ? "" : " writes") + " from this account (at most " + format(rate.perSecond() * scale)
                        + " a second, in bursts of " + Math.round(rate.burst() * scale) + "), retry in "
                        + Math.max(1, wait.toMillis()) + " ms", wait.compareTo(Duration.ofMillis(1)) < 0
                        ? Duration.ofMillis(1) : wait));
        call.close(refused.getStatus(), refused.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }

    private static String format(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : String.format("%.2f", perSecond);
    }

    private static LimitsConfig.Rate required(Map<String, LimitsConfig.Rate> rates, String key, String who) {
        LimitsConfig.Rate rate = rates.get(key);
        if (rate == null) {
            throw new IllegalStateException("parley.limits." + who + "." + key + " is not configured");
        }
        return rate;
    }
}
