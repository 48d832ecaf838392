import type { Chat } from "../chat.js";
import { describe } from "../errors.js";
import { NotificationLevel } from "../gen/parley/v1/conversation_pb.js";
import { h } from "./dom.js";

/**
 * The account-wide notification settings: the level every conversation follows until its own is set, and e-mail
 * digests of unread mentions and direct messages while away.
 */
export function notificationSettingsDialog(shell: HTMLElement, chat: Chat): void {
  const level = h("select", { name: "default-level", "data-testid": "default-level" },
    h("option", { value: String(NotificationLevel.EVERYTHING) }, "Every message"),
    h("option", { value: String(NotificationLevel.MENTIONS) }, "Mentions and direct messages"),
    h("option", { value: String(NotificationLevel.NOTHING) }, "Nothing"));
  const digest = h("input", { type: "checkbox", name: "email-digest", "data-testid": "email-digest" });
  const after = h("select", { name: "digest-after", "data-testid": "digest-after" },
    ...[[900, "15 minutes"], [3600, "an hour"], [14400, "4 hours"], [86400, "a day"]].map(([seconds, text]) =>
      h("option", { value: String(seconds) }, `E-mail me after ${text} away`)));
  const error = h("p", { class: "form-error", role: "alert" });
  const dialog = h("dialog", { class: "modal", "aria-label": "Notification settings" });
  const form = h("form", { method: "dialog" },
    h("h3", {}, "Notifications"),
    h("label", {}, "Notify me of", level),
    h("label", { class: "check" }, digest, "E-mail me unread mentions and direct messages while I am away"),
    h("label", {}, "When", after), error,
    h("div", { class: "edit-buttons" },
      h("button", { class: "primary", type: "submit", "data-testid": "settings-save" }, "Save"),
      h("button", { type: "button", onclick: () => dialog.close() }, "Cancel")));
  void chat.notifications.settings().then((settings) => {
    level.value = String(settings.defaultLevel);
    digest.checked = settings.emailDigest;
    const seconds = String(settings.emailDigestAfter?.seconds ?? 3600n);
    if ([...after.options].some((o) => o.value === seconds)) {
      after.value = seconds;
    }
  }, (failure) => (error.textContent = describe(failure)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await chat.notifications.update(Number(level.value) as NotificationLevel, digest.checked, BigInt(after.value));
      dialog.close();
    } catch (failure) {
      error.textContent = describe(failure);
    }
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  shell.append(dialog);
  dialog.showModal();
}
