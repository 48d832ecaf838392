import type { Attachment } from "../gen/parley/v1/attachment_pb.js";
import { describe } from "../errors.js";
import { size } from "../files.js";
import { h } from "./dom.js";

/** Uploads one file for the conversation being written to, telling how far it has got. */
export type Uploader = (file: File, progress: (sent: number, of: number) => void) => Promise<Attachment>;

/** A file on its way: its chip, and the attachment once the server has it all. */
interface Pending {
  chip: HTMLElement;
  done: Promise<Attachment | null>;
}

/**
 * A message box: Enter sends, Shift+Enter starts a new line. The text stays put while sending and is cleared only
 * when the server has the message, so nothing typed is lost to a failed send. Files are attached with the clip
 * button, by dropping them on the box or by pasting them; each uploads at once, with a progress bar, and the message
 * waits for them (it may then have no text).
 */
export function composer(placeholder: string, testId: string,
                         send: (text: string, attachmentIds: string[]) => Promise<void>,
                         typing: () => void, upload: Uploader): HTMLElement {
  const input = h("textarea", { placeholder, rows: 1, "data-testid": `${testId}-input`, "aria-label": placeholder });
  const files = h("div", { class: "pending-files", "data-testid": `${testId}-files` });
  const picker = h("input", { type: "file", multiple: true, hidden: true, "data-testid": `${testId}-file` });
  let pending: Pending[] = [];

  const attach = (list: Iterable<File>) => {
    for (const file of list) {
      const bar = h("progress", { max: 1, value: 0 });
      const label = h("span", {}, `${file.name} · ${size(file.size)}`);
      const chip = h("div", { class: "file-chip uploading", "data-testid": "pending-file" }, label, bar);
      const entry: Pending = { chip, done: Promise.resolve(null) };
      chip.append(h("button", { class: "icon", type: "button", title: `Remove ${file.name}`,
        onclick: () => { pending = pending.filter((p) => p !== entry); chip.remove(); } }, "✕"));
      entry.done = upload(file, (sent, of) => { bar.value = of === 0 ? 1 : sent / of; })
        .then((attachment) => { chip.classList.remove("uploading"); bar.remove(); return attachment; })
        .catch((failure) => {
          chip.classList.replace("uploading", "failed");
          bar.remove();
          label.textContent = `${file.name}: ${describe(failure)}`;
          return null;
        });
      pending.push(entry);
      files.append(chip);
    }
  };

  const submit = async () => {
    const text = input.value.trim();
    if (!text && pending.length === 0) {
      return;
    }
    input.disabled = true;
    try {
      const attachments = await Promise.all(pending.map((p) => p.done));
      if (attachments.some((a) => a === null)) {
        return; // a file failed: its chip says why; remove it to send the rest
      }
      await send(text, attachments.map((a) => a!.id));
      input.value = "";
      pending = [];
      files.replaceChildren();
    } catch {
      // the pane has said what went wrong; the text and files stay, to send again
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
  input.addEventListener("paste", (event) => {
    const pasted = Array.from(event.clipboardData?.files ?? []);
    if (pasted.length > 0) {
      event.preventDefault();
      attach(pasted);
    }
  });
  picker.addEventListener("change", () => {
    attach(Array.from(picker.files ?? []));
    picker.value = "";
  });
  const form = h("form", { class: "composer", onsubmit: (event: Event) => { event.preventDefault(); void submit(); } },
    files,
    h("div", { class: "composer-row" },
      h("button", { class: "icon attach", type: "button", title: "Attach files (or drop or paste them here)",
        "aria-label": "Attach files", "data-testid": `${testId}-attach`, onclick: () => picker.click() }, "📎"),
      picker, input, h("button", { class: "primary", type: "submit", "data-testid": `${testId}-send` }, "Send")));
  form.addEventListener("dragover", (event) => {
    if (event.dataTransfer?.types.includes("Files")) {
      event.preventDefault();
      form.classList.add("dropping");
    }
  });
  form.addEventListener("dragleave", () => form.classList.remove("dropping"));
  form.addEventListener("drop", (event) => {
    form.classList.remove("dropping");
    if (event.dataTransfer && event.dataTransfer.files.length > 0) {
      event.preventDefault();
      attach(Array.from(event.dataTransfer.files));
    }
  });
  return form;
}
