package dev.parley.server.attachment;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * A stored file written as an HTTP answer (downloads and avatars): one range may be asked for (206 Partial Content),
 * so a video can be sought in and a download resumed; never sniffed, sandboxed, shown inline only when the caller
 * says so (the four picture types), so no uploaded file runs script on the app's origin. The bytes are written a
 * piece at a time, each once the last has left, so a slow client holds one piece of memory and no database
 * connection.
 */
@ApplicationScoped
class FileResponses {

    /** After Quarkus's CORS filter (-300) and before the gRPC route (-200), as the gRPC-Web bridge. */
    static final int ROUTE_ORDER = -240;
    private static final Logger LOG = Logger.getLogger(FileResponses.class);
    private static final int PIECE = 256 * 1024;

    /** What to answer with: the store's key, the name to save it under, its type and size, inline or not. */
    record Served(String key, String name, String mediaType, long size, boolean inline) {
    }

    private final FileStore store;

    FileResponses(FileStore store) {
        this.store = store;
    }

    /** The headers every answer of these routes carries, refusals included. */
    static HttpServerResponse guarded(RoutingContext context) {
        return context.response().putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "no-referrer")
                .putHeader("content-security-policy", "default-src 'none'; sandbox");
    }

    static void refuse(RoutingContext context, int status, String why) {
        context.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(why);
    }

    /** The file, or the range of it the request asks for; {@code cacheControl} says for how long it may be kept. */
    void send(RoutingContext context, Served file, String cacheControl)
            throws IOException, InterruptedException, ExecutionException {
        HttpServerResponse response = context.response();
        ByteRange range = ByteRange.parse(context.request().getHeader("range"), file.size());
        response.putHeader("cache-control", cacheControl)
                .putHeader("accept-ranges", "bytes")
                .putHeader("etag", "\"" + file.key() + "\"")
                .putHeader("content-type", file.mediaType())
                .putHeader("content-disposition", disposition(file.inline(), file.name()));
        if (range == ByteRange.UNSATISFIABLE) {
            response.setStatusCode(416).putHeader("content-range", "bytes */" + file.size()).end();
            return;
        }
        ByteRange sent = range == null ? new ByteRange(0, file.size()) : range;
        if (range != null) {
            response.setStatusCode(206).putHeader("content-range",
                    "bytes " + sent.start() + "-" + (sent.end() - 1) + "/" + file.size());
        }
        response.putHeader("content-length", Long.toString(sent.length()));
        if (context.request().method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        try (InputStream bytes = store.open(file.key(), sent.start(), sent.length())) {
            byte[] piece = new byte[PIECE];
            for (int read; (read = bytes.readNBytes(piece, 0, PIECE)) > 0; ) {
                response.write(Buffer.buffer(read).appendBytes(piece, 0, read)).toCompletionStage()
                        .toCompletableFuture().get();
            }
        }
        response.end();
    }

    /** A store or database failure: 503 to try again, or the connection reset when the answer had begun. */
    static void failed(RoutingContext context, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        LOG.warnf("A download of %s stopped: %s", context.request().path(), e.toString());
        HttpServerResponse response = context.response();
        if (!response.headWritten()) {
            response.setStatusCode(503).putHeader("retry-after", "1").end("Try again shortly\n");
        } else {
            response.reset();
        }
    }

    /** Content-Disposition with the name as RFC 6266 spells it: ASCII for old clients, UTF-8 for the rest. */
    static String disposition(boolean inline, String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
