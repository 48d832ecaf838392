import type { Chat } from "../chat.js";
import { describe } from "../errors.js";
import { composer } from "./composer.js";
import { fill, h } from "./dom.js";
import { messageView, type MessageContext } from "./message.js";

/** The thread of one message, beside the conversation (over it on a phone). */
export class ThreadPane {
  readonly element = h("section", { class: "thread", "data-testid": "thread" });
  private readonly list = h("div", { class: "messages" });
  private readonly notice = h("div", { class: "notice", role: "alert" });
  rootId: string | null = null;

  constructor(private readonly chat: Chat, private readonly context: Omit<MessageContext, "inThread" | "failed">) {
    const box = composer("Reply…", "thread-composer", async (text) => {
      const root = this.chat.store.find(this.rootId!);
      try {
        await this.chat.send(root!.conversationId, text, root!.id);
      } catch (failure) {
        this.notice.textContent = describe(failure);
        throw failure;
      }
    }, () => {
      const root = this.rootId ? this.chat.store.find(this.rootId) : undefined;
      if (root) {
        this.chat.typing(root.conversationId);
      }
    });
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
      fill(this.list);
      return;
    }
    const replies = [...(this.chat.store.threads.get(root.id)?.values() ?? [])]
      .sort((a, b) => Number(a.sequence - b.sequence));
    const context: MessageContext = { ...this.context, inThread: true, failed: (text) => (this.notice.textContent = text) };
    fill(this.list, messageView(root, context), h("div", { class: "day" }, h("span", {}, replies.length === 1 ? "1 reply" : `${replies.length} replies`)),
      ...replies.map((m) => messageView(m, context)));
  }
}
