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
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;

/**
 * GET (and HEAD) {@code /avatars/<id>}: a person's picture, resized (its thumbnail), to anyone, with no link to sign,
 * since it is shown wherever their name is ({@link Avatars}). Its address changes with the picture, so it may be
 * cached for long; a replaced picture answers 404.
 */
@ApplicationScoped
class AvatarDownloads {

    private final FileResponses responses;
    private final DataSource database;

    AvatarDownloads(FileResponses responses, DataSource database) {
        this.responses = responses;
        this.database = database;
    }

    void install(@Observes Router router) {
        router.routeWithRegex(Avatars.PATH + "([0-9a-fA-F-]{36})").order(FileResponses.ROUTE_ORDER)
                .method(HttpMethod.GET).method(HttpMethod.HEAD).blockingHandler(this::serve, false);
    }

    private void serve(RoutingContext context) {
        FileResponses.guarded(context);
        try {
            FileResponses.Served avatar = find(UUID.fromString(context.pathParam("param0")));
            if (avatar == null) {
                FileResponses.refuse(context, 404, "No such picture: it was replaced or removed\n");
                return;
            }
            responses.send(context, avatar, "public, max-age=86400, immutable");
        } catch (IllegalArgumentException e) {
            context.response().setStatusCode(404).end();
        } catch (IOException | SQLException | InterruptedException | ExecutionException e) {
            FileResponses.failed(context, e);
        }
    }

    private FileResponses.Served find(UUID id) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select name, thumbnail_bytes from attachments where id = ? and avatar_of is not null "
                        + "and gone_at is null")) {
            query.setObject(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new FileResponses.Served(StoredAttachment.fileKey(id, true), rows.getString(1),
                        "image/jpeg", rows.getInt(2), true) : null;
            }
        }
    }
}
