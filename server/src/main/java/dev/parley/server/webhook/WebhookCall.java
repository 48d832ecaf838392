package dev.parley.server.webhook;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One webhook attempt, bounded: it connects to the address {@link WebhookTargets} checked (the URL's host still
 * names the Host header and TLS's server name), and the whole exchange, body included, ends within the timeout.
 * At most {@link #MAX_ANSWER} bytes of an answer are read; a longer one is cut off and has no text. A receiver
 * that dribbles or floods therefore costs one attempt's slot for at most the timeout, and nothing else. Pushes to
 * push services (notification.WebPushSender) are made the same way.
 */
@ApplicationScoped
public class WebhookCall {

    /** What a receiver answered; {@code body} is null when the answer was longer than {@link #MAX_ANSWER}. */
    public record Answer(int status, String contentType, String body) {
    }

    static final int MAX_ANSWER = 64 * 1024;

    private final Vertx vertx;
    private final HttpClient client;

    @jakarta.inject.Inject
    WebhookCall(Vertx vertx, WebhookConfig config) {
        this(vertx, config.timeout(), 2);
    }

    /**
     * A caller of its own, with this many connections per host: pushes go to a few push services, each for many
     * subscriptions, so they need more than webhooks' two (one host per bot).
     */
    public WebhookCall(Vertx vertx, Duration connectTimeout, int connectionsPerHost) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setVerifyHost(true).setForceSni(true).setMaxPoolSize(connectionsPerHost));
    }

    @PreDestroy
    public void close() {
        client.close();
    }

    CompletableFuture<Answer> post(URI url, InetAddress address, MultiMap headers, String payload,
            Duration timeout) {
        return post(url, address, headers, Buffer.buffer(payload), timeout);
    }

    /** Posts {@code payload} to {@code url}, connecting to {@code address}, within {@code timeout}. */
    public CompletableFuture<Answer> post(URI url, InetAddress address, MultiMap headers, Buffer payload,
            Duration timeout) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHeaders(headers).setFollowRedirects(false);
        long timer = vertx.setTimer(timeout.toMillis(), t -> answer.completeExceptionally(
                new TimeoutException("no whole answer within " + timeout.toSeconds() + " s")));
        answer.whenComplete((a, e) -> vertx.cancelTimer(timer));
        client.request(options).onFailure(answer::completeExceptionally).onSuccess(request -> {
            answer.whenComplete((a, e) -> {
                if (e != null || a.body() == null) {
                    request.reset(); // timed out or too long: stop reading and drop the connection
                }
            });
            request.exceptionHandler(answer::completeExceptionally);
            request.send(payload).onFailure(answer::completeExceptionally)
                    .onSuccess(response -> read(response, answer));
        });
        return answer;
    }

    private static void read(io.vertx.core.http.HttpClientResponse response, CompletableFuture<Answer> answer) {
        Buffer body = Buffer.buffer();
        String type = response.getHeader("content-type");
        response.exceptionHandler(answer::completeExceptionally);
        response.handler(chunk -> {
            if (answer.isDone()) {
                return;
            }
            if (body.length() + chunk.length() > MAX_ANSWER) {
                answer.complete(new Answer(response.statusCode(), type, null));
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> answer.complete(new Answer(response.statusCode(), type, body.toString())));
    }
}
