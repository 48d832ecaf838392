// The first minutes of a new user of the web app, in headless Chromium, once at a phone width (390x844) and once at
// a desktop width (1280x800). The person in the browser signs up, starts a group and adds someone else, reads
// along, selects text and types while other things happen, deletes a message; the someone else is driven through
// the API (people.mjs), which is also how the test learns what the server holds. Each check is of a defect a new
// user met: errors in raw server words, a composer with no conversation, a group of two with "3 members", read
// messages unread again after a reload, selections and focus lost to redraws, a deleted message still previewed,
// controls pushed off a phone screen by a long preview.
// Every check runs even when an earlier one fails, so one run shows them all; the last line is one JSON object.
// Usage: node test/first-minutes.mjs <base URL, http://localhost:PORT> [screenshot directory]. Exits non-zero on failure.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { Person, PASSWORD } from "./people.mjs";

const base = process.argv[2] ?? "http://localhost:8080";
const shots = process.argv[3] ?? "target/screenshots/first-minutes";
mkdirSync(shots, { recursive: true });
const suffix = Date.now().toString(36).slice(-6);
const TIMEOUT = 15_000;
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
let passed = 0;
try {
  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    await firstMinutes(width, viewport).catch((failure) => failures.push(`${width}: stopped: ${failure.message}`));
  }
} finally {
  await browser.close();
}
failures.forEach((failure) => console.error(`first-minutes failed: ${failure}`));
console.log(JSON.stringify({ result: failures.length === 0 ? "passed" : "failed", checks: passed, failures, screenshots: shots }));
process.exitCode = failures.length === 0 ? 0 : 1;

async function firstMinutes(width, viewport) {
  const tag = `${width[0]}${suffix}`;
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${width}] page error: ${error.message}`));
  page.on("console", (message) => { // the server's Content-Security-Policy must never get in the app's way
    if (message.text().includes("Content Security Policy")) {
      failures.push(`${width}: Content-Security-Policy violation: ${message.text().slice(0, 200)}`);
    }
  });
  const phone = viewport.width < 760;
  const check = async (name, body) => {
    try {
      await body();
      passed += 1;
    } catch (failure) {
      failures.push(`${width}: ${name}: ${failure.message.split("\n")[0].slice(0, 200)}`);
      await page.screenshot({ path: `${shots}/${width}-failed-${failures.length}.png` }).catch(() => undefined);
    }
  };
  const toList = async () => {
    if (phone) {
      if (await page.locator("button.back").isVisible()) {
        await page.locator("button.back").click();
      }
      await page.locator('.shell[data-view="list"]').waitFor({ timeout: TIMEOUT }); // drawn, as a person sees it
    }
  };
  await page.goto(base);
  await page.getByTestId("auth-switch").click();

  await check("sign-up errors name the fields in plain words", async () => {
    await page.locator("form.auth-card [required]").evaluateAll((inputs) => inputs.forEach((i) => i.removeAttribute("required")));
    await page.getByTestId("auth-submit").click();
    const text = await shown(page.getByTestId("auth-error"));
    plainWords(text);
    if (!text.includes("Username")) {
      throw new Error(`"${text}" does not say which field`);
    }
  });
  await signUpForm(page, `viewer_${tag}`);
  await check("a network failure says so, and to try again", async () => {
    await context.setOffline(true);
    try {
      await page.getByTestId("auth-submit").click();
      const text = await shown(page.getByTestId("auth-error").filter({ hasText: /connect|network|reach/i }));
      plainWords(text);
      mentionsRetry(text);
    } finally {
      await context.setOffline(false);
    }
  });
  await page.getByTestId("auth-submit").click();
  await visibleText(page.getByTestId("connection"), "live");
  const viewer = await Person.logIn(base, `viewer_${tag}`);
  const writer = await Person.signUp(base, `writer_${tag}`, "Wren Writer");

  await check("no composer until a conversation is open", () => noComposer(page));

  const title = `first-${tag}`;
  await page.getByTestId("new-group").click();
  await page.getByTestId("group-title").fill(title);
  await page.getByTestId("group-public").uncheck(); // private: Browse in e2e.mjs lists public groups, 20 at most
  await page.getByTestId("group-create").click();
  await visibleText(page.getByTestId("conversation-title"), title);
  const { conversations } = await viewer.conversations.listConversations({ pageSize: 100 });
  const groupId = conversations.find((c) => c.title === title).id;
  await viewer.conversations.addMembers({ conversationId: groupId, userIds: [writer.id] });
  await writer.send(groupId, "hello, I just joined");
  await messageWith(page, "hello, I just joined").waitFor({ timeout: TIMEOUT });

  await check("a group of two shows 2 members", async () => {
    const info = (await page.locator(".conversation-header small").textContent()) ?? "";
    if (!info.startsWith("2 members")) {
      throw new Error(`the header says "${info}"`);
    }
  });
  await check("the open pane reports what it shows as read", async () => {
    for (let i = 1; i <= 5; i++) {
      await writer.send(groupId, `news ${i}`);
    }
    await messageWith(page, "news 5").waitFor({ timeout: TIMEOUT });
    await until(() => readToTheEnd(viewer, groupId), "the server's read position stays behind the last sequence");
  });
  await check("a hidden tab reads nothing, and reads when it shows again", async () => {
    await visibility(page, "hidden");
    await writer.send(groupId, "while you were away");
    await messageWith(page, "while you were away").waitFor({ timeout: TIMEOUT });
    await page.waitForTimeout(500);
    if (await readToTheEnd(viewer, groupId)) {
      throw new Error("a hidden tab marked a message read");
    }
    await visibility(page, "visible");
    await until(() => readToTheEnd(viewer, groupId), "the tab showed again and did not mark the message read");
  });
  await check("after a reload the conversation read is not unread", async () => {
    await page.reload();
    await groupItem(page, title).waitFor({ timeout: TIMEOUT });
    await visibleText(page.getByTestId("connection"), "live");
    const unread = await groupItem(page, title).getByTestId("unread").count();
    if (unread > 0) {
      throw new Error("the conversation shows an unread badge");
    }
  });
  await check("still no composer after a reload, with no conversation open", () => noComposer(page));
  await groupItem(page, title).click();
  await messageWith(page, "while you were away").waitFor({ timeout: TIMEOUT });

  let direct = "";
  await check("a selection in the messages survives time, typing and other conversations", async () => {
    await selectText(page, "news 3");
    await page.waitForTimeout(3_000);
    direct = (await writer.conversations.createDirectConversation({ userId: viewer.id })).conversation.id;
    await writer.send(direct, "psst, over here");
    await writer.presence.sendTyping({ conversationId: groupId });
    await visibleText(page.getByTestId("typing"), "typing");
    await page.getByTestId("conversation-item").filter({ hasText: "psst, over here" }).waitFor({ state: "attached", timeout: TIMEOUT });
    await page.waitForTimeout(500);
    await selectionIsStill(page, "news 3");
  });
  direct ||= (await writer.conversations.createDirectConversation({ userId: viewer.id })).conversation.id;
  await check("focus and a draft in the composer survive, and typing notices expire", async () => {
    await page.getByTestId("composer-input").fill("half a thought");
    await writer.send(direct, "another one elsewhere");
    await writer.presence.sendTyping({ conversationId: groupId });
    await visibleText(page.getByTestId("typing"), "typing");
    await page.waitForTimeout(3_000);
    await until(async () => (await page.getByTestId("typing").textContent()) === "", "the typing notice never went away");
    const focus = await page.evaluate(() => ({ id: document.activeElement?.dataset.testid, value: document.activeElement?.value }));
    if (focus.id !== "composer-input" || focus.value !== "half a thought") {
      throw new Error(`focus is on ${focus.id} holding "${focus.value}"`);
    }
    await page.getByTestId("composer-input").fill("");
  });
  await page.screenshot({ path: `${shots}/${width}-1-group.png` });
  await check("the edit box survives redraws", async () => {
    await sendFromPage(page, "a first draft");
    const mine = messageWith(page, "a first draft");
    await mine.hover();
    await mine.getByTestId("edit").click();
    await page.getByTestId("edit-input").fill("a second draft");
    await writer.send(groupId, "talking over you");
    await messageWith(page, "talking over you").waitFor({ timeout: TIMEOUT });
    await page.waitForTimeout(2_500);
    const value = await page.getByTestId("edit-input").inputValue();
    if (value !== "a second draft") {
      throw new Error(`the edit box holds "${value}"`);
    }
    await page.getByTestId("edit-save").click();
    await messageWith(page, "a second draft").getByTestId("edited").waitFor({ timeout: TIMEOUT });
  });

  await check("focus on a conversation in the list survives new messages", async () => {
    await toList();
    await groupItem(page, title).focus();
    await writer.send(direct, "and a third");
    await page.getByTestId("conversation-item").filter({ hasText: "and a third" }).waitFor({ state: "attached", timeout: TIMEOUT });
    await page.waitForTimeout(2_500);
    const focused = await page.evaluate(() => document.activeElement?.dataset.title);
    if (focused !== title) {
      throw new Error(`focus is on ${focused}`);
    }
  });
  await check("deleting the last message previews \"Message deleted\"", async () => {
    await groupItem(page, title).click();
    await sendFromPage(page, "take this back");
    const regret = messageWith(page, "take this back");
    page.once("dialog", (dialog) => dialog.accept());
    await regret.hover();
    await regret.getByTestId("delete").click();
    await page.locator("p.text.deleted").first().waitFor({ timeout: TIMEOUT });
    await toList();
    await previewIs(groupItem(page, title), "Message deleted");
  });

  await toList();
  const long = await writer.send(direct, `${"A rather long message that goes on and on about nothing much. ".repeat(6)}${"x".repeat(300)}`);
  await check("a long preview keeps every control on screen", async () => {
    await page.getByTestId("conversation-item").filter({ hasText: "A rather long message" }).waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: `${shots}/${width}-2-long-preview.png` });
    await withinSidebar(page, viewport);
  });
  await check("an edit of the last message updates the preview", async () => {
    await writer.messages.editMessage({ messageId: long.id, text: "shorter now" });
    await previewIs(directItem(page), "Wren Writer: shorter now");
  });
  await check("a deletion in a closed conversation previews \"Message deleted\"", async () => {
    await writer.messages.deleteMessage({ messageId: long.id });
    await previewIs(directItem(page), "Message deleted");
  });

  await check("a failed send says what happened, in plain words", async () => {
    await groupItem(page, title).click();
    await context.setOffline(true);
    try {
      await page.getByTestId("composer-input").fill("into the void");
      await page.getByTestId("composer-send").click();
      const text = await shown(page.locator(".conversation .notice"));
      plainWords(text);
      mentionsRetry(text);
    } finally {
      await context.setOffline(false);
    }
  });
  await page.screenshot({ path: `${shots}/${width}-3-end.png` });
  await context.close();
}

async function signUpForm(page, username) {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="displayName"]').fill("Vic Viewer");
  await page.locator('input[name="email"]').fill(`${username}@example.com`);
  await page.locator('input[name="password"]').fill(PASSWORD);
}

/** The text of an element once it shows some. */
async function shown(locator) {
  await locator.filter({ hasText: /\S/ }).first().waitFor({ timeout: TIMEOUT });
  return (await locator.first().textContent()) ?? "";
}

/** Fails on what only a developer reads: `field: description`, snake_case field names, the browser's fetch error. */
function plainWords(text) {
  if (/\b[a-z]+(_[a-z]+)*: /.test(text) || /\b[a-z]+_[a-z_]+\b/.test(text) || /Failed to fetch/i.test(text)) {
    throw new Error(`raw error text shown: "${text}"`);
  }
}

function mentionsRetry(text) {
  if (!/try again|retr/i.test(text)) {
    throw new Error(`"${text}" does not say to try again`);
  }
}

async function noComposer(page) {
  if (await page.getByTestId("composer-input").isVisible()) {
    throw new Error("the composer shows with no conversation open");
  }
}

async function readToTheEnd(person, conversationId) {
  const c = await person.conversation(conversationId);
  return c.me.readSequence === c.lastSequence && c.me.unreadCount === 0n;
}

/** Headless pages are always visible: make the page believe it was hidden or shown, as a switch of tabs does. */
function visibility(page, state) {
  return page.evaluate((state) => {
    Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
    Object.defineProperty(document, "hidden", { value: state === "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
}

/** Selects a message's text as a mouse would, and remembers the very node selected. */
function selectText(page, text) {
  return page.evaluate((text) => {
    const node = [...document.querySelectorAll('[data-testid="messages"] p.text')].find((p) => p.textContent === text);
    const range = document.createRange();
    range.selectNodeContents(node);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    window.selectedForTest = node;
  }, text);
}

async function selectionIsStill(page, text) {
  const kept = await page.evaluate(() => ({
    text: getSelection().toString(),
    sameNode: window.selectedForTest.isConnected && getSelection().containsNode(window.selectedForTest, true),
  }));
  if (kept.text !== text || !kept.sameNode) {
    throw new Error(`the selection is now "${kept.text}"${kept.sameNode ? "" : ", on another node"}`);
  }
}

/** Log out, Browse, + and every unread badge lie inside the sidebar, and the sidebar inside the screen. */
async function withinSidebar(page, viewport) {
  const sidebar = await page.locator("aside.sidebar").boundingBox();
  if (sidebar.x < 0 || sidebar.x + sidebar.width > viewport.width) {
    throw new Error(`the sidebar spans ${sidebar.x}..${sidebar.x + sidebar.width}`);
  }
  const controls = [["Log out", page.getByTestId("logout")], ["Browse", page.getByTestId("browse")],
    ["+", page.getByTestId("new-group")], ...(await page.getByTestId("unread").all()).map((badge) => ["an unread badge", badge])];
  if (controls.length < 4) {
    throw new Error("no unread badge to look at");
  }
  for (const [name, locator] of controls) {
    const box = await locator.boundingBox();
    if (!box || box.x < sidebar.x || box.x + box.width > sidebar.x + sidebar.width + 0.5) {
      throw new Error(`${name} is at ${box ? `${box.x}..${box.x + box.width}` : "nowhere"}, outside 0..${sidebar.x + sidebar.width}`);
    }
  }
}

async function sendFromPage(page, text) {
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("composer-send").click();
  await messageWith(page, text).waitFor({ timeout: TIMEOUT });
}

async function previewIs(item, text) {
  await until(async () => (await item.locator(".preview").textContent()) === text,
    async () => `the preview says "${await item.locator(".preview").textContent()}"`);
}

function groupItem(page, title) {
  return page.getByTestId("conversation-item").and(page.locator(`[data-title="${title}"]`));
}

function directItem(page) {
  return page.getByTestId("conversation-item").and(page.locator('[data-title="Wren Writer"]'));
}

function messageWith(page, text) {
  return page.getByTestId("message").filter({ has: page.locator("p.text", { hasText: text }) }).last();
}

async function visibleText(locator, text) {
  await locator.filter({ hasText: text, visible: true }).first().waitFor({ timeout: TIMEOUT });
}

/** Waits for a condition the page reaches on its own, or fails with what was seen. */
async function until(condition, failure, timeout = TIMEOUT) {
  for (const end = Date.now() + timeout; Date.now() < end;) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(typeof failure === "function" ? await failure() : failure);
}
