-- A group's own message retention (issue 15): null keeps its messages for as long as the group exists.
alter table conversations add column message_retention_seconds bigint check (message_retention_seconds > 0);
-- The purge looks only at the few conversations that have one.
create index conversations_with_message_retention on conversations (id) where message_retention_seconds is not null;
