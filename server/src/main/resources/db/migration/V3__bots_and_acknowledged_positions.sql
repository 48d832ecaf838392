-- Bots are accounts with an owner. They sign in only with bot tokens: their password hash matches no password.
alter table accounts add column bot_owner_id uuid references accounts (id);
create index accounts_bots_by_owner on accounts (bot_owner_id) where bot_owner_id is not null;

-- Bot tokens, kept only as SHA-256 (like refresh tokens). They do not expire; revoked_at ends one.
create table bot_tokens (
    id          uuid primary key,
    bot_id      uuid not null references accounts (id),
    token_hash  text not null unique,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index bot_tokens_active on bot_tokens (bot_id) where revoked_at is null;

-- Where an account has acknowledged reading each conversation's log (EventService.AcknowledgeEvents), so that a
-- stream opened with resume_from_acknowledged resumes from there, whichever process opens it.
create table acknowledged_positions (
    account_id       uuid not null references accounts (id),
    conversation_id  uuid not null references conversations (id),
    sequence         bigint not null check (sequence >= 0),
    primary key (account_id, conversation_id)
);

-- Outgoing webhooks of bots. The secret signs deliveries (HMAC), so it is kept as is, unlike token hashes.
alter table accounts add column webhook_url text;
alter table accounts add column webhook_secret text;

-- The webhook outbox: one row per delivery, inserted in the transaction of the message it reports, so none is
-- lost or invented. Workers on any node claim due rows with SKIP LOCKED and lease them by moving next_attempt_at.
create table webhook_deliveries (
    id               uuid primary key,
    bot_id           uuid not null references accounts (id),
    conversation_id  uuid not null references conversations (id),
    message_id       uuid not null references messages (id),
    payload          text not null,
    attempts         int not null default 0,
    next_attempt_at  timestamptz not null,
    created_at       timestamptz not null,
    delivered_at     timestamptz,
    dead_at          timestamptz,
    last_error       text
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
    where delivered_at is null and dead_at is null;
