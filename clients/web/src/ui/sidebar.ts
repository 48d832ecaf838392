import { ConversationKind } from "../gen/parley/v1/conversation_pb.js";
import { PresenceState } from "../gen/parley/v1/presence_pb.js";
import type { Chat } from "../chat.js";
import type { ConversationState } from "../store.js";
import { describe } from "../errors.js";
import type { Message } from "../gen/parley/v1/message_pb.js";
import type { SearchResult } from "../gen/parley/v1/message_service_pb.js";
import { fill, h, initials, place, setText, showAvatar, when } from "./dom.js";
import { Views } from "./views.js";
import { millis } from "../live.js";

/**
 * The left column: who I am, finding people and groups, and my conversations by latest activity. Drawing again
 * rebuilds only the conversations whose line changed, so focus and selection in the column stay.
 */
export class Sidebar {
  readonly element = h("aside", { class: "sidebar" });
  private readonly list = h("nav", { class: "conversation-list", "aria-label": "Conversations" });
  private readonly results = h("div", { class: "search-results" });
  private readonly search = h("input", { type: "search", placeholder: "Search people, groups, messages…",
    "aria-label": "Search people, public groups and messages", "data-testid": "search" });
  private readonly header = h("header", { class: "me" });
  private readonly notify = h("button", { class: "notify-prompt", type: "button", "data-testid": "enable-notifications" },
    "🔔 Turn on notifications for mentions and direct messages");
  private readonly items = new Views<string>((a, b) => a === b);
  private readonly me = [h("div", { class: "avatar" }), h("strong", { "data-testid": "me" }), h("small"),
    h("span", { class: "connection", "data-testid": "connection" })] as const;

  constructor(private readonly chat: Chat, private readonly select: (id: string) => void,
              private readonly actions: { logOut(): void; newGroup(): void; openMessage(message: Message): void;
                notificationSettings(): void }) {
    let pending: number | undefined;
    this.search.addEventListener("input", () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => void this.find(this.search.value.trim()), 200);
    });
    const [avatar, name, username, connection] = this.me;
    const picture = h("input", { type: "file", accept: "image/png,image/jpeg,image/gif", hidden: true,
      "data-testid": "avatar-file" });
    picture.addEventListener("change", () => {
      const file = picture.files?.[0];
      picture.value = "";
      if (file) {
        void chat.setAvatar(file).catch((failure) => alert(`Your picture was not changed: ${describe(failure)}`));
      }
    });
    const change = h("button", { class: "avatar-button", type: "button", title: "Change your picture",
      "aria-label": "Change your picture", "data-testid": "change-avatar", onclick: () => picture.click() }, avatar);
    fill(this.header, change, picture, h("div", { class: "who" }, name, username), connection,
      h("button", { class: "icon", type: "button", title: "Notification settings", "aria-label": "Notification settings",
        "data-testid": "notification-settings", onclick: () => actions.notificationSettings() }, "🔔"),
      h("button", { class: "link", "data-testid": "logout", onclick: () => actions.logOut() }, "Log out"));
    // Asked only when clicked: a browser asking on load is refused by habit, and may stop asking at all.
    this.notify.addEventListener("click", () => void chat.notifications.enable().then((on) => {
      this.notify.hidden = on;
      if (!on) {
        alert("Notifications are blocked for this site: allow them in the browser's site settings.");
      }
    }));
    this.notify.hidden = !chat.notifications.supported || chat.notifications.enabled;
    fill(this.element, this.header, this.notify, h("div", { class: "search" }, this.search), this.results,
      h("div", { class: "list-title" }, h("span", {}, "Conversations"),
        h("span", {},
          h("button", { class: "link", title: "Public groups", "data-testid": "browse", onclick: () => void this.find("", true) }, "Browse"),
          h("button", { class: "icon", title: "New group", "data-testid": "new-group", onclick: () => actions.newGroup() }, "+"))),
      this.list);
  }

  draw(): void {
    this.drawHeader();
    const open = this.chat.store.openConversationId;
    place(this.list, this.chat.store.ordered().map((state) => {
      const id = state.conversation.id;
      const line = this.lineOf(state);
      const item = this.items.get(id, JSON.stringify(line), () => this.item(id, line));
      item.classList.toggle("open", id === open); // not rebuilt for it: the item may have the focus
      return item;
    }));
    this.items.sweep();
  }

  /** Who I am and the connection: texts changed in place, so Log out keeps its focus. */
  private drawHeader(): void {
    const store = this.chat.store;
    const me = store.users.get(store.myId);
    const [avatar, name, username, connection] = this.me;
    showAvatar(avatar, me?.displayName ?? "", me?.avatarUrl);
    setText(name, me?.displayName ?? "");
    setText(username, `@${me?.username ?? ""}`);
    setText(connection, store.online ? "live" : "offline");
    connection.className = `connection ${store.online ? "live" : "offline"}`;
    connection.title = store.online ? "Live" : "Reconnecting…";
  }

  /** Everything a conversation's line shows. */
  private lineOf(state: ConversationState): Line {
    const store = this.chat.store;
    const c = state.conversation;
    const last = c.lastMessage;
    const direct = c.kind === ConversationKind.DIRECT;
    const presence = direct ? store.presence.get(c.otherUserId)?.state : undefined;
    return {
      title: store.titleOf(c),
      direct,
      unread: Number(c.me?.unreadCount ?? 0n),
      mentions: Number(c.me?.unreadMentionCount ?? 0n),
      muted: c.me?.muted ?? false,
      preview: last ? (last.deleted ? "Message deleted" : `${last.authorId === store.myId ? "You" : store.nameOf(last.authorId)}: ${last.text}`) : "No messages yet",
      time: last ? when(millis(c.lastActivityTime)) : "",
      presence: presence === undefined ? "" : presenceClass(presence), // no dot until it is known
    };
  }

  private item(id: string, line: Line): HTMLElement {
    return h("button", {
      class: `conversation-item${line.unread > 0 && !line.muted ? " unread" : ""}${line.muted ? " muted" : ""}`,
      "data-testid": "conversation-item", "data-title": line.title, onclick: () => this.select(id),
    },
      h("div", { class: "avatar" }, line.direct ? initials(line.title) : "#",
        line.presence ? h("span", { class: `presence ${line.presence}`, "data-testid": "presence", "data-state": line.presence }) : null),
      h("div", { class: "summary" },
        h("div", { class: "line" }, h("strong", {}, line.title), h("small", {}, line.time)),
        h("div", { class: "line" }, h("span", { class: "preview" }, line.preview),
          line.mentions > 0 ? h("span", { class: "badge mention", "data-testid": "unread-mentions",
            title: `${line.mentions} unread mention${line.mentions === 1 ? "" : "s"}` }, "@") : null,
          line.unread > 0 ? h("span", { class: "badge", "data-testid": "unread" }, String(line.unread)) : null)));
  }

  /**
   * People and public groups by prefix, and messages by their words (from two characters on: the query syntax is
   * the server's, from:@user and the like included); browsing lists public groups only, all of them.
   */
  private async find(prefix: string, browsing = false): Promise<void> {
    if (!prefix && !browsing) {
      fill(this.results);
      return;
    }
    const asked = this.search.value;
    const messages = !browsing && prefix.length >= 2
      ? this.chat.searchMessages(prefix).then((found) => ({ found, failure: "" }),
        (failure) => ({ found: [] as SearchResult[], failure: describe(failure) }))
      : Promise.resolve({ found: [] as SearchResult[], failure: "" });
    try {
      const [users, groups, hits] = await Promise.all([browsing ? [] : this.chat.searchUsers(prefix).catch(() => []),
        this.chat.browse(prefix).catch(() => []), messages]);
      if (this.search.value !== asked) {
        return; // typed on since: the newer search draws its own answer
      }
      const mine = this.chat.store.conversations;
      fill(this.results,
        ...users.map((u) => h("button", { class: "result", "data-testid": "user-result", onclick: async () => {
          this.clear();
          this.select(await this.chat.startDirect(u.id));
        } }, h("div", { class: "avatar small" }, initials(u.displayName)), h("span", {}, u.displayName, h("small", {}, ` @${u.username}`)))),
        ...groups.map((g) => h("button", { class: "result", "data-testid": "group-result", onclick: async () => {
          this.clear();
          if (!mine.has(g.id)) {
            await this.chat.join(g.id);
          }
          this.select(g.id);
        } }, h("div", { class: "avatar small" }, "#"), h("span", {}, g.title, h("small", {}, mine.has(g.id) ? " joined" : ` ${g.memberCount} members · join`)))),
        hits.found.length > 0 || hits.failure ? h("div", { class: "results-title" }, "Messages") : null,
        hits.failure ? h("p", { class: "form-error", "data-testid": "message-search-error" }, hits.failure) : null,
        ...hits.found.map((hit) => this.messageResult(hit)),
        users.length + groups.length + hits.found.length === 0 && !hits.failure
          ? h("p", { class: "empty" }, "Nobody and nothing found") : null);
    } catch (failure) {
      fill(this.results, h("p", { class: "form-error" }, describe(failure)));
    }
  }

  /** Where a message was found, who wrote it when, and its snippet with the matched words marked. */
  private messageResult(hit: SearchResult): HTMLElement {
    const store = this.chat.store;
    const message = hit.message!;
    const where = hit.conversation ? store.titleOf(hit.conversation) : "";
    const direct = hit.conversation?.kind === ConversationKind.DIRECT;
    return h("button", { class: "result message-result", "data-testid": "message-result", onclick: () => {
      this.clear();
      this.actions.openMessage(message);
    } },
      h("span", { class: "where" }, h("strong", {}, direct ? where : `# ${where}`),
        h("small", {}, ` ${store.nameOf(message.authorId)} · ${when(millis(message.createTime))}`)),
      h("span", { class: "snippet", "data-testid": "snippet" }, ...hit.snippet.map((part) =>
        part.highlighted ? h("mark", {}, part.text) : part.text)));
  }

  private clear(): void {
    this.search.value = "";
    fill(this.results);
  }
}

interface Line {
  title: string;
  direct: boolean;
  unread: number;
  mentions: number;
  muted: boolean;
  preview: string;
  time: string;
  presence: string;
}

export function presenceClass(state: PresenceState | undefined): string {
  switch (state) {
    case PresenceState.ONLINE: return "online";
    case PresenceState.AWAY: return "away";
    case PresenceState.DO_NOT_DISTURB: return "dnd";
    default: return "offline";
  }
}
