type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

/**
 * Builds an element: h("button", { class: "primary", onclick: send }, "Send"). Attributes that are false or
 * undefined are left out; on* props become listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child);
    }
  }
  return element;
}

/** Replaces what an element holds. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** Sets an element's text only when it differs, so a selection in it or an unchanged screen reader line stays. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

/** "14:05" today, "Mon 14:05" this week, else the date. */
export function when(ms: number): string {
  const date = new Date(ms);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const age = Date.now() - ms;
  if (age < 86_400_000 && new Date().getDate() === date.getDate()) {
    return time;
  }
  if (age < 6 * 86_400_000) {
    return `${date.toLocaleDateString([], { weekday: "short" })} ${time}`;
  }
  return date.toLocaleDateString();
}

/**
 * A person's picture in an avatar circle when they uploaded one (a path on this server: pictures elsewhere are
 * kept out by the page's Content-Security-Policy), else their initials.
 */
export function showAvatar(element: HTMLElement, name: string, avatarUrl: string | undefined): void {
  const uploaded = avatarUrl?.startsWith("/avatars/") ? avatarUrl : null;
  const current = element.querySelector("img");
  if (uploaded && current?.getAttribute("src") === uploaded) {
    return;
  }
  if (uploaded) {
    element.replaceChildren(h("img", { src: uploaded, alt: "" }));
  } else if (current || element.textContent !== initials(name)) {
    element.replaceChildren(initials(name));
  }
}

/** First letters for an avatar. */
export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join("") || "?";
}

/**
 * Makes a parent hold exactly these nodes in this order, touching only what differs: nodes that stay keep their
 * text selection and focus, which replacing every child (as {@link fill} does) would lose. True if anything moved.
 */
export function place(parent: Element, nodes: Node[]): boolean {
  const wanted = new Set(nodes);
  let changed = false;
  for (const child of [...parent.childNodes]) {
    if (!wanted.has(child)) {
      child.remove();
      changed = true;
    }
  }
  nodes.forEach((node, index) => {
    const current = parent.childNodes[index] ?? null;
    if (current !== node) {
      move(parent, node, current);
      changed = true;
    }
  });
  return changed;
}

/** Chromium's moveBefore keeps a moved node's focus and selection; insertBefore (elsewhere) drops them. */
function move(parent: Element, node: Node, before: Node | null): void {
  const moving = parent as Element & { moveBefore?: (node: Node, child: Node | null) => void };
  if (moving.moveBefore && node.parentNode === parent && parent.isConnected) {
    moving.moveBefore(node, before);
  } else {
    parent.insertBefore(node, before);
  }
}

/** Scrolls a list to the element of this message id and marks it, if the list holds it; true if it did. */
export function reveal(list: Element, messageId: string | null): boolean {
  const element = messageId ? list.querySelector<HTMLElement>(`[data-id="${CSS.escape(messageId)}"]`) : null;
  if (!element) {
    return false;
  }
  element.scrollIntoView({ block: "center" });
  element.classList.remove("found");
  void element.offsetWidth; // restarts the marking's fade when the same message is found again
  element.classList.add("found");
  return true;
}
