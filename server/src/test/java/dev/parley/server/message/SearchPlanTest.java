package dev.parley.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.message.SearchTerm.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a search reads the messages, from the shares of its terms (the figures of issue 16's benchmark). */
class SearchPlanTest {

    private static final long MESSAGES = 50_000;

    @Test
    void aCommonWordIsWalkedNewestFirst() {
        var plan = SearchPlan.choose(List.of(word("lo", 0.3)), MESSAGES, 50, 21);

        assertThat(plan.walk()).isTrue();
    }

    @Test
    void aRareWordIsAskedOfTheIndex() {
        var rare = word("mikazu", 0.0001);

        var plan = SearchPlan.choose(List.of(word("lo", 0.3), rare), MESSAGES, 50, 21);

        assertThat(plan.walk()).isFalse();
        assertThat(plan.keyed()).isTrue();
        assertThat(plan.indexed()).first().isEqualTo(rare);
    }

    @Test
    void aPhraseOfCommonWordsIsFoundByItsPairWhenThePairIsRare() {
        var pair = new SearchTerm(Kind.PAIR, "3fa9c", 0.0005, 1);
        var terms = List.of(new SearchTerm(Kind.WORD, "lo", 0.3, 1), new SearchTerm(Kind.WORD, "mi", 0.2, 1), pair);

        var plan = SearchPlan.choose(terms, MESSAGES, 50, 21);

        assertThat(SearchPlan.density(terms)).isEqualTo(0.0005);
        assertThat(plan.walk()).isFalse();
        assertThat(plan.indexed()).first().isEqualTo(pair);
    }

    @Test
    void wordsTheStatisticsDoNotListAreRareAndNeverWalked() {
        var plan = SearchPlan.choose(List.of(word("unlisted", 0)), MESSAGES, 50, 21);

        assertThat(plan.walk()).isFalse();
        assertThat(plan.indexed()).extracting(SearchTerm::lexeme).containsExactly("unlisted");
    }

    @Test
    void theIndexIsAskedForTwoTermsAtMostTheRarestFirst() {
        var terms = List.of(word("a", 0.01), word("b", 0.002), word("c", 0.005));

        var plan = SearchPlan.choose(terms, MESSAGES, 50, 21);

        assertThat(plan.indexed()).extracting(SearchTerm::lexeme).containsExactly("b", "c");
    }

    @Test
    void aCommonTermIsAskedOfTheIndexAfterARareOneOnlyByConversation() {
        var rare = word("tavepo", 0.0002);
        var prefix = new SearchTerm(Kind.PREFIX, "lo", 0.7, 0);

        var plan = SearchPlan.choose(List.of(rare, prefix), MESSAGES, 50, 21);

        assertThat(plan.walk()).isFalse();
        assertThat(plan.indexed()).as("by conversation, a common word's entries are few").containsExactly(rare,
                prefix);
        var across = SearchPlan.choose(List.of(rare, prefix), MESSAGES, SearchPlan.MOST_CONVERSATIONS_APART + 1, 21);
        assertThat(across.keyed()).isFalse();
        assertThat(across.indexed()).as("across all conversations, they are many").containsExactly(rare);
    }

    @Test
    void tooManyConversationsToMergeAreNeverWalked() {
        var plan = SearchPlan.choose(List.of(word("lo", 0.3)), MESSAGES, SearchPlan.MOST_CONVERSATIONS_APART + 1,
                21);

        assertThat(plan.walk()).isFalse();
        assertThat(plan.keyed()).isFalse();
    }

    @Test
    void operatorsAloneLeaveThePlanToPostgres() {
        var plan = SearchPlan.choose(List.of(), MESSAGES, 50, 21);

        assertThat(plan.walk()).isFalse();
        assertThat(plan.indexed()).isEmpty();
    }

    private static SearchTerm word(String lexeme, double share) {
        return new SearchTerm(Kind.WORD, lexeme, share, 0);
    }
}
