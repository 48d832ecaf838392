package dev.parley.server.attachment;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;

/**
 * GET (and HEAD) {@code /files/<id>} on the HTTP port: a file or its thumbnail, for a signed link from
 * GetAttachmentLink ({@link AttachmentLinks}), answered by {@link FileResponses}. Each request checks the file again:
 * a link stops working the moment its message is deleted. Only the four picture types are shown inline.
 */
@ApplicationScoped
class FileDownloads {

    private final AttachmentLinks links;
    private final FileResponses responses;
    private final DataSource database;
    private final Clock clock;

    FileDownloads(AttachmentLinks links, FileResponses responses, DataSource database, Clock clock) {
        this.links = links;
        this.responses = responses;
        this.database = database;
        this.clock = clock;
    }

    void install(@Observes Router router) {
        router.routeWithRegex("/files/([0-9a-fA-F-]{36})").order(FileResponses.ROUTE_ORDER).method(HttpMethod.GET)
                .method(HttpMethod.HEAD).blockingHandler(this::serve, false);
    }

    private void serve(RoutingContext context) {
        FileResponses.guarded(context);
        try {
            UUID id = UUID.fromString(context.pathParam("param0"));
            boolean thumbnail = "1".equals(context.request().getParam("thumbnail"));
            String refusal = refusal(id, thumbnail, context.request().getParam("expires"),
                    context.request().getParam("signature"));
            if (refusal != null) {
                FileResponses.refuse(context, 403, refusal);
                return;
            }
            FileResponses.Served file = find(id, thumbnail);
            if (file == null) {
                FileResponses.refuse(context, 404, "No such file: it was deleted with its message, or never existed\n");
                return;
            }
            responses.send(context, file, "private, max-age=300");
        } catch (IllegalArgumentException e) {
            context.response().setStatusCode(404).end();
        } catch (IOException | SQLException | InterruptedException | ExecutionException e) {
            FileResponses.failed(context, e);
        }
    }

    /** Why the link does not hold, or null when it does. */
    private String refusal(UUID id, boolean thumbnail, String expires, String signature) {
        long until;
        try {
            until = Long.parseLong(expires);
        } catch (NumberFormatException e) {
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

    private FileResponses.Served find(UUID id, boolean thumbnail) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement("""
                select name, media_type, size_bytes, thumbnail_bytes from attachments
                 where id = ? and completed_at is not null and gone_at is null""")) {
            query.setObject(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next() || thumbnail && rows.getInt(4) == 0) {
                    return null;
                }
                String name = rows.getString(1);
                String key = StoredAttachment.fileKey(id, thumbnail);
                return thumbnail ? new FileResponses.Served(key, name, "image/jpeg", rows.getInt(4), true)
                        : new FileResponses.Served(key, name, rows.getString(2), rows.getLong(3),
                                ImageKind.MEDIA_TYPES.contains(rows.getString(2)));
            }
        }
    }
}
