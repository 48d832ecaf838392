package dev.parley.server.cluster;

import dev.parley.server.common.ParleyException;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A Redis command awaited from a worker thread; Redis being away is UNAVAILABLE with RetryInfo for the client. */
final class RedisCalls {

    private static final long TIMEOUT_MILLIS = 2000;

    private RedisCalls() {
    }

    static Response await(Redis redis, Request request, String what) {
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(what);
        }
    }

    private static ParleyException unavailable(String what) {
        return ParleyException.unavailable("REDIS_UNAVAILABLE", what + " is unavailable, retry shortly",
                Duration.ofSeconds(1));
    }
}
