package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.ConversationEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A feed hands each conversation event to the streams once, in sequence order, whatever order and however often
 * the bus brings notices; across a gap it reads the log (here: a list standing in for what has committed).
 */
class FeedTest {

    private static final UUID CONVERSATION = UUID.randomUUID();
    private final List<ConversationEvent> committed = new CopyOnWriteArrayList<>();
    private final List<Long> released = new ArrayList<>();
    private final List<Long> reads = new ArrayList<>();
    private final Feed feed = new Feed(CONVERSATION, new java.util.HashSet<>(), this::readAfter, Runnable::run,
            event -> released.add(event.getSequence()));

    @Test
    void noticesInOrderGoOutInOrder() {
        commit(1, 2, 3);
        feed.startAt(0);
        committed.forEach(feed::offer);
        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(reads).isEmpty();
    }

    @Test
    void aNoticePastAGapWaitsWhileTheMissingEventsAreReadOnce() {
        commit(1, 2, 3, 4);
        feed.startAt(1);
        feed.offer(event(4));
        assertThat(released).containsExactly(2L, 3L, 4L);
        assertThat(reads).containsExactly(1L);
        feed.offer(event(2));
        feed.offer(event(3));
        assertThat(released).as("late notices of what went out are dropped").containsExactly(2L, 3L, 4L);
    }

    @Test
    void repeatedNoticesGoOutOnce() {
        commit(1, 2);
        feed.startAt(0);
        feed.offer(event(1));
        feed.offer(event(1));
        feed.offer(event(2));
        feed.offer(event(1));
        assertThat(released).containsExactly(1L, 2L);
        assertThat(feed.delivered()).isEqualTo(2);
    }

    @Test
    void noticesBeforeTheStartAreHeldAndThoseUpToTheHeadAreNotTheFeeds() {
        commit(1, 2, 3);
        feed.offer(event(2));
        feed.offer(event(3));
        assertThat(released).isEmpty();
        feed.startAt(2);
        assertThat(released).containsExactly(3L);
    }

    @Test
    void aReadThatFindsNothingWaitsForTheNextNoticeInsteadOfSpinning() {
        commit(1);
        feed.startAt(0);
        feed.offer(event(3)); // 2 is not committed yet: nothing to read past 1 but 1 itself
        assertThat(released).containsExactly(1L);
        int readsSoFar = reads.size();
        commit(2, 3);
        feed.offer(event(2));
        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(reads.size()).isLessThanOrEqualTo(readsSoFar + 1);
    }

    @Test
    void aThousandShuffledNoticesGoOutOnceEachInOrder() {
        List<Long> sequences = new ArrayList<>(LongStream.rangeClosed(1, 1000).boxed().toList());
        sequences.forEach(this::commit);
        java.util.Collections.shuffle(sequences, new java.util.Random(12));
        feed.startAt(0);
        sequences.forEach(s -> feed.offer(event(s)));
        assertThat(released).isEqualTo(LongStream.rangeClosed(1, 1000).boxed().toList());
    }

    @Test
    void whatCommittedBeforeTheSubscriptionTookEffectIsReadOnceTheFeedHasStarted() {
        commit(1, 2, 3);
        feed.subscribed();
        assertThat(reads).as("not started yet: nothing to read from").isEmpty();
        feed.startAt(1);
        assertThat(released).as("events 2 and 3 had no notice, the feed read them").containsExactly(2L, 3L);
        commit(4);
        feed.catchUp();
        assertThat(released).containsExactly(2L, 3L, 4L);
    }

    private List<ConversationEvent> readAfter(UUID conversationId, long sequence) {
        reads.add(sequence);
        return committed.stream().filter(e -> e.getSequence() > sequence).toList();
    }

    private void commit(long... sequences) {
        for (long sequence : sequences) {
            commit(sequence);
        }
    }

    private void commit(Long sequence) {
        committed.add(event(sequence));
    }

    private static ConversationEvent event(long sequence) {
        return ConversationEvent.newBuilder().setConversationId(CONVERSATION.toString()).setSequence(sequence).build();
    }
}
