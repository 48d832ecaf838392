package dev.parley.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.SearchOrder;
import dev.parley.server.search.SearchLanguage;
import dev.parley.server.search.SearchQuery;
import dev.parley.server.search.SearchQueryParser;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every way a search can read the messages ({@link SearchPlan}) finds the same page in the same order, against the
 * real database: walking the conversations, asking the index for each one of the query's terms (a word, a phrase's
 * pair, the prefix) across all conversations and by conversation, for all its words by conversation, and leaving it
 * to PostgreSQL's planner. Which way a search takes depends on the statistics of
 * the whole database, so the service's tests alone would exercise whichever one a test database happens to favour.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchPlansAgreeTest {

    @Inject
    SearchLanguage language;

    private UUID[] conversations;
    private String authorName;

    @BeforeAll
    void sendMessagesAndGatherStatistics() throws SQLException {
        var reader = TestUsers.signUp("reader");
        var author = TestUsers.signUp("author");
        authorName = author.username();
        Conversation first = Chats.group(reader, author);
        Conversation second = Chats.group(author, reader);
        Conversation elsewhere = Chats.group(author);
        for (int i = 0; i < 30; i++) {
            Conversation in = i % 2 == 0 ? first : second;
            Chats.send(i % 3 == 0 ? author : reader, in, switch (i % 4) {
                case 0 -> "ubiquity cobalt note " + i;
                case 1 -> "cobalt and ubiquity, " + "again ".repeat(i % 5) + i;
                case 2 -> "ubiquitous cobalt ubiquity cobalt " + i;
                default -> "nothing to see " + i;
            });
            Chats.send(author, elsewhere, "ubiquity cobalt outside " + i);
        }
        conversations = new UUID[] {UUID.fromString(first.getId()), UUID.fromString(second.getId())};
        try (Connection connection = TestServices.connect()) {
            connection.createStatement().execute("analyze messages");
        }
    }

    @Test
    void everyPlanFindsTheSamePagesNewestFirstAndByRelevance() throws SQLException {
        for (String typed : List.of("ubiquity", "ubiquity cobalt", "\"ubiquity cobalt\"", "\"cobalt ubiquity\"",
                "cobalt ubiq", "ubiquity from:@" + authorName, "\"ubiquity cobalt\" note")) {
            SearchQuery query = SearchQueryParser.parse(typed, ZoneOffset.UTC);
            for (SearchOrder order : List.of(SearchOrder.SEARCH_ORDER_NEWEST, SearchOrder.SEARCH_ORDER_RELEVANCE)) {
                try (Connection connection = TestServices.connect()) {
                    List<SearchTerm> terms = TermShares.of(connection, language.configuration(), query);
                    List<SearchPlan> plans = new ArrayList<>(List.of(new SearchPlan(true, false, List.of()),
                            new SearchPlan(false, false, List.of())));
                    terms.forEach(term -> plans.add(new SearchPlan(false, false, List.of(term))));
                    terms.stream().filter(term -> term.kind() != SearchTerm.Kind.PAIR)
                            .forEach(term -> plans.add(new SearchPlan(false, true, List.of(term))));
                    plans.add(new SearchPlan(false, true, terms.stream()
                            .filter(term -> term.kind() != SearchTerm.Kind.PAIR).toList()));
                    var start = new Searches.Cursor(order, null, null, 0);
                    List<UUID> walked = ids(connection, query, plans.get(0), order, start);
                    assertThat(walked).as(typed).isNotEmpty();
                    for (SearchPlan plan : plans) {
                        assertThat(ids(connection, query, plan, order, start)).as(typed + " by " + plan)
                                .isEqualTo(walked);
                    }
                    if (order == SearchOrder.SEARCH_ORDER_NEWEST && walked.size() > 3) {
                        var after = afterThird(connection, walked.get(2), order);
                        for (SearchPlan plan : plans) {
                            assertThat(ids(connection, query, plan, order, after)).as(typed + " later, " + plan)
                                    .isEqualTo(walked.subList(3, walked.size()));
                        }
                    }
                }
            }
        }
    }

    @Test
    void theStatisticsTellACommonWordAndAPhrasesPair() throws SQLException {
        try (Connection connection = TestServices.connect()) {
            List<SearchTerm> terms = TermShares.of(connection, language.configuration(),
                    SearchQueryParser.parse("\"ubiquity cobalt\" ubiq", ZoneOffset.UTC));

            assertThat(terms).extracting(SearchTerm::kind).containsExactlyInAnyOrder(SearchTerm.Kind.WORD,
                    SearchTerm.Kind.WORD, SearchTerm.Kind.PAIR, SearchTerm.Kind.PREFIX);
            assertThat(terms).allSatisfy(term -> assertThat(term.share()).as(term.toString()).isPositive());
        }
    }

    private List<UUID> ids(Connection connection, SearchQuery query, SearchPlan plan, SearchOrder order,
            Searches.Cursor from) throws SQLException {
        SearchSql sql = SearchSql.of(conversations, query, plan, order, from, 100, language.configuration());
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            sql.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<UUID> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getObject("id", UUID.class));
                }
                return ids;
            }
        }
    }

    private static Searches.Cursor afterThird(Connection connection, UUID third, SearchOrder order)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select created_at from messages where id = ?")) {
            statement.setObject(1, third);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new Searches.Cursor(order, rows.getTimestamp(1).toInstant(), third, 0);
            }
        }
    }
}
