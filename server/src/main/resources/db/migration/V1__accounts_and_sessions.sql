-- Accounts, sessions and their secrets. Every token column holds a SHA-256, never the token itself.

create table accounts (
    id              uuid primary key,
    -- Always lower case, so the unique index makes usernames unique whatever their letter case.
    username        text not null unique check (username ~ '^[a-z0-9_.-]{3,32}$'),
    email           text not null,
    display_name    text not null,
    password_hash   text not null,
    avatar_url      text not null default '',
    status_text     text not null default '',
    administrator   boolean not null default false,
    active          boolean not null default true,
    created_at      timestamptz not null,
    deactivated_at  timestamptz
);
create unique index accounts_email_key on accounts (lower(email));
-- Prefix search on usernames and display names (UserService.SearchUsers).
create index accounts_username_prefix on accounts (username text_pattern_ops);
create index accounts_display_name_prefix on accounts (lower(display_name) text_pattern_ops);

-- At most one row: the first account to insert it is the instance's first administrator, race-free.
create table instance_administrator (
    singleton   boolean primary key default true check (singleton),
    account_id  uuid not null references accounts (id)
);

create table sessions (
    id              uuid primary key,
    account_id      uuid not null references accounts (id),
    device_name     text not null default '',
    client_address  text not null default '',
    created_at      timestamptz not null,
    refreshed_at    timestamptz not null,
    expires_at      timestamptz not null,
    revoked_at      timestamptz,
    revoke_reason   text
);
create index sessions_open_by_account on sessions (account_id) where revoked_at is null;
create index sessions_recently_revoked on sessions (revoked_at) where revoked_at is not null;

create table refresh_tokens (
    token_hash  text primary key,
    session_id  uuid not null references sessions (id),
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index refresh_tokens_by_session on refresh_tokens (session_id);

create table password_reset_tokens (
    token_hash  text primary key,
    account_id  uuid not null references accounts (id),
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index password_reset_tokens_by_account on password_reset_tokens (account_id) where used_at is null;

-- Mail waiting for delivery; the default mail sender only writes here (and to the log).
create table mail_outbox (
    id          bigint generated always as identity primary key,
    recipient   text not null,
    subject     text not null,
    body        text not null,
    created_at  timestamptz not null default now()
);

-- The generated access-token signing key, shared by every node (unless key files are configured).
create table signing_keys (
    id           smallint primary key check (id = 1),
    private_key  text not null,
    public_key   text not null,
    created_at   timestamptz not null default now()
);
