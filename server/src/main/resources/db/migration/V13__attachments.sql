-- Attachments (issue 17): uploads in progress, the files they became, and the messages that carry them.

-- One row per upload, from CreateUpload on; completed_at set makes it an attachment, message_id set sends it. The
-- uploader alone sees it until it is sent, the conversation's members after (attachment/AttachmentAccess). An upload
-- without a conversation is a profile picture; avatar_of set makes it its owner's avatar (attachment/Avatars).
create table attachments (
    id              uuid primary key,
    owner_id        uuid not null references accounts (id),
    conversation_id uuid references conversations (id),
    name            text not null,
    declared_type   text not null,
    size_bytes      bigint not null,   -- as declared; once completed, as stored (images lose their metadata)
    sha256          text not null,     -- as declared, of the bytes uploaded
    received_bytes  bigint not null default 0,
    media_type      text,              -- found at completion
    width           int not null default 0,
    height          int not null default 0,
    thumbnail_bytes int not null default 0,  -- 0: none
    created_at      timestamptz not null,
    completed_at    timestamptz,
    message_id      uuid references messages (id),
    message_position smallint,         -- its place among the message's attachments, from 0
    avatar_of       uuid references accounts (id),
    -- Set when the message is deleted: the file is gone for everyone at once, its bytes later (AttachmentPurge).
    gone_at         timestamptz
);
create index attachments_message on attachments (message_id) where message_id is not null;
-- The purge's two questions: uploads left unsent past their day, files of deleted messages.
create index attachments_unsent on attachments (created_at) where message_id is null and avatar_of is null;
create index attachments_gone on attachments (gone_at) where gone_at is not null;
-- The quota sums an account's files that are not gone.
create index attachments_owner on attachments (owner_id) where gone_at is null;

-- Bytes in parts of at most 1 MiB, so a ranged read fetches only the parts it needs and no statement holds a whole
-- file: the uploads in progress, under "upload/<id>" in the chunks they arrived in (any replica takes the next one),
-- and the PostgreSQL file store's files, under the attachment's id ("<id>.thumbnail" for its thumbnail). Completing
-- an upload that needs no rewriting renames its parts, which keeps their bytes where they are (an UPDATE that leaves
-- a stored-out-of-line value unchanged keeps it); a picture cleaned of its metadata is written anew.
create table stored_file_parts (
    file_key    text not null,
    part_offset bigint not null,
    data        bytea not null,
    primary key (file_key, part_offset)
);
-- Kept uncompressed (EXTERNAL): TOAST compression would spend CPU on bytes that are mostly compressed already
-- (images, archives) and gain nothing, and it would make a ranged read decompress a whole part.
alter table stored_file_parts alter column data set storage external;

-- How many attachments a message has, so that a page of messages without any costs no query of attachments.
alter table messages add column attachment_count smallint not null default 0;

-- Secrets every replica must share, made by whichever starts first: the key that signs download addresses.
create table server_secrets (
    name  text primary key,
    value bytea not null
);
