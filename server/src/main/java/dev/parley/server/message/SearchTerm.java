package dev.parley.server.message;

import java.util.UUID;

/**
 * One thing every match of a search has, as the index knows it, and the share of all messages that have it (from
 * PostgreSQL's statistics; 0 when they do not list it, as they list only the common ones).
 *
 * @param kind a word, the pair of adjacent words of a phrase, or the prefix the last word is
 * @param lexeme the word as the configuration cuts it, or the pair's name (see V12's message_word_pairs)
 * @param share the share of messages that have it
 * @param phrase which phrase it belongs to, from 1; 0 for a word outside phrases and for the prefix
 */
record SearchTerm(Kind kind, String lexeme, double share, int phrase) {

    enum Kind { WORD, PAIR, PREFIX }

    /** The term as a tsquery literal: already cut, so cast and never parsed again. */
    String tsquery() {
        return literal(lexeme);
    }

    /** The term as V12's message_conversation_words names it in this conversation. */
    String tsqueryIn(UUID conversation) {
        return literal(conversation.toString().substring(0, 6) + ":" + lexeme);
    }

    private String literal(String word) {
        String quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'";
        return kind == Kind.PREFIX ? quoted + ":*" : quoted;
    }
}
