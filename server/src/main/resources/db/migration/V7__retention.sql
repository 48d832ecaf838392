-- Retention (issue 15): what the purges delete, and how far each conversation's event log has been purged.

-- Written only by the purge, so sends never wait on it: the conversations row stays theirs alone. A resume from a
-- position below purged_through would skip events and is refused with EVENTS_EXPIRED instead.
create table conversation_purges (
    conversation_id  uuid primary key references conversations (id),
    purged_through   bigint not null
);

-- Events are appended in time order, so a BRIN index finds the old ones at almost no cost per insert.
create index conversation_events_created_brin on conversation_events using brin (created_at);
create index webhook_deliveries_finished on webhook_deliveries (coalesce(delivered_at, dead_at))
    where delivered_at is not null or dead_at is not null;
create index refresh_tokens_expiry on refresh_tokens (expires_at);
create index password_reset_tokens_expiry on password_reset_tokens (expires_at);
-- A session ends when it is revoked or expires, whichever comes first (least ignores a null).
create index sessions_ended on sessions (least(revoked_at, expires_at));
