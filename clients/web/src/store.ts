import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Conversation } from "./gen/parley/v1/conversation_pb.js";
import type { ConversationEvent } from "./gen/parley/v1/event_pb.js";
import type { Message } from "./gen/parley/v1/message_pb.js";
import type { Presence } from "./gen/parley/v1/presence_pb.js";
import type { User } from "./gen/parley/v1/user_pb.js";

/** One conversation as this tab knows it: the server's view plus the messages loaded so far. */
export interface ConversationState {
  conversation: Conversation;
  /** Top-level messages loaded (history pages and live ones), by id. */
  messages: Map<string, Message>;
  historyLoaded: boolean;
  hasOlder: boolean;
  /** Who is typing, until when (epoch ms). */
  typing: Map<string, number>;
  /** Showing messages far back (a search result) without the newest ones: a button goes back to them. */
  detached: boolean;
}

/**
 * Everything the app shows, changed only by the functions here (from call answers and stream events), which then
 * tell the views to draw again. Applying the same event twice changes nothing: messages are kept by id.
 */
export class ChatStore {
  readonly users = new Map<string, User>();
  readonly presence = new Map<string, Presence>();
  readonly conversations = new Map<string, ConversationState>();
  /** Replies of the threads opened, by root message id. */
  readonly threads = new Map<string, Map<string, Message>>();
  openConversationId: string | null = null;
  /** A message to scroll to and mark once it is drawn (a search result opened); cleared by the pane that shows it. */
  focusMessageId: string | null = null;
  online = false;
  private readonly listeners = new Set<() => void>();

  constructor(readonly myId: string) {}

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  changed(): void {
    this.listeners.forEach((listener) => listener());
  }

  /**
   * Keeps the server's view of a conversation, unless this tab already holds a newer one: an answer read before
   * events the stream has since delivered would otherwise undo them (member counts, previews, unread counts).
   */
  putConversation(conversation: Conversation): ConversationState {
    const known = this.conversations.get(conversation.id);
    if (known) {
      if (conversation.lastSequence >= known.conversation.lastSequence) {
        known.conversation = conversation;
      }
      return known;
    }
    const state: ConversationState = {
      conversation,
      messages: new Map(),
      historyLoaded: false,
      hasOlder: true,
      typing: new Map(),
      detached: false,
    };
    this.conversations.set(conversation.id, state);
    return state;
  }

  /** The conversations by latest activity, newest first. */
  ordered(): ConversationState[] {
    const activity = (c: ConversationState) =>
      c.conversation.lastActivityTime ? timestampMs(c.conversation.lastActivityTime) : 0;
    return [...this.conversations.values()].sort((a, b) => activity(b) - activity(a));
  }

  putMessage(message: Message): void {
    const state = this.conversations.get(message.conversationId);
    if (state?.conversation.lastMessage?.id === message.id) {
      state.conversation.lastMessage = message; // the list's preview shows edits and deletions too
    }
    if (message.threadRootId) {
      this.threads.get(message.threadRootId)?.set(message.id, message);
      return;
    }
    state?.messages.set(message.id, message);
  }

  /**
   * A change from the stream, applied in the conversation's sequence order. The stream also replays events the
   * conversation as last read from the server already counts (a new conversation is announced, then replayed from
   * the join on), so what counts (members, unread messages) or replaces the conversation applies only past its
   * last sequence; messages are kept by id and need no such care.
   */
  apply(event: ConversationEvent): void {
    const state = this.conversations.get(event.conversationId);
    if (!state) {
      return;
    }
    const fresh = event.sequence > state.conversation.lastSequence;
    const change = event.change;
    switch (change.case) {
      case "messageSent":
        this.received(state, change.value, event, fresh);
        break;
      case "messageEdited":
        this.replace(change.value);
        break;
      case "messageDeleted":
        this.tombstone(state, change.value.messageId);
        break;
      case "reactionAdded":
      case "reactionRemoved":
        this.react(change.value.messageId, change.value.userId, change.value.emoji, change.case === "reactionAdded");
        break;
      case "memberJoined":
      case "memberLeft":
      case "memberRemoved":
        if (fresh) {
          state.conversation.memberCount += change.case === "memberJoined" ? 1 : -1;
        }
        break;
      case "conversationUpdated":
      case "conversationArchived":
        if (fresh) {
          state.conversation = { ...change.value, me: state.conversation.me, lastMessage: state.conversation.lastMessage };
        }
        break;
    }
    if (fresh) {
      state.conversation.lastSequence = event.sequence;
    }
  }

  private received(state: ConversationState, message: Message, event: ConversationEvent, fresh: boolean): void {
    this.putMessage(message);
    state.typing.delete(message.authorId);
    if (!fresh) {
      return;
    }
    if (message.threadRootId) {
      const root = this.find(message.threadRootId);
      if (root) {
        this.replace({ ...root, replyCount: root.replyCount + 1 });
      }
    }
    state.conversation.lastMessage = message;
    state.conversation.lastActivityTime = event.time;
    const me = state.conversation.me;
    if (me && message.authorId === this.myId) {
      // The server moves the author's read position to what they send: knowing it saves a MarkRead call.
      me.readSequence = message.sequence > me.readSequence ? message.sequence : me.readSequence;
    } else if (me && (this.openConversationId !== state.conversation.id || document.visibilityState !== "visible")) {
      // Open but in a background tab counts as unread too: it is read when the tab is seen again (MarkRead then).
      me.unreadCount += 1n;
      if (message.mentions.some((m) => m.userId === this.myId)) {
        me.unreadMentionCount += 1n;
      }
    }
  }

  /** The read position the server holds, from a MarkRead answer or another device; it only moves forward. */
  read(conversationId: string, readSequence: bigint, unreadCount: bigint): void {
    const me = this.conversations.get(conversationId)?.conversation.me;
    if (me && readSequence >= me.readSequence) {
      me.readSequence = readSequence;
      me.unreadCount = unreadCount;
      if (unreadCount === 0n) {
        me.unreadMentionCount = 0n;
      }
    }
  }

  /** Unread messages over every conversation not muted: the number in the tab's title. */
  totalUnread(): bigint {
    let total = 0n;
    for (const state of this.conversations.values()) {
      const me = state.conversation.me;
      if (me && !me.muted) {
        total += me.unreadCount;
      }
    }
    return total;
  }

  find(messageId: string): Message | undefined {
    for (const state of this.conversations.values()) {
      const message = state.messages.get(messageId);
      if (message) {
        return message;
      }
    }
    for (const replies of this.threads.values()) {
      const message = replies.get(messageId);
      if (message) {
        return message;
      }
    }
    return undefined;
  }

  /** An edited message, where this tab shows it: loaded, or as its conversation's preview. */
  private replace(message: Message): void {
    const preview = this.conversations.get(message.conversationId)?.conversation.lastMessage;
    if (this.find(message.id) || preview?.id === message.id) {
      this.putMessage(message);
    }
  }

  private tombstone(state: ConversationState, messageId: string): void {
    const preview = state.conversation.lastMessage;
    const message = this.find(messageId) ?? (preview?.id === messageId ? preview : undefined);
    if (message) {
      this.putMessage({ ...message, deleted: true, text: "", reactions: [], mentions: [] });
    }
  }

  private react(messageId: string, userId: string, emoji: string, added: boolean): void {
    const message = this.find(messageId);
    if (!message) {
      return;
    }
    const reactions = message.reactions.map((r) => ({ ...r }));
    let summary = reactions.find((r) => r.emoji === emoji);
    if (!summary && added) {
      summary = { $typeName: "parley.v1.ReactionSummary", emoji, count: 0, reactedByMe: false };
      reactions.push(summary);
    }
    if (summary) {
      summary.count += added ? 1 : -1;
      if (userId === this.myId) {
        summary.reactedByMe = added;
      }
    }
    this.putMessage({ ...message, reactions: reactions.filter((r) => r.count > 0) });
  }

  typing(conversationId: string, userId: string, until: number): void {
    if (userId !== this.myId) {
      this.conversations.get(conversationId)?.typing.set(userId, until);
    }
  }

  /** Display name of a user, or a placeholder while their profile loads. */
  nameOf(userId: string): string {
    const user = this.users.get(userId);
    return user ? user.displayName || user.username : "…";
  }

  /** What a conversation is called: its title, or for a direct one the other person. */
  titleOf(conversation: Conversation): string {
    return conversation.otherUserId ? this.nameOf(conversation.otherUserId) : conversation.title;
  }
}
