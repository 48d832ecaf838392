-- Conversations, memberships, messages, reactions, and the per-conversation log.

create table conversations (
    id                      uuid primary key,
    kind                    text not null check (kind in ('direct', 'group')),
    title                   text not null default '',
    description             text not null default '',
    visibility              text not null check (visibility in ('public', 'private')),
    -- "<smaller id>:<larger id>" for direct conversations: at most one per pair, enforced here.
    direct_key              text unique,
    created_by              uuid not null references accounts (id),
    created_at              timestamptz not null,
    archived_at             timestamptz,
    member_count            integer not null default 0,
    -- The log head. Appending takes this row's lock (update ... returning), so numbers are handed out one at a
    -- time per conversation, and a rolled-back transaction gives its number back: no gaps, no repeats.
    last_sequence           bigint not null default 0,
    last_message_sequence   bigint not null default 0,
    last_activity_at        timestamptz not null
);
create index conversations_public_by_title on conversations (lower(title) text_pattern_ops, id)
    where kind = 'group' and visibility = 'public' and archived_at is null;

create table memberships (
    conversation_id     uuid not null references conversations (id),
    account_id          uuid not null references accounts (id),
    role                text not null check (role in ('owner', 'admin', 'member')),
    joined_at           timestamptz not null,
    read_sequence       bigint not null default 0,
    notification_level  text not null default 'everything' check (notification_level in ('everything', 'mentions', 'nothing')),
    muted               boolean not null default false,
    primary key (conversation_id, account_id)
);
create index memberships_by_account on memberships (account_id);

create table join_requests (
    conversation_id  uuid not null references conversations (id),
    account_id       uuid not null references accounts (id),
    requested_at     timestamptz not null,
    primary key (conversation_id, account_id)
);

create table messages (
    id                  uuid primary key,
    conversation_id     uuid not null references conversations (id),
    sequence            bigint not null,
    author_id           uuid not null references accounts (id),
    client_message_id   text not null,
    text                text,            -- null once deleted: the tombstone keeps id and sequence only
    reply_to_id         uuid references messages (id),
    thread_root_id      uuid references messages (id),
    mentions            uuid[] not null default '{}',
    created_at          timestamptz not null,
    edited_at           timestamptz,
    deleted_at          timestamptz,
    deleted_by          uuid references accounts (id),
    -- History pages walk this index in either direction from a sequence number.
    constraint messages_conversation_sequence_key unique (conversation_id, sequence),
    -- Idempotent sends: a retried client_message_id can never create a second message, on any node.
    constraint messages_author_client_message_id_key unique (author_id, client_message_id)
);
create index messages_by_thread on messages (thread_root_id, sequence) where thread_root_id is not null;

create table reactions (
    message_id  uuid not null references messages (id),
    account_id  uuid not null references accounts (id),
    emoji       text not null,
    created_at  timestamptz not null,
    primary key (message_id, account_id, emoji)
);

-- The log: every change to a conversation, with its sequence number, as the serialized parley.v1.ConversationEvent
-- that the live stream delivers and replays.
create table conversation_events (
    conversation_id  uuid not null references conversations (id),
    sequence         bigint not null,
    message_id       uuid,           -- set for message and reaction events, so deletion can scrub old copies
    created_at       timestamptz not null,
    payload          bytea not null,
    primary key (conversation_id, sequence)
);
create index conversation_events_by_message on conversation_events (message_id) where message_id is not null;
