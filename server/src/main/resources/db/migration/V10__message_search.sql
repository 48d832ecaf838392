-- Full-text search of messages (MessageService.SearchMessages). The words of each message's current text, cut by
-- a PostgreSQL text-search configuration: 'simple' here (no stemming, no stop words, so names and every language
-- work alike). search.SearchLanguage rewrites the column at start-up when PARLEY_SEARCH_LANGUAGE names another.
-- Generated, so an edit recomputes it and a tombstone (text null) has none: neither path can forget it.
alter table messages add column search tsvector
    generated always as (to_tsvector('simple'::regconfig, coalesce(text, ''))) stored;
create index messages_search on messages using gin (search);
