package dev.parley.server.retention;

import java.time.Duration;

/**
 * One kind of row that is deleted once old: a statement that deletes at most one batch of them, older than a
 * cutoff, and returns how many it deleted. Parameters: 1 the cutoff, 2 the batch size.
 */
record Purge(String name, Duration keptFor, String batchStatement) {

    static Purge events(Duration keptFor) {
        // Deletes a batch and raises each conversation's purged_through to the highest sequence it took, in one
        // statement, so that no reader ever sees the events gone and the mark not yet moved.
        return new Purge("events", keptFor, """
                with doomed as (
                    select conversation_id, sequence from conversation_events where created_at < ? limit ?),
                gone as (
                    delete from conversation_events e using doomed d
                     where e.conversation_id = d.conversation_id and e.sequence = d.sequence
                    returning e.conversation_id, e.sequence),
                marked as (
                    insert into conversation_purges (conversation_id, purged_through)
                    select conversation_id, max(sequence) from gone group by conversation_id
                    on conflict (conversation_id) do update
                       set purged_through = greatest(conversation_purges.purged_through, excluded.purged_through))
                select count(*) from gone""");
    }

    static Purge webhookDeliveries(Duration keptFor) {
        return byKey("webhook deliveries", keptFor, "webhook_deliveries", "id",
                "(delivered_at is not null or dead_at is not null) and coalesce(delivered_at, dead_at) < ?");
    }

    static Purge refreshTokens(Duration keptFor) {
        return byKey("refresh tokens", keptFor, "refresh_tokens", "token_hash", "expires_at < ?");
    }

    static Purge resetTokens(Duration keptFor) {
        return byKey("reset tokens", keptFor, "password_reset_tokens", "token_hash", "expires_at < ?");
    }

    static Purge endedSessions(Duration keptFor) {
        // Their refresh tokens go with them, in the same statement (the foreign key is checked at its end).
        return new Purge("ended sessions", keptFor, """
                with doomed as (
                    select id from sessions where least(revoked_at, expires_at) < ? limit ?),
                tokens as (
                    delete from refresh_tokens r using doomed d where r.session_id = d.id),
                gone as (
                    delete from sessions s using doomed d where s.id = d.id returning 1)
                select count(*) from gone""");
    }

    /**
     * Messages older than their group's own retention become tombstones, as a deletion leaves them; their reactions,
     * files (their bytes purged later by attachment.AttachmentPurge), webhook deliveries and events go, and the purge
     * mark moves past those events (a resume from before them answers EVENTS_EXPIRED). The cutoff parameter is the
     * current time: each group has its own retention.
     */
    static Purge expiredMessages() {
        return new Purge("messages past their group's retention", Duration.ZERO, """
                with doomed as (
                    select m.id from conversations c join messages m on m.conversation_id = c.id
                     where c.message_retention_seconds is not null and m.deleted_at is null
                       and m.created_at < ?::timestamptz - make_interval(secs => c.message_retention_seconds)
                     limit ?),
                reactions_gone as (
                    delete from reactions r using doomed d where r.message_id = d.id),
                files_gone as (
                    update attachments a set gone_at = now() from doomed d where a.message_id = d.id),
                deliveries_gone as (
                    delete from webhook_deliveries w using doomed d where w.message_id = d.id),
                events_gone as (
                    delete from conversation_events e using doomed d where e.message_id = d.id
                    returning e.conversation_id, e.sequence),
                marked as (
                    insert into conversation_purges (conversation_id, purged_through)
                    select conversation_id, max(sequence) from events_gone group by conversation_id
                    on conflict (conversation_id) do update
                       set purged_through = greatest(conversation_purges.purged_through, excluded.purged_through)),
                gone as (
                    update messages m set text = null, mentions = '{}', deleted_at = now(), deleted_by = null
                      from doomed d where m.id = d.id
                    returning 1)
                select count(*) from gone""");
    }

    static Purge revokedBotTokens(Duration keptFor) {
        return byKey("revoked bot tokens", keptFor, "bot_tokens", "id", "revoked_at < ?");
    }

    /** Rows of one table, found by a condition on the cutoff and deleted by their primary key. */
    private static Purge byKey(String name, Duration keptFor, String table, String key, String olderThanCutoff) {
        return new Purge(name, keptFor, "with gone as (delete from " + table + " where " + key + " = any(array("
                + "select " + key + " from " + table + " where " + olderThanCutoff + " limit ?)) returning 1) "
                + "select count(*) from gone");
    }
}
