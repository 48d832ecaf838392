package dev.parley.loadgen;

import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.ListConversationsRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SearchMessagesRequest;
import dev.parley.api.v1.SearchMessagesResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Message search (BENCHMARKS-style, issue 16): one person, a member of 50 of 1,000 conversations holding 1,000,000
 * messages (scripts/bench-search seeds them), asks for the first page of 20 results, one query after another.
 * {@code --phase=setup} makes the accounts and conversations (once: a kept database keeps them); {@code --phase=
 * measure} times the queries. The queries come from messages the searcher can read, as a person searches for what
 * they remember: one word of a message, two words of one, two adjacent words as a "phrase", and a word with from:
 * its author and a month around its day. {@code --warmup} queries (100 by default) of every kind go first, untimed,
 * as a server that has been up a while has its code compiled and its search plans made.
 */
final class SearchWorkload {

    private static final String SEARCHER = "search-bench-reader";
    private static final String AUTHOR = "search-bench-author";

    private SearchWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int conversations = options.number("conversations", 1000);
        int memberOf = options.number("member-of", 50);
        int authors = options.number("authors", 20);
        List<SimulatedUser> writers = Users.prepare(target, AUTHOR, authors);
        SimulatedUser reader = SimulatedUser.as(target, SEARCHER);
        Map<String, Object> result = new LinkedHashMap<>();
        if (options.text("phase", "measure").equals("setup")) {
            result.put("workload", "search-setup");
            result.put("conversations_created", setUp(writers, reader, conversations, memberOf));
            return result;
        }
        int queries = options.number("queries", 300);
        List<Message> remembered = remembered(reader, queries, new Random(16));
        Map<String, String> usernames = new LinkedHashMap<>();
        for (int i = 0; i < authors; i++) {
            usernames.put(writers.get(i).id, AUTHOR + "-" + i);
        }
        Random warming = new Random(1601);
        int warmup = options.number("warmup", 100);
        for (int i = 0; i < warmup; i++) {
            Message message = remembered.get(warming.nextInt(remembered.size()));
            String typed = i % 3 == 0 ? word(message, warming) : i % 3 == 1
                    ? word(message, warming) + " " + word(message, warming) : phrase(message, warming);
            reader.messages().searchMessages(SearchMessagesRequest.newBuilder().setQuery(typed).setPageSize(20)
                    .setOrder(i % 2 == 0 ? dev.parley.api.v1.SearchOrder.SEARCH_ORDER_NEWEST
                            : dev.parley.api.v1.SearchOrder.SEARCH_ORDER_RELEVANCE).build());
        }
        Random random = new Random(1600);
        result.put("workload", "search");
        result.put("warmup_queries", warmup);
        result.put("messages_sampled", remembered.size());
        result.put("one_word", measure(reader, remembered, m -> word(m, random)));
        result.put("two_words", measure(reader, remembered, m -> word(m, random) + " " + word(m, random)));
        result.put("phrase", measure(reader, remembered, m -> phrase(m, random)));
        result.put("from_and_dates", measure(reader, remembered, m -> {
            LocalDate day = LocalDate.ofInstant(java.time.Instant.ofEpochSecond(m.getCreateTime().getSeconds()),
                    ZoneOffset.UTC);
            return word(m, random) + " from:@" + usernames.get(m.getAuthorId()) + " after:" + day.minusDays(15)
                    + " before:" + day.plusDays(15);
        }));
        result.put("one_word_by_relevance", measure(reader, remembered, m -> word(m, random),
                dev.parley.api.v1.SearchOrder.SEARCH_ORDER_RELEVANCE));
        return result;
    }

    /** Creates the conversations unless the reader is in them already; the number created. */
    private static int setUp(List<SimulatedUser> writers, SimulatedUser reader, int conversations, int memberOf) {
        int existing = reader.conversations().listConversations(ListConversationsRequest.newBuilder().setPageSize(200)
                .build()).getConversationsCount();
        if (existing >= memberOf) {
            return 0;
        }
        for (int i = 0; i < conversations; i++) {
            SimulatedUser owner = writers.get(i % writers.size());
            var request = CreateGroupConversationRequest.newBuilder().setTitle("search bench " + i)
                    .addAllMemberIds(writers.stream().filter(w -> w != owner).map(w -> w.id).toList());
            if (i % (conversations / memberOf) == 0) {
                request.addMemberIds(reader.id);
            }
            owner.conversations().createGroupConversation(request.build());
        }
        return conversations;
    }

    /** Messages picked at random from the reader's conversations: what the queries are made of. */
    private static List<Message> remembered(SimulatedUser reader, int count, Random random) {
        var mine = reader.conversations().listConversations(ListConversationsRequest.newBuilder().setPageSize(200)
                .build()).getConversationsList();
        List<Message> picked = new ArrayList<>();
        while (picked.size() < count) {
            var conversation = mine.get(random.nextInt(mine.size()));
            long before = 1 + random.nextLong(Math.max(1, conversation.getLastSequence()));
            var page = reader.messages().listMessages(ListMessagesRequest.newBuilder()
                    .setConversationId(conversation.getId()).setBeforeSequence(before + 1).setPageSize(1).build());
            page.getMessagesList().stream().filter(m -> !m.getDeleted()).forEach(picked::add);
        }
        return picked;
    }

    private static Map<String, Object> measure(SimulatedUser reader, List<Message> remembered,
            Function<Message, String> query) {
        return measure(reader, remembered, query, dev.parley.api.v1.SearchOrder.SEARCH_ORDER_NEWEST);
    }

    private static Map<String, Object> measure(SimulatedUser reader, List<Message> remembered,
            Function<Message, String> query, dev.parley.api.v1.SearchOrder order) {
        Latencies latencies = new Latencies();
        long results = 0;
        int found = 0;
        for (Message message : remembered) {
            var request = SearchMessagesRequest.newBuilder().setQuery(query.apply(message)).setPageSize(20)
                    .setOrder(order).build();
            long started = System.nanoTime();
            SearchMessagesResponse response = reader.messages().searchMessages(request);
            latencies.add((System.nanoTime() - started) / 1000);
            results += response.getResultsCount();
            found += response.getResultsList().stream().anyMatch(r -> r.getMessage().getId().equals(message.getId()))
                    ? 1 : 0;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("queries", remembered.size());
        summary.put("latency_ms", latencies.summary());
        summary.put("mean_results", results / (double) remembered.size());
        summary.put("remembered_message_on_first_page", found / (double) remembered.size());
        return summary;
    }

    private static String word(Message message, Random random) {
        String[] words = message.getText().split(" ");
        return words[random.nextInt(words.length)];
    }

    private static String phrase(Message message, Random random) {
        String[] words = message.getText().split(" ");
        int at = random.nextInt(Math.max(1, words.length - 1));
        return "\"" + words[at] + (words.length > 1 ? " " + words[at + 1] : "") + "\"";
    }
}
