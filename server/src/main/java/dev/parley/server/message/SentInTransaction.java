package dev.parley.server.message;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Told of each batch of new messages inside the transaction that writes them, on its connection, so that rows which
 * must exist exactly when the messages do (webhook deliveries) are written in it: committed together, or not at all.
 */
public interface SentInTransaction {

    void sent(Connection connection, List<MessagePosted> posted) throws SQLException;
}
