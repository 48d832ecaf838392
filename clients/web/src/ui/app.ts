import type { Chat } from "../chat.js";
import type { Message } from "../gen/parley/v1/message_pb.js";
import { describe } from "../errors.js";
import { ConversationPane } from "./conversation.js";
import { fill, h } from "./dom.js";
import { notificationSettingsDialog } from "./notification-settings.js";
import { Sidebar } from "./sidebar.js";
import { ThreadPane } from "./thread.js";

/**
 * The signed-in layout: conversations, the open conversation, and a thread. Any change in the store draws them
 * again once per animation frame (each changing only what changed); on a phone only one column shows at a time.
 */
export function showChat(root: HTMLElement, chat: Chat, logOut: () => void): void {
  let editingId: string | null = null;
  let editingDraft: string | null = null;
  let frame = 0;
  const redraw = () => {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        sidebar.draw();
        pane.draw();
        thread.draw();
        shell.dataset["view"] = chat.store.openConversationId ? (thread.rootId ? "thread" : "conversation") : "list";
        const unread = chat.store.totalUnread();
        document.title = unread > 0n ? `(${unread}) Parley` : "Parley";
      });
    }
  };
  const context = {
    chat,
    get editingId() { return editingId; },
    get editingDraft() { return editingDraft; },
    startEditing: (id: string | null) => { editingId = id; editingDraft = null; redraw(); },
    keepDraft: (text: string) => { editingDraft = text; },
    openThread: (rootId: string) => void thread.show(rootId),
  };
  const select = (id: string) => {
    thread.rootId = null;
    void chat.open(id).catch((failure) => pane.failed(describe(failure)));
    redraw();
  };
  // A search result: its conversation opened at it; a reply in a thread opens the thread too, marked there.
  const openMessage = (message: Message) => void (async () => {
    thread.rootId = null;
    if (message.threadRootId) {
      await chat.openAt(await chat.message(message.threadRootId));
      chat.store.focusMessageId = message.id;
      await thread.show(message.threadRootId);
    } else {
      await chat.openAt(message);
    }
    redraw();
  })().catch((failure) => pane.failed(describe(failure)));
  chat.openFromNotification = select;
  // A notification clicked with no Parley tab open opens /?conversation=<id>: opened once the list is there.
  const asked = new URLSearchParams(location.search).get("conversation");
  if (asked) {
    history.replaceState(null, "", "/");
    void chat.whenListed().then(() => select(asked), () => undefined);
  }
  const sidebar = new Sidebar(chat, select, { logOut, newGroup: () => newGroupDialog(shell, chat, select), openMessage,
    notificationSettings: () => notificationSettingsDialog(shell, chat) });
  const pane = new ConversationPane(chat, context, () => {
    chat.store.openConversationId = null;
    redraw();
  });
  const thread = new ThreadPane(chat, context);
  const shell = h("div", { class: "shell" }, sidebar.element, pane.element, thread.element);
  chat.store.onChange(redraw);
  // Typing notices expire with no event to say so; the timer ends with the layout (after logging out).
  const typingTimer = window.setInterval(() => shell.isConnected ? pane.drawTyping() : window.clearInterval(typingTimer), 1_000);
  document.addEventListener("visibilitychange", () => {
    const open = chat.store.openConversationId;
    if (open && document.visibilityState === "visible") {
      void chat.markRead(open).then(redraw, () => undefined); // tried again on the next message or visit
    }
  });
  fill(root, shell);
  redraw();
}

function newGroupDialog(shell: HTMLElement, chat: Chat, select: (id: string) => void): void {
  const title = h("input", { name: "title", required: true, maxlength: 100, "data-testid": "group-title", placeholder: "e.g. design-team" });
  const open = h("input", { type: "checkbox", name: "public", checked: true, "data-testid": "group-public" });
  const error = h("p", { class: "form-error", role: "alert" });
  const dialog = h("dialog", { class: "modal" });
  const form = h("form", { method: "dialog" },
    h("h3", {}, "New group"), h("label", {}, "Title", title),
    h("label", { class: "check" }, open, "Anyone can find and join it"), error,
    h("div", { class: "edit-buttons" },
      h("button", { class: "primary", type: "submit", "data-testid": "group-create" }, "Create"),
      h("button", { type: "button", onclick: () => dialog.close() }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const id = await chat.createGroup(title.value.trim(), open.checked);
      dialog.close();
      select(id);
    } catch (failure) {
      error.textContent = describe(failure);
    }
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  shell.append(dialog);
  dialog.showModal();
}
