package dev.parley.server.message;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Message;
import dev.parley.server.attachment.MessageAttachments;
import dev.parley.server.common.RoundTrip;
import dev.parley.server.log.BatchAppends;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One group commit's writes, in the caller's transaction, in two round trips whatever the batch's size (and one
 * more for each of replies and mentions, when some send has them): the checks together with the claim of the
 * numbers, then the messages together with their log events. Sends to one
 * conversation get consecutive numbers in the order they arrived. The claim is made for the sends expected to be
 * written (at first all of them, since refusals are rare); when the checks disagree, the attempt stops, for a new
 * one that knows better. What cannot be written is only marked, for an answer found after the commit: the batch
 * does not fail for one bad send.
 */
final class SendBatch {

    /** What became of one send. */
    enum Outcome {
        /** Written: the message is in {@link Written#messages()}. */
        SENT,
        /** The author made this send before (or earlier in this batch): the answer is the earlier message. */
        REPEATED,
        /** Not a writer there, or a reply to a message of another conversation: the answer says which. */
        REFUSED
    }

    /**
     * The batch as written, or {@code consistent = false} when what was expected changed (a send refused, a member
     * removed, the same send made on another node meanwhile): then it must roll back, and the next attempt expects
     * {@code outcomes}.
     */
    record Written(boolean consistent, List<Outcome> outcomes, Map<Integer, Message> messages,
            List<ConversationEvent> events, List<MessagePosted> posted) {
    }

    private SendBatch() {
    }

    static Written write(Connection connection, List<SendRequest> sends, List<Outcome> expected, Instant now)
            throws SQLException {
        SendChecks checks = SendChecks.referenced(connection, sends);
        BatchAppends.Claimed claimed = new BatchAppends.Claimed();
        TreeMap<UUID, Integer> counts = counts(sends, expected);
        RoundTrip checkAndClaim = new RoundTrip()
                // Generic plans: planning these statements afresh at every execution cost PostgreSQL more CPU than
                // running them (0.4 ms a statement, measured). The timeouts bound how long one locked conversation
                // can hold up the lane; past them the batch is split (GroupCommit).
                .with(RoundTrip.plain("set local plan_cache_mode = force_generic_plan"))
                .with(RoundTrip.plain("set local lock_timeout = '2s'"))
                .with(RoundTrip.plain("set local statement_timeout = '5s'"))
                .with(checks.writersAndEarlier(sends));
        if (counts.size() > 1) {
            checkAndClaim.with(BatchAppends.lockInOrder(counts.keySet()));
        }
        if (!counts.isEmpty()) {
            checkAndClaim.with(BatchAppends.claimMessages(counts, now, claimed));
        }
        checkAndClaim.run(connection);
        List<Outcome> outcomes = decide(sends, checks);
        if (!outcomes.equals(expected)) {
            return inconsistent(outcomes);
        }
        if (counts.isEmpty()) {
            return new Written(true, outcomes, Map.of(), List.of(), List.of());
        }
        Numbered written = Numbered.number(sends, outcomes, checks, claimed, now);
        if (written == null) {
            return inconsistent(outcomes); // a conversation is gone
        }
        MessageRows.Inserted inserted = new MessageRows.Inserted();
        List<UUID> ids = written.rows().stream().map(NewMessage::id).toList();
        List<List<UUID>> files = written.rows().stream().map(row -> row.request().attachmentIds()).toList();
        RoundTrip insert = new RoundTrip()
                .with(MessageRows.insert(written.rows(), now, inserted))
                .with(BatchAppends.record(written.events(), ids, now));
        MessageAttachments.Claimed filesClaimed = new MessageAttachments.Claimed();
        int wanted = MessageAttachments.count(files);
        if (wanted > 0) {
            insert.with(MessageAttachments.claim(ids, files, filesClaimed));
        }
        insert.run(connection);
        if (inserted.count() != written.rows().size() || filesClaimed.count() != wanted) {
            return inconsistent(outcomes); // a file was sent by another send meanwhile: the checks will say so
        }
        return new Written(true, outcomes, written.views(), written.events(), written.posted());
    }

    /** All sends expected to be written, before anything is known. */
    static List<Outcome> allSent(int count) {
        return new ArrayList<>(Collections.nCopies(count, Outcome.SENT));
    }

    /** The batch's messages, numbered: as rows to insert, as the views their senders get, as log events. */
    private record Numbered(List<NewMessage> rows, Map<Integer, Message> views, List<ConversationEvent> events,
            List<MessagePosted> posted) {

        static Numbered number(List<SendRequest> sends, List<Outcome> outcomes, SendChecks checks,
                BatchAppends.Claimed claimed, Instant now) {
            Map<UUID, Long> next = new HashMap<>();
            Numbered messages = new Numbered(new ArrayList<>(), new HashMap<>(), new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < sends.size(); i++) {
                SendRequest send = sends.get(i);
                if (outcomes.get(i) != Outcome.SENT) {
                    continue;
                }
                Long sequence = next.computeIfAbsent(send.conversationId(), claimed::first);
                if (sequence == null) {
                    return null;
                }
                next.put(send.conversationId(), sequence + 1);
                messages.add(i, send, sequence, checks, now);
            }
            return messages;
        }

        private void add(int index, SendRequest send, long sequence, SendChecks checks, Instant now) {
            Map<String, UUID> members = checks.mentionable(send.conversationId());
            UUID[] mentions = Mentions.ordered(Mentions.names(send.text()), members);
            SendChecks.Parent parent = checks.parent(send);
            NewMessage row = new NewMessage(UUID.randomUUID(), send, sequence, mentions,
                    parent == null ? null : parent.thread(), now);
            Message view = MessageViews.bare(row, usernames(members), checks.attachments(send));
            rows.add(row);
            views.put(index, view);
            events.add(BatchAppends.event(send.conversationId(), sequence, send.authorId(), now)
                    .setMessageSent(view).build());
            posted.add(new MessagePosted(view, send.authorId(), List.of(mentions)));
        }

        private static Map<UUID, String> usernames(Map<String, UUID> members) {
            Map<UUID, String> names = new HashMap<>();
            members.forEach((name, id) -> names.put(id, name));
            return names;
        }
    }

    /** Which sends can be written, from what was read. A file named by two sends goes with the first. */
    private static List<Outcome> decide(List<SendRequest> sends, SendChecks checks) {
        List<Outcome> outcomes = new ArrayList<>(sends.size());
        Set<String> seen = new HashSet<>();
        Set<UUID> filesTaken = new HashSet<>();
        for (SendRequest send : sends) {
            SendChecks.Parent parent = checks.parent(send);
            if (!seen.add(send.idempotencyKey()) || checks.madeBefore(send)) {
                outcomes.add(Outcome.REPEATED);
            } else if (!checks.mayWrite(send) || (send.replyToId() != null
                    && (parent == null || !parent.conversationId().equals(send.conversationId())))
                    || !checks.attachmentsSendable(send) || !takeFiles(send, filesTaken)) {
                outcomes.add(Outcome.REFUSED);
            } else {
                outcomes.add(Outcome.SENT);
            }
        }
        return outcomes;
    }

    /** Takes the send's files unless an earlier send of the batch took one of them. */
    private static boolean takeFiles(SendRequest send, Set<UUID> taken) {
        if (send.attachmentIds().stream().anyMatch(taken::contains)) {
            return false;
        }
        taken.addAll(send.attachmentIds());
        return true;
    }

    /** How many numbers each conversation needs, in conversation id order (the order rows are locked in). */
    private static TreeMap<UUID, Integer> counts(List<SendRequest> sends, List<Outcome> expected) {
        TreeMap<UUID, Integer> counts = new TreeMap<>();
        for (int i = 0; i < sends.size(); i++) {
            if (expected.get(i) == Outcome.SENT) {
                counts.merge(sends.get(i).conversationId(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Written inconsistent(List<Outcome> outcomes) {
        return new Written(false, outcomes, Map.of(), List.of(), List.of());
    }
}
