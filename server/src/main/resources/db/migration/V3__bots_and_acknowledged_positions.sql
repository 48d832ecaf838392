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
