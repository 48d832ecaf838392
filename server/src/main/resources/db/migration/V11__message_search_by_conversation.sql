-- Search reads only the conversations its reader is a member of, newest first (docs/benchmarks.md, issue 16).
-- messages_search holds each message's conversation beside its words (btree_gin lets a GIN index hold a uuid), so
-- a rare word is looked up within the reader's conversations alone instead of in every message that has it.
-- messages_newest lets a common word be found by walking the messages newest first and stopping at a page.
create extension if not exists btree_gin;
drop index messages_search;
create index messages_search on messages using gin (conversation_id, search);
create index messages_newest on messages (created_at desc, id desc);
