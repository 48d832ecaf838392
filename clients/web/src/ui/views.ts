/**
 * The elements of a list, one per key (a message id, a conversation id), each built again only when what it shows
 * changes. A list drawn from these keeps the very elements that did not change, and with them the reader's text
 * selection, focus and a half-written edit.
 */
export class Views<Shown> {
  private readonly views = new Map<string, { shown: Shown; element: HTMLElement }>();
  private asked = new Set<string>();

  /** `same` tells whether two descriptions of what an element shows would draw the same element. */
  constructor(private readonly same: (a: Shown, b: Shown) => boolean) {}

  /** The element for a key: the one built before if it shows the same, else a new one from `build`. */
  get(key: string, shown: Shown, build: () => HTMLElement): HTMLElement {
    this.asked.add(key);
    const known = this.views.get(key);
    if (known && this.same(known.shown, shown)) {
      return known.element;
    }
    const element = build();
    this.views.set(key, { shown, element });
    return element;
  }

  /** Forgets the elements not asked for since the last sweep (deleted, or in another conversation). */
  sweep(): void {
    for (const key of this.views.keys()) {
      if (!this.asked.has(key)) {
        this.views.delete(key);
      }
    }
    this.asked = new Set();
  }
}
