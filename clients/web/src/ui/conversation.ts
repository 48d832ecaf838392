import { ConversationKind } from "../gen/parley/v1/conversation_pb.js";
import type { Message } from "../gen/parley/v1/message_pb.js";
import type { Chat } from "../chat.js";
import { describe } from "../errors.js";
import { composer } from "./composer.js";
import { fill, h } from "./dom.js";
import { messageView, type MessageContext } from "./message.js";
import { presenceClass } from "./sidebar.js";

/** The open conversation: its header, history (loading older pages when scrolled to the top), typing, composer. */
export class ConversationPane {
  readonly element = h("main", { class: "conversation" });
  private readonly header = h("header", { class: "conversation-header" });
  private readonly list = h("div", { class: "messages", "data-testid": "messages" });
  private readonly typingLine = h("div", { class: "typing", "data-testid": "typing", "aria-live": "polite" });
  private readonly notice = h("div", { class: "notice", role: "alert" });
  private readonly box: HTMLElement;
  private loadingOlder = false;

  constructor(private readonly chat: Chat, private readonly context: Omit<MessageContext, "inThread" | "failed">,
              private readonly back: () => void) {
    this.box = composer("Write a message…", "composer", (text) => this.send(text),
      () => this.open() && chat.typing(this.open()!));
    this.list.addEventListener("scroll", () => {
      if (this.list.scrollTop < 80) {
        void this.older();
      }
    });
    fill(this.element, this.header, this.list, this.typingLine, this.notice, this.box);
  }

  draw(): void {
    const id = this.open();
    const state = id ? this.chat.store.conversations.get(id) : undefined;
    this.element.classList.toggle("empty", !state);
    if (!state) {
      fill(this.header);
      fill(this.list, h("div", { class: "placeholder" }, h("h2", {}, "Parley"),
        h("p", {}, "Pick a conversation, find someone to talk to, or start a group.")));
      fill(this.typingLine);
      return;
    }
    const store = this.chat.store;
    const c = state.conversation;
    const direct = c.kind === ConversationKind.DIRECT;
    const presence = direct ? presenceClass(store.presence.get(c.otherUserId)?.state) : "";
    fill(this.header,
      h("button", { class: "icon back", title: "Back", onclick: () => this.back() }, "←"),
      h("div", {}, h("h2", { "data-testid": "conversation-title" }, direct ? store.titleOf(c) : `# ${c.title}`),
        h("small", {}, direct ? presence : `${c.memberCount} members${c.archiveTime ? " · archived" : ""}`)),
      h("span", { class: `connection ${store.online ? "live" : "offline"}`, "data-testid": "connection" },
        store.online ? "live" : "offline"));

    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    const fromBottom = this.list.scrollHeight - this.list.scrollTop;
    const messages = [...state.messages.values()].sort((a, b) => Number(a.sequence - b.sequence));
    const context: MessageContext = { ...this.context, inThread: false, failed: (text) => this.failed(text) };
    fill(this.list,
      state.historyLoaded && !state.hasOlder ? h("div", { class: "start" }, "This is the beginning of the conversation") : null,
      ...dayed(messages, (m) => messageView(m, context)));
    this.list.scrollTop = atBottom ? this.list.scrollHeight : this.list.scrollHeight - fromBottom;

    const now = Date.now();
    const typing = [...state.typing].filter(([, until]) => until > now).map(([user]) => store.nameOf(user));
    fill(this.typingLine, typing.length === 0 ? "" : `${typing.join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`);
  }

  private open(): string | null {
    return this.chat.store.openConversationId;
  }

  private async send(text: string): Promise<void> {
    try {
      await this.chat.send(this.open()!, text);
      this.list.scrollTop = this.list.scrollHeight;
    } catch (failure) {
      this.failed(describe(failure));
      throw failure;
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
    } finally {
      this.loadingOlder = false;
    }
  }

  private failed(text: string): void {
    this.notice.textContent = text;
    window.setTimeout(() => (this.notice.textContent = ""), 6_000);
  }
}

/** Messages with a line above the first of each day. */
function dayed(messages: Message[], view: (m: Message) => HTMLElement): HTMLElement[] {
  let lastDay = "";
  return messages.flatMap((m) => {
    const day = m.createTime ? new Date(Number(m.createTime.seconds) * 1000).toDateString() : "";
    const divider = day !== lastDay ? [h("div", { class: "day" }, h("span", {}, day))] : [];
    lastDay = day;
    return [...divider, view(m)];
  });
}
