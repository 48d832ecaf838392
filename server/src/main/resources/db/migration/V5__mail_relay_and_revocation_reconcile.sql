-- The outbox used to keep every reset mail, its token in clear, for ever. It is now the durable queue in front of
-- the SMTP relay (mail/MailRelay): a row is deleted once the mail server accepted it, or unsent once it expires
-- with the token it carries. The rows kept so far are of no use to anyone and hold live secrets: they go.
delete from mail_outbox;
alter table mail_outbox
    add column expires_at      timestamptz not null,
    add column next_attempt_at timestamptz not null default now(),
    add column attempts        integer not null default 0;
create index mail_outbox_due on mail_outbox (next_attempt_at);

-- Every node re-reads recently revoked bot tokens, as it does sessions, in case a bus notice was lost.
create index bot_tokens_recently_revoked on bot_tokens (revoked_at) where revoked_at is not null;
