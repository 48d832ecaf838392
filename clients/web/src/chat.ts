import { createClient, type Transport } from "@connectrpc/connect";
import { ConversationService } from "./gen/parley/v1/conversation_service_pb.js";
import { MessageService } from "./gen/parley/v1/message_service_pb.js";
import { PresenceService } from "./gen/parley/v1/presence_service_pb.js";
import { UserService } from "./gen/parley/v1/user_service_pb.js";
import { AuthService } from "./gen/parley/v1/auth_service_pb.js";
import { Visibility, type Conversation } from "./gen/parley/v1/conversation_pb.js";
import type { StreamEventsResponse } from "./gen/parley/v1/event_service_pb.js";
import type { Message } from "./gen/parley/v1/message_pb.js";
import type { SearchResult } from "./gen/parley/v1/message_service_pb.js";
import type { User } from "./gen/parley/v1/user_pb.js";
import { ChatStore } from "./store.js";
import { Files } from "./files.js";
import { Notifications } from "./notifications.js";
import { NotificationLevel } from "./gen/parley/v1/conversation_pb.js";
import { LiveStream, millis } from "./live.js";
import type { Session } from "./session.js";

const HISTORY_PAGE = 50;
/** Opening a search result reads history back to it, at most this many pages of this size; further back, around it. */
const JUMP_PAGE = 100;
const JUMP_PAGES = 5;
/** Typing notices are renewed at most this often; the server shows one for about 6 s. */
const TYPING_RENEWAL_MS = 3_000;

/** What a signed-in person can do, each action a call or two, with the results put in the store. */
export class Chat {
  readonly store: ChatStore;
  readonly files: Files;
  readonly notifications: Notifications;
  /** Opens a conversation when a notification is clicked (set by the layout). */
  openFromNotification: (conversationId: string) => void = () => undefined;
  private readonly conversations;
  private readonly messages;
  private readonly presence;
  private readonly users;
  private readonly auth;
  private readonly live: LiveStream;
  private lastTyping = 0;
  /** MarkRead calls under way: the position each asks for, by conversation. */
  private readonly marking = new Map<string, bigint>();

  constructor(transport: Transport, session: Session) {
    this.store = new ChatStore(session.userId);
    this.files = new Files(transport);
    this.notifications = new Notifications(transport);
    this.conversations = createClient(ConversationService, transport);
    this.messages = createClient(MessageService, transport);
    this.presence = createClient(PresenceService, transport);
    this.users = createClient(UserService, transport);
    this.auth = createClient(AuthService, transport);
    this.live = new LiveStream(transport, {
      onItem: (item) => this.received(item),
      onStatus: (live) => {
        this.store.online = live;
        this.store.changed();
      },
      onExpired: (ids) => ids.forEach((id) => this.reload(id)),
      onTokenRefused: () => void session.refresh(true).catch(() => undefined),
      onSessionEnded: () => session.end(),
    });
  }

  private listed: () => void = () => undefined;
  private readonly listedOnce = new Promise<void>((resolve) => (this.listed = resolve));

  /** Settles once the conversation list has loaded. */
  whenListed(): Promise<void> {
    return this.listedOnce;
  }

  /** Loads the conversation list, then stays live; the stream opens first so nothing falls between the two. */
  async start(): Promise<void> {
    void this.live.run();
    void this.notifications.start().catch(() => undefined); // without settings, every message notifies
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.loadList();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** attempt, 10_000)));
      }
    }
  }

  private async loadList(): Promise<void> {
    const { user } = await this.users.getMe({});
    this.store.users.set(user!.id, user!);
    let pageToken = "";
    do {
      const page = await this.conversations.listConversations({ pageSize: 100, pageToken });
      page.conversations.forEach((c) => this.store.putConversation(c));
      pageToken = page.nextPageToken;
    } while (pageToken);
    await this.learnPeople([...this.store.conversations.values()].map((s) => s.conversation));
    this.store.changed();
    this.listed();
  }

  stop(): void {
    this.live.stop();
  }

  async logOut(): Promise<void> {
    this.live.stop();
    await this.auth.logOut({}).catch(() => undefined);
  }

  async open(conversationId: string): Promise<void> {
    this.store.openConversationId = conversationId;
    const state = this.store.conversations.get(conversationId);
    if (state && !state.historyLoaded) {
      await this.loadOlder(conversationId);
    }
    await this.markRead(conversationId);
    this.store.changed();
  }

  /**
   * Opens a conversation at one of its messages (a search result), marked for the pane to show. History is read back
   * to it; a message far back is shown with the messages around it only, and a way back to the newest.
   */
  async openAt(message: Message): Promise<void> {
    const conversationId = message.conversationId;
    this.store.openConversationId = conversationId;
    this.store.focusMessageId = message.id;
    const state = this.store.conversations.get(conversationId);
    if (state && !state.messages.has(message.id)) {
      if (!state.historyLoaded) {
        await this.loadOlder(conversationId);
      }
      for (let page = 0; page < JUMP_PAGES && state.hasOlder && !state.messages.has(message.id); page++) {
        await this.loadOlder(conversationId, JUMP_PAGE);
      }
      if (!state.messages.has(message.id)) {
        await this.loadAround(conversationId, message.sequence);
      }
    }
    await this.markRead(conversationId);
    this.store.changed();
  }

  /** The conversation's newest messages again, after showing some far back. */
  async backToNewest(conversationId: string): Promise<void> {
    const state = this.store.conversations.get(conversationId);
    if (state) {
      state.messages.clear();
      state.historyLoaded = false;
      state.detached = false;
      await this.loadOlder(conversationId);
    }
  }

  async message(messageId: string): Promise<Message> {
    const { message } = await this.messages.getMessage({ messageId });
    this.store.putMessage(message!);
    return message!;
  }

  /** Messages matching a search (the query syntax is SearchMessagesRequest.query's), newest first. */
  async searchMessages(query: string): Promise<SearchResult[]> {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const { results } = await this.messages.searchMessages({ query, pageSize: 20, timeZone });
    await this.learnUsers(results.map((r) => r.message!.authorId));
    return results;
  }

  /** Only the messages around a sequence number: older ones load on scrolling up, newer ones on going back. */
  private async loadAround(conversationId: string, sequence: bigint): Promise<void> {
    const state = this.store.conversations.get(conversationId)!;
    const page = await this.messages.listMessages({ conversationId, pageSize: HISTORY_PAGE,
      cursor: { case: "beforeSequence", value: sequence + BigInt(HISTORY_PAGE / 2) } });
    state.messages.clear();
    page.messages.forEach((m) => this.store.putMessage(m));
    state.historyLoaded = true;
    state.hasOlder = page.hasMore;
    state.detached = true;
    await this.learnUsers(page.messages.map((m) => m.authorId));
  }

  /** The next page back in history: the newest page first, then older ones as the person scrolls up. */
  async loadOlder(conversationId: string, pageSize = HISTORY_PAGE): Promise<void> {
    const state = this.store.conversations.get(conversationId);
    if (!state || (state.historyLoaded && !state.hasOlder)) {
      return;
    }
    const oldest = [...state.messages.values()].reduce<bigint | null>(
      (min, m) => (min === null || m.sequence < min ? m.sequence : min), null);
    const page = await this.messages.listMessages({
      conversationId,
      pageSize,
      cursor: state.historyLoaded && oldest !== null ? { case: "beforeSequence", value: oldest } : { case: undefined },
    });
    page.messages.forEach((m) => this.store.putMessage(m));
    state.historyLoaded = true;
    state.hasOlder = page.hasMore;
    await this.learnUsers(page.messages.map((m) => m.authorId));
    this.store.changed();
  }

  async openThread(rootId: string): Promise<void> {
    const page = await this.messages.listThread({ messageId: rootId, pageSize: 200 });
    const replies = new Map(page.replies.map((m) => [m.id, m]));
    this.store.threads.set(rootId, replies);
    if (page.root) {
      this.store.putMessage(page.root);
    }
    await this.learnUsers(page.replies.map((m) => m.authorId));
    this.store.changed();
  }

  async send(conversationId: string, text: string, replyToMessageId = "", attachmentIds: string[] = []): Promise<void> {
    const clientMessageId = crypto.randomUUID(); // a retry of this send can never make a second message
    const { message } = await this.messages.sendMessage({ conversationId, clientMessageId, text, replyToMessageId,
      attachmentIds });
    this.store.putMessage(message!);
    this.store.changed();
  }

  /** Uploads a picture and makes it the signed-in person's avatar. */
  async setAvatar(file: File): Promise<void> {
    const picture = await this.files.upload("", file, () => undefined);
    const { user } = await this.users.updateProfile({ avatarAttachmentId: picture.id });
    this.store.users.set(user!.id, user!);
    this.store.changed();
  }

  async edit(messageId: string, text: string): Promise<void> {
    const { message } = await this.messages.editMessage({ messageId, text });
    this.store.putMessage(message!);
    this.store.changed();
  }

  async remove(messageId: string): Promise<void> {
    const { message } = await this.messages.deleteMessage({ messageId });
    this.store.putMessage(message!);
    this.store.changed();
  }

  async toggleReaction(messageId: string, emoji: string): Promise<void> {
    const mine = this.store.find(messageId)?.reactions.find((r) => r.emoji === emoji)?.reactedByMe;
    const request = { messageId, emoji };
    const { message } = mine ? await this.messages.removeReaction(request) : await this.messages.addReaction(request);
    this.store.putMessage(message!);
    this.store.changed();
  }

  /**
   * Tells the server that the conversation has been shown up to its newest event. Called whenever the open pane
   * may show more (opened, new messages while visible, the tab shown again); the local unread count cannot decide
   * it, as messages arriving in the open pane never count as unread here while the server counts them. Skipped
   * only when the server holds that position already, or a call for it is under way.
   */
  async markRead(conversationId: string): Promise<void> {
    const conversation = this.store.conversations.get(conversationId)?.conversation;
    const upTo = conversation?.lastSequence ?? 0n;
    const held = conversation?.me?.readSequence ?? upTo;
    if (held >= upTo || (this.marking.get(conversationId) ?? -1n) >= upTo) {
      return;
    }
    this.marking.set(conversationId, upTo);
    try {
      const answer = await this.messages.markRead({ conversationId, upToSequence: upTo });
      this.store.read(conversationId, answer.readSequence, answer.unreadCount);
    } finally {
      if (this.marking.get(conversationId) === upTo) {
        this.marking.delete(conversationId);
      }
    }
  }

  typing(conversationId: string): void {
    if (Date.now() - this.lastTyping > TYPING_RENEWAL_MS) {
      this.lastTyping = Date.now();
      void this.presence.sendTyping({ conversationId }).catch(() => undefined);
    }
  }

  async searchUsers(prefix: string): Promise<User[]> {
    const { users } = await this.users.searchUsers({ prefix, pageSize: 10 });
    users.forEach((u) => this.store.users.set(u.id, u));
    return users.filter((u) => u.id !== this.store.myId);
  }

  async startDirect(userId: string): Promise<string> {
    const { conversation } = await this.conversations.createDirectConversation({ userId });
    await this.adopt(conversation!);
    return conversation!.id;
  }

  async createGroup(title: string, isPublic: boolean): Promise<string> {
    const visibility = isPublic ? Visibility.PUBLIC : Visibility.PRIVATE;
    const { conversation } = await this.conversations.createGroupConversation({ title, visibility });
    await this.adopt(conversation!);
    return conversation!.id;
  }

  async browse(prefix: string): Promise<Conversation[]> {
    const { conversations } = await this.conversations.browsePublicConversations({ prefix, pageSize: 20 });
    return conversations;
  }

  async join(conversationId: string): Promise<void> {
    const { conversation } = await this.conversations.joinConversation({ conversationId });
    await this.adopt(conversation!);
  }

  private async adopt(conversation: Conversation): Promise<void> {
    this.store.putConversation(conversation);
    await this.learnPeople([conversation]);
    this.store.changed();
  }

  private received(item: StreamEventsResponse): void {
    const event = item.event;
    switch (event.case) {
      case "conversationEvent": {
        this.store.apply(event.value);
        const change = event.value.change;
        if (change.case === "messageSent") {
          void this.learnUsers([change.value.authorId]);
          const sent = change.value;
          if (sent) {
            void this.notifyInBackground(event.value.conversationId, sent).catch(() => undefined);
          }
          if (this.store.openConversationId === event.value.conversationId && document.visibilityState === "visible") {
            void this.markRead(event.value.conversationId).catch(() => undefined); // the next message, or reopening, tries again
          }
        }
        break;
      }
      case "conversationAdded":
        void this.adopt(event.value.conversation!);
        break;
      case "conversationRemoved":
        this.store.conversations.delete(event.value.conversationId);
        break;
      case "readPositionChanged":
        this.store.read(event.value.conversationId, event.value.readSequence, event.value.unreadCount);
        break;
      case "typing":
        this.store.typing(event.value.conversationId, event.value.userId, millis(event.value.expireTime));
        break;
      case "presenceChanges":
        event.value.presences.forEach((p) => this.store.presence.set(p.userId, p));
        break;
      default:
        break;
    }
    this.store.changed();
  }

  /**
   * A message while this tab is in the background: the server does not push to someone online, so the page shows
   * the notification, by the same rules (the conversation's level or the account's default, mute, the author).
   */
  private async notifyInBackground(conversationId: string, message: Message): Promise<void> {
    const state = this.store.conversations.get(conversationId);
    const me = state?.conversation.me;
    if (!state || !me || me.muted || message.authorId === this.store.myId
        || (document.visibilityState === "visible" && document.hasFocus())) {
      return;
    }
    const level = me.notificationLevel === NotificationLevel.DEFAULT ? this.notifications.defaultLevel : me.notificationLevel;
    const direct = state.conversation.otherUserId !== "";
    const mentioned = message.mentions.some((m) => m.userId === this.store.myId);
    if (level === NotificationLevel.NOTHING || (level === NotificationLevel.MENTIONS && !mentioned && !direct)) {
      return;
    }
    await this.learnUsers([message.authorId]);
    const author = this.store.nameOf(message.authorId);
    const text = message.text || (message.attachments.length > 0 ? "(a file)" : "");
    await this.notifications.show(direct ? author : this.store.titleOf(state.conversation), `${author}: ${text}`,
      conversationId, (id) => this.openFromNotification(id));
  }

  /** Sets the caller's notification level or mute for a conversation. */
  async setNotifications(conversationId: string, level: NotificationLevel | null, muted: boolean | null): Promise<void> {
    const { me } = await this.conversations.updateMySettings({
      conversationId, notificationLevel: level ?? NotificationLevel.UNSPECIFIED, ...(muted === null ? {} : { muted }),
    });
    const state = this.store.conversations.get(conversationId);
    if (state && me) {
      state.conversation.me = me;
    }
    this.store.changed();
  }

  /** A conversation whose missed events the server no longer keeps: its messages are read again from history. */
  private async reload(conversationId: string): Promise<void> {
    const { conversation } = await this.conversations.getConversation({ conversationId });
    const state = this.store.putConversation(conversation!);
    state.messages.clear();
    state.historyLoaded = false;
    if (this.store.openConversationId === conversationId) {
      await this.loadOlder(conversationId);
    }
    this.store.changed();
  }

  private async learnPeople(conversations: Conversation[]): Promise<void> {
    const others = conversations.map((c) => c.otherUserId).filter((id) => id !== "");
    const authors = conversations.map((c) => c.lastMessage?.authorId ?? "").filter((id) => id !== "");
    await this.learnUsers([...others, ...authors]);
    if (others.length > 0) {
      const { presences } = await this.presence.getPresence({ userIds: [...new Set(others)] });
      presences.forEach((p) => this.store.presence.set(p.userId, p));
    }
  }

  private async learnUsers(ids: string[]): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => id && !this.store.users.has(id));
    if (unknown.length > 0) {
      const { users } = await this.users.getUsers({ userIds: unknown });
      users.forEach((u) => this.store.users.set(u.id, u));
      this.store.changed();
    }
  }
}
