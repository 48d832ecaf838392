package dev.parley.server.attachment;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * GET (and HEAD) {@code /files/<id>} on the HTTP port: the bytes of a file or its thumbnail, for a signed link from
 * GetAttachmentLink. One range may be asked for (206 Partial Content), so a video can be sought in and a download
 * resumed. Only the four picture types are shown inline; anything else, HTML and SVG included, is served as a
 * download, sandboxed and never sniffed, so a file cannot run script on the app's origin. Each request checks the
 * file again: a link stops working the moment its message is deleted. The bytes are written a piece at a time, each
 * once the last has left, so a slow client holds one piece of memory and no database connection.
 */
@ApplicationScoped
class FileDownloads {

    private static final Logger LOG = Logger.getLogger(FileDownloads.class);
    /** After Quarkus's CORS filter (-300) and before the gRPC route (-200), as the gRPC-Web bridge. */
    private static final int ROUTE_ORDER = -240;
    private static final int PIECE = 256 * 1024;
    private static final Set<String> INLINE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private final AttachmentLinks links;
    private final FileStore store;
    private final DataSource database;
    private final Clock clock;

    FileDownloads(AttachmentLinks links, FileStore store, DataSource database, Clock clock) {
        this.links = links;
        this.store = store;
        this.database = database;
        this.clock = clock;
    }

    /** A file as a download needs it. */
    private record Served(String name, String mediaType, long size) {
    }

    void install(@Observes Router router) {
        router.routeWithRegex("/files/([0-9a-fA-F-]{36})").order(ROUTE_ORDER).method(HttpMethod.GET)
                .method(HttpMethod.HEAD).blockingHandler(this::serve, false);
        router.routeWithRegex(Avatars.PATH + "([0-9a-fA-F-]{36})").order(ROUTE_ORDER).method(HttpMethod.GET)
                .method(HttpMethod.HEAD).blockingHandler(this::serveAvatar, false);
    }

    /**
     * A person's picture, resized, to anyone (no link to sign: it is shown wherever their name is). Its address
     * changes with the picture, so it may be cached for long.
     */
    private void serveAvatar(RoutingContext context) {
        HttpServerResponse response = context.response();
        response.putHeader("x-content-type-options", "nosniff")
                .putHeader("content-security-policy", "default-src 'none'; sandbox");
        try {
            UUID id = UUID.fromString(context.pathParam("param0"));
            Served avatar = avatar(id);
            if (avatar == null) {
                response.setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                        .end("No such picture: it was replaced or removed\n");
                return;
            }
            response.putHeader("cache-control", "public, max-age=86400, immutable");
            send(context, id, true, avatar);
        } catch (IllegalArgumentException e) {
            response.setStatusCode(404).end();
        } catch (IOException | SQLException | InterruptedException | ExecutionException e) {
            failed(context, e);
        }
    }

    private void serve(RoutingContext context) {
        HttpServerResponse response = context.response();
        response.putHeader("x-content-type-options", "nosniff").putHeader("referrer-policy", "no-referrer")
                .putHeader("content-security-policy", "default-src 'none'; sandbox");
        try {
            UUID id = UUID.fromString(context.pathParam("param0"));
            boolean thumbnail = "1".equals(context.request().getParam("thumbnail"));
            String refusal = refusal(id, thumbnail, context.request().getParam("expires"),
                    context.request().getParam("signature"));
            if (refusal != null) {
                response.setStatusCode(403).putHeader("content-type", "text/plain; charset=utf-8").end(refusal);
                return;
            }
            Served file = find(id, thumbnail);
            if (file == null) {
                response.setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                        .end("No such file: it was deleted with its message, or never existed\n");
                return;
            }
            send(context, id, thumbnail, file);
        } catch (IllegalArgumentException e) {
            response.setStatusCode(404).end();
        } catch (IOException | SQLException | InterruptedException | ExecutionException e) {
            failed(context, e);
        }
    }

    private static void failed(RoutingContext context, Exception e) {
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

    /** Why the link does not hold, or null when it does. */
    private String refusal(UUID id, boolean thumbnail, String expires, String signature) {
        long until;
        try {
            until = Long.parseLong(expires);
        } catch (NumberFormatException | NullPointerException e) {
            return "This link is not one the server gave: ask for one with GetAttachmentLink\n";
        }
        if (signature == null || !links.valid(id, thumbnail, until, signature)) {
            return "This link is not one the server gave: ask for one with GetAttachmentLink\n";
        }
        if (clock.instant().getEpochSecond() > until) {
            return "This link has expired: ask for a new one with GetAttachmentLink\n";
        }
        return null;
    }

    private Served find(UUID id, boolean thumbnail) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement("""
                select name, media_type, size_bytes, thumbnail_bytes from attachments
                 where id = ? and completed_at is not null and gone_at is null""")) {
            query.setObject(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next() || thumbnail && rows.getInt(4) == 0) {
                    return null;
                }
                return thumbnail ? new Served(rows.getString(1), "image/jpeg", rows.getInt(4))
                        : new Served(rows.getString(1), rows.getString(2), rows.getLong(3));
            }
        }
    }

    private Served avatar(UUID id) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select name, thumbnail_bytes from attachments where id = ? and avatar_of is not null "
                        + "and gone_at is null")) {
            query.setObject(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new Served(rows.getString(1), "image/jpeg", rows.getInt(2)) : null;
            }
        }
    }

    private void send(RoutingContext context, UUID id, boolean thumbnail, Served file)
            throws IOException, InterruptedException, ExecutionException {
        HttpServerResponse response = context.response();
        ByteRange range = ByteRange.parse(context.request().getHeader("range"), file.size());
        if (!response.headers().contains("cache-control")) {
            response.putHeader("cache-control", "private, max-age=300");
        }
        response.putHeader("accept-ranges", "bytes")
                .putHeader("etag", "\"" + id + (thumbnail ? "-t" : "") + "\"")
                .putHeader("content-type", file.mediaType())
                .putHeader("content-disposition", disposition(thumbnail || INLINE_TYPES.contains(file.mediaType()),
                        file.name()));
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
        try (InputStream bytes = store.open(id + (thumbnail ? ".thumbnail" : ""), sent.start(), sent.length())) {
            byte[] piece = new byte[PIECE];
            for (int read; (read = bytes.readNBytes(piece, 0, PIECE)) > 0; ) {
                response.write(Buffer.buffer(read).appendBytes(piece, 0, read)).toCompletionStage()
                        .toCompletableFuture().get();
            }
        }
        response.end();
    }

    /** Content-Disposition with the name as RFC 6266 spells it: ASCII for old clients, UTF-8 for the rest. */
    static String disposition(boolean inline, String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
