-- Phrases, common words, and words within the reader's conversations (docs/benchmarks.md, issue 16, design F).
--
-- message_word_pairs: each pair of words next to each other in a text, as the configuration cuts them, hashed to
-- one of 2^20 short names. A phrase of two words that are each in a third of all messages ("is it", "ne loshi") may
-- be in a few hundred: the words' index entries cannot find those without reading a third of the table, a pair's can.
-- Hashed, so that the index has at most 2^20 entries whatever the vocabulary (a pair's few unrelated namesakes are
-- dropped by the check of the whole query). md5 rather than hashtext: its values never change with a PostgreSQL
-- version, and the index is only right while queries compute the same names as the writes did.
create function message_word_pairs(configuration regconfig, body text) returns tsvector
    language sql immutable strict parallel safe as $$
    select coalesce(array_to_tsvector(array_agg(distinct left(md5(a.lexeme || ' ' || b.lexeme), 5))), ''::tsvector)
      from (select lexeme, unnest(positions) as at from unnest(to_tsvector(configuration, body))) a
      join (select lexeme, unnest(positions) as at from unnest(to_tsvector(configuration, body))) b on b.at = a.at + 1
$$;
-- An expression index, not a column: the pairs are needed to find messages, never to show them. search.SearchLanguage
-- recreates it with the configuration of PARLEY_SEARCH_LANGUAGE, as it does the search column.
create index messages_word_pairs on messages using gin (conversation_id, message_word_pairs('simple'::regconfig, text));
-- message_conversation_words: each word of a message named with its conversation ("1dc427:report", the first six
-- hex digits of the conversation's id), so that the index answers "these words in these fifty conversations" from
-- the entries of those conversations alone. The search GIN index above holds the word with every message that has it
-- in any conversation: for a word in 2-7 % of messages, a reader of 50 of 1,000 conversations read twenty entries
-- for each one of theirs, and a bitmap of every message of their conversations besides (32-60 ms, against 3-8 ms
-- this way, in issue 16's benchmark). Six digits make a few conversations share a name; the check of the
-- conversation drops what that lets in. A word too long to be named so (over 2,040 bytes) is left out.
create function message_conversation_words(conversation uuid, search tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
    select array_to_tsvector(array(select left(conversation::text, 6) || ':' || s.lexeme from unnest(search) s
                                    where octet_length(s.lexeme) <= 2040))
$$;
create index messages_conversation_words on messages using gin (message_conversation_words(conversation_id, search));
-- Common words are found by walking each of the reader's conversations newest first, merged, and stopping at a page;
-- it takes the place of V11's walk over every conversation's messages, of which the reader's were a few.
create index messages_conversation_newest on messages (conversation_id, created_at desc, id desc);
drop index messages_newest;
