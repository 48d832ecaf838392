import type { Chat } from "../chat.js";
import { describe } from "../errors.js";
import { composer } from "./composer.js";
import { fill, h, place, reveal } from "./dom.js";
import { keptMessageView, messageViews, type MessageContext } from "./message.js";

/** The thread of one message, beside the conversation (over it on a phone); drawn again only where it changed. */
export class ThreadPane {
  readonly element = h("section", { class: "thread", "data-testid": "thread" });
  private readonly list = h("div", { class: "messages" });
  private readonly notice = h("div", { class: "notice", role: "alert" });
  private readonly count = h("div", { class: "day" }, h("span"));
  private readonly messages = messageViews();
  rootId: string | null = null;

  constructor(private readonly chat: Chat, private readonly context: Omit<MessageContext, "inThread" | "failed">) {
    const box = composer("Reply…", "thread-composer", async (text, files) => {
      const root = this.chat.store.find(this.rootId!);
      try {
        await this.chat.send(root!.conversationId, text, root!.id, files);
      } catch (failure) {
        this.notice.textContent = describe(failure);
        throw failure;
      }
    }, () => {
      const root = this.rootId ? this.chat.store.find(this.rootId) : undefined;
      if (root) {
        this.chat.typing(root.conversationId);
      }
    }, (file, progress) => this.chat.files.upload(this.chat.store.find(this.rootId!)!.conversationId, file, progress));
    fill(this.element,
      h("header", {}, h("h3", {}, "Thread"), h("button", { class: "icon", title: "Close", "data-testid": "close-thread",
        onclick: () => this.close() }, "×")),
      this.list, this.notice, box);
  }

  async show(rootId: string): Promise<void> {
    this.rootId = rootId;
    await this.chat.openThread(rootId);
  }

  close(): void {
    this.rootId = null;
    this.chat.store.changed();
  }

  draw(): void {
    this.element.hidden = this.rootId === null;
    const root = this.rootId ? this.chat.store.find(this.rootId) : undefined;
    if (!root) {
      place(this.list, []);
      return;
    }
    const replies = [...(this.chat.store.threads.get(root.id)?.values() ?? [])]
      .sort((a, b) => Number(a.sequence - b.sequence));
    const context: MessageContext = { ...this.context, inThread: true, failed: (text) => (this.notice.textContent = text) };
    const count = replies.length === 1 ? "1 reply" : `${replies.length} replies`;
    if (this.count.textContent !== count) {
      this.count.firstElementChild!.textContent = count;
    }
    place(this.list, [keptMessageView(this.messages, root, context), this.count,
      ...replies.map((m) => keptMessageView(this.messages, m, context))]);
    this.messages.sweep();
    if (reveal(this.list, this.chat.store.focusMessageId)) {
      this.chat.store.focusMessageId = null;
    }
  }
}
