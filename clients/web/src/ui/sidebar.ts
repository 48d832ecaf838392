import { ConversationKind } from "../gen/parley/v1/conversation_pb.js";
import { PresenceState } from "../gen/parley/v1/presence_pb.js";
import type { Chat } from "../chat.js";
import type { ConversationState } from "../store.js";
import { describe } from "../errors.js";
import { fill, h, initials, when } from "./dom.js";
import { millis } from "../live.js";

/** The left column: who I am, finding people and groups, and my conversations by latest activity. */
export class Sidebar {
  readonly element = h("aside", { class: "sidebar" });
  private readonly list = h("nav", { class: "conversation-list", "aria-label": "Conversations" });
  private readonly results = h("div", { class: "search-results" });
  private readonly search = h("input", { type: "search", placeholder: "Find people or public groups…", "data-testid": "search" });
  private readonly header = h("header", { class: "me" });

  constructor(private readonly chat: Chat, private readonly select: (id: string) => void,
              private readonly actions: { logOut(): void; newGroup(): void }) {
    let pending: number | undefined;
    this.search.addEventListener("input", () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => void this.find(this.search.value.trim()), 200);
    });
    fill(this.element, this.header, h("div", { class: "search" }, this.search), this.results,
      h("div", { class: "list-title" }, h("span", {}, "Conversations"),
        h("span", {},
          h("button", { class: "link", title: "Public groups", "data-testid": "browse", onclick: () => void this.find("", true) }, "Browse"),
          h("button", { class: "icon", title: "New group", "data-testid": "new-group", onclick: () => actions.newGroup() }, "+"))),
      this.list);
  }

  draw(): void {
    const store = this.chat.store;
    const me = store.users.get(store.myId);
    fill(this.header,
      h("div", { class: "avatar" }, initials(me?.displayName ?? "")),
      h("div", { class: "who" }, h("strong", { "data-testid": "me" }, me?.displayName ?? ""), h("small", {}, `@${me?.username ?? ""}`)),
      h("span", { class: `connection ${store.online ? "live" : "offline"}`, "data-testid": "connection",
        title: store.online ? "Live" : "Reconnecting…" }, store.online ? "live" : "offline"),
      h("button", { class: "link", "data-testid": "logout", onclick: () => this.actions.logOut() }, "Log out"));
    fill(this.list, ...store.ordered().map((state) => this.item(state)));
  }

  private item(state: ConversationState): HTMLElement {
    const store = this.chat.store;
    const c = state.conversation;
    const title = store.titleOf(c);
    const unread = Number(c.me?.unreadCount ?? 0n);
    const last = c.lastMessage;
    const preview = last ? (last.deleted ? "Message deleted" : `${last.authorId === store.myId ? "You" : store.nameOf(last.authorId)}: ${last.text}`) : "No messages yet";
    const presence = c.kind === ConversationKind.DIRECT ? store.presence.get(c.otherUserId)?.state : undefined;
    return h("button", {
      class: `conversation-item${store.openConversationId === c.id ? " open" : ""}${unread > 0 ? " unread" : ""}`,
      "data-testid": "conversation-item", "data-title": title, onclick: () => this.select(c.id),
    },
      h("div", { class: "avatar" }, c.kind === ConversationKind.DIRECT ? initials(title) : "#",
        presence !== undefined ? h("span", { class: `presence ${presenceClass(presence)}`, "data-testid": "presence",
          "data-state": presenceClass(presence) }) : null),
      h("div", { class: "summary" },
        h("div", { class: "line" }, h("strong", {}, title), h("small", {}, last ? when(millis(c.lastActivityTime)) : "")),
        h("div", { class: "line" }, h("span", { class: "preview" }, preview),
          unread > 0 ? h("span", { class: "badge", "data-testid": "unread" }, String(unread)) : null)));
  }

  /** People and public groups by prefix; browsing lists public groups only, all of them. */
  private async find(prefix: string, browsing = false): Promise<void> {
    if (!prefix && !browsing) {
      fill(this.results);
      return;
    }
    try {
      const [users, groups] = await Promise.all([browsing ? [] : this.chat.searchUsers(prefix), this.chat.browse(prefix)]);
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
        users.length + groups.length === 0 ? h("p", { class: "empty" }, "Nobody and nothing by that name") : null);
    } catch (failure) {
      fill(this.results, h("p", { class: "form-error" }, describe(failure)));
    }
  }

  private clear(): void {
    this.search.value = "";
    fill(this.results);
  }
}

export function presenceClass(state: PresenceState | undefined): string {
  switch (state) {
    case PresenceState.ONLINE: return "online";
    case PresenceState.AWAY: return "away";
    case PresenceState.DO_NOT_DISTURB: return "dnd";
    default: return "offline";
  }
}
