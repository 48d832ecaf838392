import { h } from "./dom.js";

/**
 * A message box: Enter sends, Shift+Enter starts a new line. The text stays put while sending and is cleared only
 * when the server has the message, so nothing typed is lost to a failed send.
 */
export function composer(placeholder: string, testId: string, send: (text: string) => Promise<void>,
                         typing: () => void): HTMLElement {
  const input = h("textarea", { placeholder, rows: 1, "data-testid": `${testId}-input`, "aria-label": placeholder });
  const submit = async () => {
    const text = input.value.trim();
    if (!text) {
      return;
    }
    input.disabled = true;
    try {
      await send(text);
      input.value = "";
    } catch {
      // the pane has said what went wrong; the text stays, to send again
    } finally {
      input.disabled = false;
      input.focus();
    }
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  });
  input.addEventListener("input", () => typing());
  return h("form", { class: "composer", onsubmit: (event: Event) => { event.preventDefault(); void submit(); } },
    input, h("button", { class: "primary", type: "submit", "data-testid": `${testId}-send` }, "Send"));
}
