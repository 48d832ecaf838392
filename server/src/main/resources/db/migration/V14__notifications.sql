-- Notifications (issue 18): levels that follow an account-wide default, unread mentions, push devices, and a
-- two-stage push outbox.

-- A conversation's level may now follow the account's default ('default'). Until now every level was 'everything'
-- unless someone changed it, and 'everything' was the only default: those follow the new account default, which
-- starts as 'everything', so nothing anyone sees changes.
alter table memberships drop constraint if exists memberships_notification_level_check;
update memberships set notification_level = 'default' where notification_level = 'everything';
alter table memberships alter column notification_level set default 'default',
    add constraint memberships_notification_level_check
        check (notification_level in ('default', 'everything', 'mentions', 'nothing'));
-- Messages after the read position that mention the member: raised by a send's transaction, recounted when the
-- read position moves, lowered when such a message is deleted.
alter table memberships add column unread_mentions int not null default 0;

alter table accounts add column notification_level text not null default 'everything'
    check (notification_level in ('everything', 'mentions', 'nothing')),
    -- opt-in e-mail digests of unread mentions and direct messages, once offline this long
    add column email_digest boolean not null default false,
    add column email_digest_after_seconds int not null default 3600,
    -- the newest message the last digest listed: the next lists only newer ones
    add column last_digest_through timestamptz;

-- Where a person's pushes go. One row per endpoint or token: registering it again replaces its keys.
create table push_devices (
    id              uuid primary key,
    account_id      uuid not null references accounts (id) on delete cascade,
    kind            text not null check (kind in ('web_push', 'fcm', 'apns')),
    -- the Web Push endpoint, or the FCM / APNs token
    address         text not null,
    p256dh          bytea,
    auth            bytea,
    name            text not null default '',
    registered_at   timestamptz not null,
    last_pushed_at  timestamptz,
    unique (kind, address)
);
create index push_devices_account on push_devices (account_id, registered_at desc);

-- Stage one, written in the send's transaction: one row per new message of a conversation where someone has a
-- device, whatever the number of members, so a send to a big room pays one insert. A worker on any node claims
-- rows (SKIP LOCKED), decides who is notified (level, mute, presence at that moment) and moves them to stage two
-- in the same transaction that deletes the row.
create table push_queue (
    message_id       uuid primary key,
    conversation_id  uuid not null,
    queued_at        timestamptz not null
);
create index push_queue_oldest on push_queue (queued_at);

-- Stage two: what each device still has to be told of each conversation, coalesced: a row gathers the messages
-- of a conversation (count) until it is pushed, at most once per coalescing interval, retried with backoff.
create table push_notifications (
    device_id        uuid not null references push_devices (id) on delete cascade,
    conversation_id  uuid not null references conversations (id) on delete cascade,
    pending          int not null default 0,
    message_id       uuid,
    mention          boolean not null default false,
    due_at           timestamptz,
    first_queued_at  timestamptz,
    attempts         int not null default 0,
    last_pushed_at   timestamptz,
    last_error       text,
    primary key (device_id, conversation_id)
);
create index push_notifications_due on push_notifications (due_at) where pending > 0;
