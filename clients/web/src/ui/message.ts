import { equals } from "@bufbuild/protobuf";
import { MessageSchema, type Message } from "../gen/parley/v1/message_pb.js";
import type { Attachment } from "../gen/parley/v1/attachment_pb.js";
import type { Chat } from "../chat.js";
import { size } from "../files.js";
import { describe } from "../errors.js";
import { h, showAvatar, when } from "./dom.js";
import { Views } from "./views.js";
import { millis } from "../live.js";

const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "👀"];

export interface MessageContext {
  chat: Chat;
  editingId: string | null;
  /** The edit box's text so far: kept outside the box, which is built anew when its message changes. */
  editingDraft: string | null;
  startEditing(id: string | null): void;
  keepDraft(text: string): void;
  openThread(rootId: string): void;
  inThread: boolean;
  failed(text: string): void;
}

/** What a message's element shows: it is built again only when one of these changes. */
interface Shown {
  message: Message;
  author: string;
  avatar: string;
  editing: boolean;
  time: string;
}

/** Elements of messages, kept while they show the same (a message delivered again is an equal copy). */
export function messageViews(): Views<Shown> {
  return new Views<Shown>((a, b) => a.author === b.author && a.avatar === b.avatar && a.editing === b.editing && a.time === b.time
    && (a.message === b.message || equals(MessageSchema, a.message, b.message)));
}

/** A message's element from `views`: the one on screen already, unless something it shows changed. */
export function keptMessageView(views: Views<Shown>, message: Message, context: MessageContext): HTMLElement {
  const shown = { message, author: context.chat.store.nameOf(message.authorId),
    avatar: context.chat.store.users.get(message.authorId)?.avatarUrl ?? "", editing: context.editingId === message.id,
    time: when(millis(message.createTime)) };
  return views.get(message.id, shown, () => messageView(message, context));
}

function avatarOf(name: string, avatarUrl: string | undefined): HTMLElement {
  const avatar = h("div", { class: "avatar small" });
  showAvatar(avatar, name, avatarUrl);
  return avatar;
}

/** One message: author, time, text with mentions, reactions, and what the reader may do with it. */
export function messageView(message: Message, context: MessageContext): HTMLElement {
  const store = context.chat.store;
  const mine = message.authorId === store.myId;
  const run = (action: () => Promise<void>) => () => void action().catch((e) => context.failed(describe(e)));
  const body = message.deleted
    ? h("p", { class: "text deleted" }, "This message was deleted")
    : context.editingId === message.id ? editor(message, context)
    : message.text === "" ? null : h("p", { class: "text" }, ...withMentions(message));

  return h("article", { class: `message${mine ? " mine" : ""}`, "data-testid": "message", "data-id": message.id,
    "data-sequence": String(message.sequence) },
    avatarOf(store.nameOf(message.authorId), store.users.get(message.authorId)?.avatarUrl),
    h("div", { class: "bubble" },
      h("header", {}, h("strong", {}, store.nameOf(message.authorId)), h("time", {}, when(millis(message.createTime))),
        message.editTime && !message.deleted ? h("small", { "data-testid": "edited" }, "(edited)") : null),
      body,
      message.deleted || message.attachments.length === 0 ? null
        : h("div", { class: "attachments" }, ...message.attachments.map((a) => attachmentView(a, context))),
      message.reactions.length > 0 ? h("div", { class: "reactions" }, ...message.reactions.map((r) =>
        h("button", { class: `reaction${r.reactedByMe ? " me" : ""}`, "data-testid": "reaction", "data-emoji": r.emoji,
          onclick: run(() => context.chat.toggleReaction(message.id, r.emoji)) }, `${r.emoji} ${r.count}`))) : null,
      !context.inThread && message.replyCount > 0
        ? h("button", { class: "link replies", "data-testid": "replies", onclick: () => context.openThread(message.id) },
            `${message.replyCount} ${message.replyCount === 1 ? "reply" : "replies"}`) : null,
      message.deleted ? null : h("div", { class: "actions" },
        ...QUICK_REACTIONS.map((emoji) => h("button", { class: "icon", title: `React ${emoji}`, "data-testid": `react-${emoji}`,
          onclick: run(() => context.chat.toggleReaction(message.id, emoji)) }, emoji)),
        context.inThread ? null : h("button", { class: "icon", title: "Reply in thread", "data-testid": "reply",
          onclick: () => context.openThread(message.id) }, "↩"),
        mine ? h("button", { class: "icon", title: "Edit", "data-testid": "edit", onclick: () => context.startEditing(message.id) }, "✎") : null,
        mine ? h("button", { class: "icon", title: "Delete", "data-testid": "delete",
          onclick: run(async () => { if (confirm("Delete this message?")) await context.chat.remove(message.id); }) }, "🗑") : null)));
}

/**
 * A picture as its thumbnail, opening the full picture in a new tab; any other file as a chip that downloads it. The
 * addresses are asked for when shown (they work for a few minutes; a tab left open asks again on the next click).
 */
function attachmentView(attachment: Attachment, context: MessageContext): HTMLElement {
  const files = context.chat.files;
  const open = (thumbnail: boolean) => files.link(attachment.id, thumbnail);
  const follow = (event: Event) => {
    event.preventDefault();
    void open(false).then((url) => window.open(url, "_blank", "noopener"))
      .catch((e) => context.failed(describe(e)));
  };
  if (attachment.hasThumbnail) {
    const [width, height] = thumbnailSize(attachment);
    const image = h("img", { alt: attachment.name, "data-testid": "attachment-image", width, height });
    void open(true).then((url) => { image.src = url; }).catch(() => { image.alt = `${attachment.name} (unavailable)`; });
    return h("a", { class: "attachment-image", href: "#", title: `${attachment.name} · ${size(attachment.sizeBytes)}`,
      onclick: follow }, image);
  }
  return h("a", { class: "file-chip", href: "#", "data-testid": "attachment-file", download: attachment.name,
    title: `Download ${attachment.name}`, onclick: (event: Event) => {
      event.preventDefault();
      void open(false).then((url) => {
        const link = h("a", { href: url, download: attachment.name });
        link.click();
      }).catch((e) => context.failed(describe(e)));
    } }, h("span", { class: "file-icon" }, "📄"), h("span", {}, attachment.name),
    h("small", {}, size(attachment.sizeBytes)));
}

/** The thumbnail's size, as the server makes it: the picture's shape, 320 pixels at most on its longer side. */
function thumbnailSize(attachment: Attachment): [number, number] {
  const scale = Math.min(1, 320 / Math.max(attachment.width, attachment.height, 1));
  return [Math.max(1, Math.round(attachment.width * scale)), Math.max(1, Math.round(attachment.height * scale))];
}

function editor(message: Message, context: MessageContext): HTMLElement {
  const input = h("textarea", { class: "edit", "data-testid": "edit-input", rows: 2 });
  input.value = context.editingDraft ?? message.text;
  input.addEventListener("input", () => context.keepDraft(input.value));
  const save = async () => {
    try {
      await context.chat.edit(message.id, input.value);
      context.startEditing(null);
    } catch (failure) {
      context.failed(describe(failure));
    }
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void save();
    } else if (event.key === "Escape") {
      context.startEditing(null);
    }
  });
  queueMicrotask(() => {
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
  return h("div", { class: "editing" }, input,
    h("div", { class: "edit-buttons" }, h("button", { class: "primary", "data-testid": "edit-save", onclick: () => void save() }, "Save"),
      h("button", { onclick: () => context.startEditing(null) }, "Cancel")));
}

/** The text with each @mention of a member highlighted. */
function withMentions(message: Message): (string | HTMLElement)[] {
  if (message.mentions.length === 0) {
    return [message.text];
  }
  const names = message.mentions.map((m) => m.username.toLowerCase());
  return message.text.split(/(@[A-Za-z0-9_.-]+)/).map((part) =>
    part.startsWith("@") && names.includes(part.slice(1).toLowerCase()) ? h("span", { class: "mention" }, part) : part);
}
