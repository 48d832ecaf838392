import { ConversationKind, NotificationLevel } from "../gen/parley/v1/conversation_pb.js";
import type { Message } from "../gen/parley/v1/message_pb.js";
import type { Chat } from "../chat.js";
import type { ConversationState } from "../store.js";
import { describe } from "../errors.js";
import { composer } from "./composer.js";
import { fill, h, place, reveal, setText } from "./dom.js";
import { keptMessageView, messageViews, type MessageContext } from "./message.js";
import { presenceClass } from "./sidebar.js";
import { Views } from "./views.js";

/**
 * The open conversation: its header, history (loading older pages when scrolled to the top), typing, composer.
 * Drawing again changes only what changed, so what the reader selected or is typing stays put.
 */
export class ConversationPane {
  readonly element = h("main", { class: "conversation" });
  private readonly header = h("header", { class: "conversation-header" });
  private readonly title = h("h2", { "data-testid": "conversation-title" });
  private readonly about = h("small");
  private readonly connection = h("span", { class: "connection", "data-testid": "connection" });
  private readonly level = h("select", { "aria-label": "Notify me of", "data-testid": "notification-level" },
    h("option", { value: String(NotificationLevel.DEFAULT) }, "Notify: my default"),
    h("option", { value: String(NotificationLevel.EVERYTHING) }, "Notify: every message"),
    h("option", { value: String(NotificationLevel.MENTIONS) }, "Notify: mentions only"),
    h("option", { value: String(NotificationLevel.NOTHING) }, "Notify: nothing"));
  private readonly mute = h("input", { type: "checkbox", "data-testid": "mute" });
  private readonly list = h("div", { class: "messages", "data-testid": "messages" });
  private readonly typingLine = h("div", { class: "typing", "data-testid": "typing", "aria-live": "polite" });
  private readonly notice = h("div", { class: "notice", role: "alert" });
  private readonly placeholder = h("div", { class: "placeholder" }, h("h2", {}, "Parley"),
    h("p", {}, "Pick a conversation, find someone to talk to, or start a group."));
  private readonly start = h("div", { class: "start" }, "This is the beginning of the conversation");
  private readonly newest = h("button", { class: "link newest", "data-testid": "back-to-newest",
    onclick: () => void this.backToNewest() }, "Showing older messages · Jump to the newest");
  private readonly box: HTMLElement;
  private readonly messages = messageViews();
  private readonly days = new Views<string>((a, b) => a === b);
  private shownId: string | null = null;
  private loadingOlder = false;
  private noticeTimer: number | undefined;

  constructor(private readonly chat: Chat, private readonly context: Omit<MessageContext, "inThread" | "failed">,
              private readonly back: () => void) {
    this.box = composer("Write a message…", "composer", (text, files) => this.send(text, files),
      () => this.open() && chat.typing(this.open()!),
      (file, progress) => chat.files.upload(this.open()!, file, progress));
    this.list.addEventListener("scroll", () => {
      if (this.list.scrollTop < 80) {
        void this.older();
      }
    });
    const settingsFailed = (failure: unknown) => this.failed(`Not changed: ${describe(failure)}`);
    this.level.addEventListener("change", () => void chat.setNotifications(this.open()!,
      Number(this.level.value) as NotificationLevel, null).catch(settingsFailed));
    this.mute.addEventListener("change", () => void chat.setNotifications(this.open()!, null, this.mute.checked)
      .catch(settingsFailed));
    fill(this.header, h("button", { class: "icon back", title: "Back", onclick: () => this.back() }, "←"),
      h("div", {}, this.title, this.about), h("div", { class: "conversation-settings" }, this.level,
        h("label", { class: "check" }, this.mute, "Mute")), this.connection);
    fill(this.element, this.header, this.list, this.typingLine, this.notice, this.box);
  }

  draw(): void {
    const id = this.open();
    const state = id ? this.chat.store.conversations.get(id) : undefined;
    this.element.classList.toggle("empty", !state);
    this.box.hidden = !state; // nothing to write to until a conversation is open
    this.header.hidden = !state;
    if (!state) {
      place(this.list, [this.placeholder]);
      this.shownId = null;
    } else {
      this.drawHeader(state);
      this.drawMessages(state);
    }
    this.drawTyping();
  }

  /** Only the typing line: notices expire on their own, with nothing else to draw. */
  drawTyping(): void {
    const state = this.open() ? this.chat.store.conversations.get(this.open()!) : undefined;
    const now = Date.now();
    const typing = [...(state?.typing ?? [])].filter(([, until]) => until > now).map(([user]) => this.chat.store.nameOf(user));
    setText(this.typingLine, typing.length === 0 ? "" : `${typing.join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`);
  }

  /** Shows a failure under the messages for a while. */
  failed(text: string): void {
    this.notice.textContent = text;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => (this.notice.textContent = ""), 6_000);
  }

  /** The header's texts, changed only when they differ: the Back button stays the same element. */
  private drawHeader(state: ConversationState): void {
    const store = this.chat.store;
    const c = state.conversation;
    const direct = c.kind === ConversationKind.DIRECT;
    const online = store.online ? "live" : "offline";
    setText(this.title, direct ? store.titleOf(c) : `# ${c.title}`);
    setText(this.about, direct ? presenceClass(store.presence.get(c.otherUserId)?.state)
      : `${c.memberCount} members${c.archiveTime ? " · archived" : ""}`);
    setText(this.connection, online);
    this.connection.className = `connection ${online}`;
    // Set only when it differs, so an open list keeps its place while the stream redraws.
    const level = String(c.me?.notificationLevel ?? NotificationLevel.DEFAULT);
    if (this.level.value !== level && document.activeElement !== this.level) {
      this.level.value = level;
    }
    this.mute.checked = c.me?.muted ?? false;
  }

  private drawMessages(state: ConversationState): void {
    const switched = state.conversation.id !== this.shownId;
    this.shownId = state.conversation.id;
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    const fromBottom = this.list.scrollHeight - this.list.scrollTop;
    const top = this.list.firstChild;
    const messages = [...state.messages.values()].sort((a, b) => Number(a.sequence - b.sequence));
    const context: MessageContext = { ...this.context, inThread: false, failed: (text) => this.failed(text) };
    const changed = place(this.list, [
      ...(state.historyLoaded && !state.hasOlder ? [this.start] : []),
      ...this.dayed(messages, (m) => keptMessageView(this.messages, m, context)),
      ...(state.detached ? [this.newest] : []),
    ]);
    this.messages.sweep();
    this.days.sweep();
    if (reveal(this.list, this.chat.store.focusMessageId)) {
      this.chat.store.focusMessageId = null; // shown: what the reader does next decides the scrolling again
    } else if (switched || (changed && atBottom)) {
      this.list.scrollTop = this.list.scrollHeight; // follow the newest message
    } else if (this.list.firstChild !== top) {
      this.list.scrollTop = this.list.scrollHeight - fromBottom; // an older page above: keep what the reader sees
    }
  }

  /** Messages with a line above the first of each day. */
  private dayed(messages: Message[], view: (m: Message) => HTMLElement): HTMLElement[] {
    let lastDay = "";
    return messages.flatMap((m) => {
      const day = m.createTime ? new Date(Number(m.createTime.seconds) * 1000).toDateString() : "";
      const divider = day !== lastDay ? [this.days.get(day, day, () => h("div", { class: "day" }, h("span", {}, day)))] : [];
      lastDay = day;
      return [...divider, view(m)];
    });
  }

  private open(): string | null {
    return this.chat.store.openConversationId;
  }

  private async send(text: string, attachmentIds: string[]): Promise<void> {
    try {
      await this.chat.send(this.open()!, text, "", attachmentIds);
      this.list.scrollTop = this.list.scrollHeight;
    } catch (failure) {
      this.failed(describe(failure));
      throw failure;
    }
  }

  private async backToNewest(): Promise<void> {
    try {
      await this.chat.backToNewest(this.open()!);
      this.list.scrollTop = this.list.scrollHeight;
    } catch (failure) {
      this.failed(describe(failure));
    }
  }

  private async older(): Promise<void> {
    const id = this.open();
    if (!id || this.loadingOlder) {
      return;
    }
    this.loadingOlder = true;
    try {
      await this.chat.loadOlder(id);
    } catch (failure) {
      this.failed(describe(failure));
    } finally {
      this.loadingOlder = false;
    }
  }
}
