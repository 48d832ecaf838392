package dev.parley.server.message;

import java.util.UUID;

/**
 * Told of a deleted message inside the transaction that deletes it, so that copies of its text kept elsewhere (the
 * webhook outbox's payloads) go with it: committed together, or not at all.
 */
public interface DeletedInTransaction {

    void deleted(UUID messageId);
}
