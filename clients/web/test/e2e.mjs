// End-to-end test of the web app in headless Chromium: two people in two browser contexts (a desktop and a phone
// width) find each other, chat live both ways, react, edit and see each other typing; then one goes offline while
// the other sends 20 messages, and on reconnecting all 20 appear once and in order. Then groups: create, browse and
// join, notifications (a mention notifies while the tab is in the background, a plain message at the mentions level
// does not, the unread count in the title), a thread reply, a picture and a file sent (the other sees the picture's preview), a profile picture, message search (marked words, a reply opened in its thread, an old message opened at its
// place after a reload), a deletion, and scrolling back through 80 messages of history.
// With --expect-refresh (for a server whose access tokens live 35 s), it also waits for Bob's first access token to
// expire and checks that he keeps working, refreshed silently.
// Usage: node test/e2e.mjs <server base URL> [screenshot directory] [--expect-refresh]. Exits non-zero on failure.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { ConversationService } from "../src/gen/parley/v1/conversation_service_pb.js";
import { MessageService } from "../src/gen/parley/v1/message_service_pb.js";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const shots = process.argv[3] ?? "target/screenshots";
const expectRefresh = process.argv.includes("--expect-refresh");
mkdirSync(shots, { recursive: true });
const suffix = Date.now().toString(36).slice(-6);
const TIMEOUT = 15_000;
/** What the page reported of the server's Content-Security-Policy getting in the app's way: must stay empty. */
const policyViolations = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let step = "starting";
try {
  const alice = await person("alice", { width: 1280, height: 800 });
  const bob = await person("bob", { width: 390, height: 844 });

  step = "Alice finds Bob and writes to him";
  await alice.page.getByTestId("search").fill(`bob_${suffix}`);
  await alice.page.getByTestId("user-result").first().click();
  await expectText(alice.page.getByTestId("conversation-title"), "Bob");
  await send(alice.page, "Hi Bob, welcome to Parley");

  step = "Bob sees the conversation, unread, with Alice online";
  const bobsItem = bob.page.getByTestId("conversation-item").first();
  await expectText(bobsItem.getByTestId("unread"), "1");
  await bobsItem.getByTestId("presence").and(bob.page.locator('[data-state="online"]')).waitFor({ timeout: TIMEOUT });
  await bob.page.screenshot({ path: `${shots}/1-bob-list-unread.png` });
  await bobsItem.click();
  await messageWith(bob.page, "Hi Bob, welcome to Parley").waitFor({ timeout: TIMEOUT });

  step = "Bob answers, Alice sees it live, and sees him typing first";
  await bob.page.getByTestId("composer-input").pressSequentially("Hi Alice", { delay: 20 });
  await expectText(alice.page.getByTestId("typing"), "typing");
  await bob.page.getByTestId("composer-send").click();
  await messageWith(alice.page, "Hi Alice").waitFor({ timeout: TIMEOUT });

  step = "Bob reacts, Alice sees the reaction";
  const greeting = messageWith(bob.page, "Hi Bob, welcome to Parley");
  await greeting.hover(); // a tap on a phone: the message's actions show
  await greeting.getByTestId("react-👍").click();
  await expectText(messageWith(alice.page, "Hi Bob, welcome to Parley").getByTestId("reaction"), "👍 1");

  step = "Alice edits her message, Bob sees the new text";
  const mine = messageWith(alice.page, "Hi Bob, welcome to Parley");
  await mine.hover();
  await mine.getByTestId("edit").click();
  await alice.page.getByTestId("edit-input").fill("Hi Bob, welcome to Parley (edited by Alice)");
  await alice.page.getByTestId("edit-save").click();
  await messageWith(bob.page, "(edited by Alice)").getByTestId("edited").waitFor({ timeout: TIMEOUT });
  await alice.page.screenshot({ path: `${shots}/2-alice-live-chat.png` });

  step = "Bob goes offline";
  await bob.context.setOffline(true);
  await expectText(bob.page.getByTestId("connection"), "offline");

  step = "Alice sends 20 messages while Bob is offline";
  for (let i = 1; i <= 20; i++) {
    await send(alice.page, `offline message ${i}`);
  }
  await bob.page.screenshot({ path: `${shots}/3-bob-offline.png` });

  step = "Bob comes back: all 20 once and in order";
  await bob.context.setOffline(false);
  await expectText(bob.page.getByTestId("connection"), "live");
  await messageWith(bob.page, "offline message 20").waitFor({ timeout: TIMEOUT });
  const texts = await bob.page.getByTestId("message").locator("p.text").allTextContents();
  const received = texts.filter((t) => t.startsWith("offline message "));
  const expected = Array.from({ length: 20 }, (_, i) => `offline message ${i + 1}`);
  if (JSON.stringify(received) !== JSON.stringify(expected)) {
    throw new Error(`Bob has ${JSON.stringify(received)}`);
  }
  await bob.page.screenshot({ path: `${shots}/4-bob-after-reconnect.png` });

  step = "Alice starts a public group; Bob browses and joins it";
  await alice.page.getByTestId("new-group").click();
  await alice.page.getByTestId("group-title").fill(`team-${suffix}`);
  await alice.page.getByTestId("group-create").click();
  await expectText(alice.page.getByTestId("conversation-title"), `team-${suffix}`);
  await bob.page.locator("button.back").filter({ visible: true }).click();
  await bob.page.getByTestId("browse").click();
  await bob.page.getByTestId("group-result").filter({ hasText: `team-${suffix}` }).click();
  await expectText(bob.page.getByTestId("conversation-title"), `team-${suffix}`);

  step = "Bob turns on notifications and sets the group to mentions only";
  await bob.context.grantPermissions(["notifications"], { origin: new URL(base).origin });
  await bob.page.locator("button.back").filter({ visible: true }).click(); // on a phone the list is a page of its own
  await bob.page.getByTestId("enable-notifications").click();
  await bob.page.getByTestId("enable-notifications").waitFor({ state: "hidden", timeout: TIMEOUT });
  await bob.page.getByTestId("conversation-item").filter({ hasText: `team-${suffix}` }).click();
  await bob.page.getByTestId("notification-level").selectOption({ label: "Notify: mentions only" });
  await bob.page.waitForFunction(() => navigator.serviceWorker.controller !== null
    || navigator.serviceWorker.getRegistration().then((r) => r?.active != null), null, { timeout: TIMEOUT });

  step = "Bob's tab is in the background: a plain message does not notify, a mention does, and the title counts";
  // Playwright keeps every page focused and visible; the page is told it is hidden, as a browser tells a tab
  // behind another. What shows the notification is Chromium's own Notification API, read back through it.
  await bob.page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await send(alice.page, "a plain message while Bob is away");
  await send(alice.page, `@bob_${suffix} your review, please`);
  await bob.page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const shown = registration ? await registration.getNotifications() : [];
    return shown.some((n) => n.body.includes("your review, please"));
  }, null, { timeout: TIMEOUT });
  const shown = await bob.page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration()).getNotifications())
    .map((n) => `${n.title} | ${n.body}`));
  if (shown.some((n) => n.includes("a plain message while Bob is away"))) {
    throw new Error(`a message without a mention notified at the mentions level: ${shown.join("; ")}`);
  }
  if (!shown.some((n) => n.startsWith(`team-${suffix} | Alice Example: `))) {
    throw new Error(`the notification names neither the group nor the author: ${shown.join("; ")}`);
  }
  await bob.page.waitForFunction(() => /^\(\d+\) Parley$/.test(document.title), null, { timeout: TIMEOUT });
  await bob.page.evaluate(() => {
    delete document.visibilityState;
    delete document.hidden;
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await bob.page.waitForFunction(() => document.title === "Parley", null, { timeout: TIMEOUT });

  step = "Alice sets her account's notifications: mentions only, and e-mail digests after an hour away";
  await alice.page.getByTestId("notification-settings").click();
  await alice.page.getByTestId("default-level").selectOption({ label: "Mentions and direct messages" });
  await alice.page.getByTestId("email-digest").check();
  await alice.page.getByTestId("digest-after").selectOption({ label: "E-mail me after an hour away" });
  await alice.page.getByTestId("settings-save").click();
  await alice.page.locator("dialog.modal").waitFor({ state: "detached", timeout: TIMEOUT });
  await alice.page.getByTestId("notification-settings").click();
  await alice.page.waitForFunction(() => document.querySelector('[data-testid="email-digest"]')?.checked === true,
    null, { timeout: TIMEOUT });
  const kept = await alice.page.getByTestId("default-level").inputValue();
  if (kept !== "2") {
    throw new Error(`the default level was not kept: ${kept}`);
  }
  await alice.page.getByRole("button", { name: "Cancel" }).click();

  step = "Bob replies in a thread; Alice sees the reply count and the thread";
  await send(alice.page, "Who takes the release notes?");
  const root = messageWith(bob.page, "Who takes the release notes?");
  await root.waitFor({ timeout: TIMEOUT });
  await root.hover();
  await root.getByTestId("reply").click();
  await bob.page.getByTestId("thread-composer-input").fill("I will, in this thread");
  await bob.page.getByTestId("thread-composer-send").click();
  await messageWith(alice.page, "Who takes the release notes?").getByTestId("replies").filter({ hasText: "1 reply" })
    .waitFor({ timeout: TIMEOUT });
  await messageWith(alice.page, "Who takes the release notes?").getByTestId("replies").click();
  await alice.page.getByTestId("thread").locator("p.text", { hasText: "I will, in this thread" }).waitFor({ timeout: TIMEOUT });
  await alice.page.screenshot({ path: `${shots}/6-alice-thread.png` });
  await bob.page.getByTestId("close-thread").click();

  step = "Alice attaches a picture and a file; Bob sees the picture's preview and the file's chip";
  const png = await alice.page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    const pen = canvas.getContext("2d");
    pen.fillStyle = "#1d4ed8";
    pen.fillRect(0, 0, 640, 360);
    pen.fillStyle = "#facc15";
    pen.fillRect(160, 90, 320, 180);
    return canvas.toDataURL("image/png").split(",")[1];
  });
  await alice.page.getByTestId("composer-file").setInputFiles([
    { name: "mockup.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("release notes, first draft\n") },
  ]);
  await alice.page.getByTestId("pending-file").nth(1).waitFor({ timeout: TIMEOUT });
  await send(alice.page, "The mockup and my notes");
  const withFiles = messageWith(bob.page, "The mockup and my notes");
  await withFiles.getByTestId("attachment-file").filter({ hasText: "notes.txt" }).waitFor({ timeout: TIMEOUT });
  await bob.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="attachment-image"]')]
    .some((image) => image.complete && image.naturalWidth === 320 && image.naturalHeight === 180), null,
    { timeout: TIMEOUT });
  if (await alice.page.getByTestId("pending-file").count() !== 0) {
    throw new Error("the composer still shows the files after sending");
  }
  await bob.page.screenshot({ path: `${shots}/6a-bob-sees-a-picture.png` });

  step = "Alice uploads a profile picture; it shows in her header, resized by the server";
  await alice.page.getByTestId("avatar-file").setInputFiles(
    { name: "me.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") });
  await alice.page.waitForFunction(() => {
    const image = document.querySelector('[data-testid="change-avatar"] img');
    return image && image.complete && image.naturalWidth === 320;
  }, null, { timeout: TIMEOUT });

  step = "Alice searches as she types: the words marked, and a thread reply opens in its thread";
  await alice.page.getByTestId("search").fill("release not");
  const hit = alice.page.getByTestId("message-result").filter({ hasText: "Who takes the release notes?" });
  await hit.waitFor({ timeout: TIMEOUT });
  const marked = await hit.getByTestId("snippet").locator("mark").allTextContents();
  if (JSON.stringify(marked) !== JSON.stringify(["release", "notes"])) {
    throw new Error(`the snippet marks ${JSON.stringify(marked)}`);
  }
  await alice.page.screenshot({ path: `${shots}/6b-alice-search.png` });
  await alice.page.getByTestId("search").fill(`thread from:@bob_${suffix}`);
  await alice.page.getByTestId("message-result").filter({ hasText: "I will, in this thread" }).click();
  await alice.page.getByTestId("thread").locator("article.message.found", { hasText: "I will, in this thread" })
    .waitFor({ timeout: TIMEOUT });
  await alice.page.getByTestId("search").fill("note:x");
  await expectText(alice.page.getByTestId("message-search-error"), "unknown operator");
  await alice.page.getByTestId("search").fill("");
  await alice.page.getByTestId("close-thread").click();

  step = "Alice deletes a message; Bob sees the tombstone";
  await send(alice.page, "a message to take back");
  const regret = messageWith(alice.page, "a message to take back");
  await messageWith(bob.page, "a message to take back").waitFor({ timeout: TIMEOUT });
  alice.page.once("dialog", (dialog) => dialog.accept());
  await regret.hover();
  await regret.getByTestId("delete").click();
  await bob.page.locator("p.text.deleted").first().waitFor({ timeout: TIMEOUT });

  step = "Bob scrolls back through a long history";
  await seedMessages(await session(alice.page), `team-${suffix}`, 80);
  await messageWith(bob.page, "history 80").waitFor({ timeout: TIMEOUT });
  await bob.page.reload(); // a fresh load reads only the newest page
  await bob.page.getByTestId("conversation-item").filter({ hasText: `team-${suffix}` }).click();
  await messageWith(bob.page, "history 80").waitFor({ timeout: TIMEOUT });
  for (let i = 0; i < 10 && !(await bob.page.getByText("This is the beginning of the conversation").isVisible()); i++) {
    await bob.page.getByTestId("messages").filter({ visible: true }).evaluate((list) => (list.scrollTop = 0));
    await bob.page.waitForTimeout(300);
  }
  await messageWith(bob.page, "history 1").waitFor({ timeout: TIMEOUT });
  const history = (await bob.page.getByTestId("message").locator("p.text").allTextContents())
    .filter((t) => t.startsWith("history "));
  if (history.length !== 80 || history[0] !== "history 1" || history[79] !== "history 80") {
    throw new Error(`scroll-back shows ${history.length} history messages`);
  }
  await bob.page.screenshot({ path: `${shots}/7-bob-scrolled-back.png` });

  step = "Bob finds an old message after a reload: it opens at its place, marked";
  await bob.page.reload(); // the newest page only: the result is further back
  await bob.page.getByTestId("search").fill('"history 3"');
  const found = bob.page.getByTestId("message-result");
  await found.filter({ hasText: "history 3" }).first().waitFor({ timeout: TIMEOUT });
  if ((await found.count()) !== 1) {
    throw new Error(`"history 3" found ${await found.count()} messages: ${await found.allTextContents()}`);
  }
  await found.click();
  const opened = bob.page.locator("article.message.found").filter({ visible: true });
  await opened.waitFor({ timeout: TIMEOUT });
  const openedText = await opened.locator("p.text").textContent();
  const box = await opened.boundingBox();
  const pane = await bob.page.getByTestId("messages").filter({ visible: true }).boundingBox();
  if (openedText !== "history 3" || !box || !pane || box.y < pane.y || box.y + box.height > pane.y + pane.height) {
    throw new Error(`the opened result is "${openedText}" at ${JSON.stringify(box)} in ${JSON.stringify(pane)}`);
  }
  await bob.page.screenshot({ path: `${shots}/8-bob-found-old-message.png` });

  if (expectRefresh) {
    step = "Bob's first access token expires and he keeps chatting";
    const expiry = bob.firstSession.accessExpiresAt;
    await bob.page.waitForTimeout(Math.max(0, expiry - Date.now() + 1_000));
    await send(bob.page, "still here after my token expired");
    await messageWith(alice.page, "still here after my token expired").waitFor({ timeout: TIMEOUT });
    const now = await session(bob.page);
    if (now.accessToken === bob.firstSession.accessToken) {
      throw new Error("Bob's access token was never refreshed");
    }
  }
  await alice.page.screenshot({ path: `${shots}/5-alice-desktop.png` });
  if (policyViolations.length > 0) {
    throw new Error(`Content-Security-Policy violations: ${policyViolations.join(" | ")}`);
  }
  console.log(JSON.stringify({ result: "passed", received: received.length, screenshots: shots }));
} catch (failure) {
  console.error(`e2e failed at "${step}": ${failure.message}`);
  for (const [i, context] of browser.contexts().entries()) {
    for (const page of context.pages()) {
      await page.screenshot({ path: `${shots}/failure-${i}.png` }).catch(() => undefined);
    }
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function person(name, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${name}] page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      console.error(`[${name}] console: ${message.text()}`);
    }
    if (message.text().includes("Content Security Policy")) {
      policyViolations.push(`[${name}] ${message.text().slice(0, 200)}`);
    }
  });
  await page.goto(base);
  await page.getByTestId("auth-switch").click();
  await page.locator('input[name="username"]').fill(`${name}_${suffix}`);
  await page.locator('input[name="displayName"]').fill(name === "alice" ? "Alice Example" : "Bob Example");
  await page.locator('input[name="email"]').fill(`${name}_${suffix}@example.com`);
  await page.locator('input[name="password"]').fill("correct horse battery staple");
  await page.getByTestId("auth-submit").click();
  await expectText(page.getByTestId("connection"), "live");
  return { context, page, firstSession: await session(page) };
}

/** Sends messages through the API itself (connect-node over gRPC-Web), faster than typing them. */
async function seedMessages(stored, title, count) {
  const transport = createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1",
    interceptors: [(next) => (req) => { req.header.set("authorization", `Bearer ${stored.accessToken}`); return next(req); }] });
  const conversations = createClient(ConversationService, transport);
  const messages = createClient(MessageService, transport);
  const { conversations: mine } = await conversations.listConversations({ pageSize: 100 });
  const group = mine.find((c) => c.title === title);
  for (let i = 1; i <= count; i++) {
    await messages.sendMessage({ conversationId: group.id, clientMessageId: `seed-${suffix}-${i}`, text: `history ${i}` });
  }
}

function session(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("parley.session")));
}

async function send(page, text) {
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("composer-send").click();
  await messageWith(page, text).waitFor({ timeout: TIMEOUT });
}

function messageWith(page, text) {
  return page.getByTestId("message").filter({ has: page.locator("p.text", { hasText: text }) }).last();
}

async function expectText(locator, text) {
  await locator.filter({ hasText: text, visible: true }).first().waitFor({ timeout: TIMEOUT });
}
