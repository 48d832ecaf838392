package dev.parley.server.message;

import java.util.Comparator;
import java.util.List;

/**
 * How one search reads the messages, chosen by what each way would read (docs/benchmarks.md, issue 16, design F).
 * Walking the reader's conversations newest first, merged, reads about {@code wanted / density} messages, where the
 * density is the share of messages that match; asking an index for the query's rarest terms reads every one of the
 * reader's messages that has them, newest or not, to sort them. A common word or prefix is walked (a page is met
 * within a few hundred messages); a rare word, a phrase by its pair of words, or two words seldom together go to the
 * index. PostgreSQL's planner makes neither choice well: it cannot see a phrase's words' pairs, and guesses that
 * every phrase is rare.
 *
 * @param walk walk the conversations newest first
 * @param keyed ask for the words by conversation (V12's messages_conversation_words): the reader's conversations'
 *     entries alone are read, where the search index reads every conversation's
 * @param indexed when not walking, the terms the index is asked for (the rest of the query is checked on what it
 *     returns); none leaves the choice to PostgreSQL's planner
 */
record SearchPlan(boolean walk, boolean keyed, List<SearchTerm> indexed) {

    /** Each further term is another list for the index to read, and two narrow a search as far as it needs. */
    static final int MOST_INDEXED = 2;
    /**
     * A term after the rarest is asked of an index that reads every conversation's entries (the search index, or
     * the pairs') only when it is this rare: a common one ("lo" in 60 % of messages, a prefix matching hundreds of
     * words) costs far more to read than the rows it would spare (190 ms against 20 in issue 16's benchmark).
     */
    static final double MOST_SHARE_NARROWING = 0.01;
    /**
     * Asking the search index, PostgreSQL also reads the reader's conversations' entries of a btree, to keep only
     * their messages of those the term's entries name: each costs about a hundredth of a message read (50,000
     * entries in 10-30 ms, 1,266 messages in 40-80 ms, in issue 16's benchmark), so the index must spare that much.
     */
    static final double CONVERSATION_ENTRY_COST = 0.01;
    /**
     * Beyond this many conversations a search neither walks (a merge of one scan per conversation, each started
     * before the first row) nor asks by conversation (a query naming every conversation with every term), but asks
     * the search index, which reads every conversation's entries once.
     */
    static final int MOST_CONVERSATIONS_APART = 200;

    /**
     * @param terms the query's terms with their shares ({@link TermShares})
     * @param readerMessages about how many messages the reader's conversations hold
     * @param conversations how many conversations the reader's are
     * @param wanted how many of the newest matches the search needs
     */
    static SearchPlan choose(List<SearchTerm> terms, long readerMessages, int conversations, int wanted) {
        boolean apart = conversations <= MOST_CONVERSATIONS_APART;
        List<SearchTerm> rarest = terms.stream()
                .sorted(Comparator.comparingDouble(SearchTerm::share).thenComparing(SearchTerm::kind)).toList();
        double density = density(terms);
        double walkedRows = density == 0 ? Double.POSITIVE_INFINITY : Math.min(readerMessages, wanted / density);
        boolean keyed = apart && !rarest.isEmpty() && rarest.get(0).kind() != SearchTerm.Kind.PAIR;
        double indexedRows = rarest.isEmpty() ? Double.POSITIVE_INFINITY
                : readerMessages * (rarest.get(0).share() + (keyed ? 0 : CONVERSATION_ENTRY_COST));
        if (!terms.isEmpty() && apart && walkedRows < indexedRows) {
            return new SearchPlan(true, false, List.of());
        }
        List<SearchTerm> indexed = rarest.stream().limit(MOST_INDEXED).filter(term -> term == rarest.get(0)
                || term.share() <= MOST_SHARE_NARROWING || apart && term.kind() != SearchTerm.Kind.PAIR).toList();
        return new SearchPlan(false, apart && indexed.stream().anyMatch(t -> t.kind() != SearchTerm.Kind.PAIR),
                indexed);
    }

    /**
     * The share of messages expected to match, the terms taken as independent: the words outside phrases, each
     * phrase by its rarest pair (by its words when it has no pair, as when stop words part them), and the prefix.
     */
    static double density(List<SearchTerm> terms) {
        double density = 1;
        int phrases = terms.stream().mapToInt(SearchTerm::phrase).max().orElse(0);
        for (SearchTerm term : terms) {
            if (term.phrase() == 0) {
                density *= term.share();
            }
        }
        for (int phrase = 1; phrase <= phrases; phrase++) {
            int n = phrase;
            List<SearchTerm> own = terms.stream().filter(t -> t.phrase() == n).toList();
            List<SearchTerm> pairs = own.stream().filter(t -> t.kind() == SearchTerm.Kind.PAIR).toList();
            density *= pairs.isEmpty() ? own.stream().mapToDouble(SearchTerm::share).reduce(1, (a, b) -> a * b)
                    : pairs.stream().mapToDouble(SearchTerm::share).min().orElseThrow();
        }
        return density;
    }
}
