// A forgotten password in headless Chromium, in two steps around a real mail (WebAppIT reads it from its SMTP
// server between them). "ask": someone with an account asks for a reset link from the log-in screen. "use": the
// mail's link opens the new-password form, the new password works and the old one no longer does, and the same link
// opened again is refused in plain words. Both steps also fail on any Content-Security-Policy violation the page
// reports, so the policy the server sends is one the app lives with.
// Usage: node test/password-reset.mjs <base URL> <screenshot directory> ask <username>
//        node test/password-reset.mjs <base URL> <screenshot directory> use <link> <username>
// The last line is one JSON object; exits non-zero on failure.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { Person, PASSWORD } from "./people.mjs";

const [base, shots, step, ...rest] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const TIMEOUT = 15_000;
const NEW_PASSWORD = "a brand new passphrase";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const violations = [];
let result = "failed";
let failure = "";
try {
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) {
      violations.push(message.text());
    }
  });
  await (step === "ask" ? ask(page, rest[0]) : use(page, rest[0], rest[1]));
  if (violations.length > 0) {
    throw new Error(`Content-Security-Policy violations: ${violations.join(" | ")}`);
  }
  result = "passed";
} catch (error) {
  failure = error.message.split("\n")[0];
} finally {
  await browser.close();
}
console.log(JSON.stringify({ result, step, failure }));
process.exitCode = result === "passed" ? 0 : 1;

async function ask(page, username) {
  await Person.signUp(base, username, "Reset Tester");
  await page.goto(base);
  await page.getByTestId("auth-forgot").click();
  await page.locator('input[name="email"]').fill(`${username}@example.com`);
  await page.getByTestId("auth-submit").click();
  await expectText(page.getByTestId("auth-notice"), "a mail with a link is on its way");
  await page.screenshot({ path: `${shots}/reset-1-asked.png` });
}

async function use(page, link, username) {
  await page.goto(link);
  await page.locator('input[name="password"]').fill(NEW_PASSWORD);
  await page.getByTestId("auth-submit").click();
  await expectText(page.getByTestId("auth-notice"), "Your password is changed");
  if (page.url().includes("reset-token")) {
    throw new Error(`the spent link stays in the address bar: ${page.url()}`);
  }
  await page.screenshot({ path: `${shots}/reset-2-changed.png` });
  await expectLogIn(page, username, PASSWORD, false);
  await expectLogIn(page, username, NEW_PASSWORD, true);

  const again = await browser.newPage();
  await again.goto(link);
  await again.locator('input[name="password"]').fill("yet another passphrase");
  await again.getByTestId("auth-submit").click();
  await expectText(again.getByTestId("auth-error"), "no longer valid");
  await again.screenshot({ path: `${shots}/reset-3-link-spent.png` });
}

async function expectLogIn(page, username, password, works) {
  await page.locator('input[name="login"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByTestId("auth-submit").click();
  if (works) {
    await page.locator(".shell").waitFor({ timeout: TIMEOUT });
  } else {
    await expectText(page.getByTestId("auth-error"), "Wrong username, email or password");
  }
}

async function expectText(locator, expected) {
  await locator.filter({ hasText: expected }).waitFor({ timeout: TIMEOUT }).catch(async () => {
    throw new Error(`expected "${expected}", the page shows "${await locator.textContent().catch(() => "")}"`);
  });
}
