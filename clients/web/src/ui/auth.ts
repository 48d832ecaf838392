import { createClient } from "@connectrpc/connect";
import { AuthService } from "../gen/parley/v1/auth_service_pb.js";
import type { SessionTokens } from "../gen/parley/v1/auth_pb.js";
import type { User } from "../gen/parley/v1/user_pb.js";
import { publicTransport } from "../transport.js";
import { describe } from "../errors.js";
import { fill, h } from "./dom.js";

const auth = createClient(AuthService, publicTransport);

/** The fragment of a reset mail's link; a fragment never reaches a server, so the token stays out of its logs. */
const RESET_LINK = /^#reset-token=([A-Za-z0-9_-]+)$/;

type Mode = "logIn" | "signUp" | "forgot" | "reset";

/** The reset token of the link the page was opened with, if it was. */
export function resetTokenInAddress(): string | null {
  return RESET_LINK.exec(location.hash)?.[1] ?? null;
}

/**
 * The sign-in screen: log in, sign up with a new account, ask for a reset mail, or (opened from that mail's link)
 * choose a new password. Logging in or signing up starts the app with the tokens.
 */
export function showAuth(root: HTMLElement, signedIn: (user: User, tokens: SessionTokens) => void): void {
  const resetToken = resetTokenInAddress();
  let mode: Mode = resetToken ? "reset" : "logIn";
  const error = h("p", { class: "form-error", role: "alert", "data-testid": "auth-error" });
  const notice = h("p", { class: "form-notice", role: "status", "data-testid": "auth-notice" });
  const form = h("form", { class: "auth-card" });
  const switchTo = (next: Mode, message = "") => {
    mode = next;
    error.textContent = "";
    notice.textContent = message;
    draw();
  };
  const link = (testId: string, label: string, next: Mode) =>
    h("button", { type: "button", class: "link", "data-testid": testId, onclick: () => switchTo(next) }, label);

  const draw = () => {
    const field = (name: string, label: string, type = "text", auto = "") =>
      h("label", {}, label, h("input", { name, type, required: true, autocomplete: auto || undefined }));
    const screens: Record<Mode, { tagline: string; fields: Node[]; submit: string; links: Node[] }> = {
      logIn: {
        tagline: "Welcome back",
        fields: [field("login", "Username or email", "text", "username"), field("password", "Password", "password", "current-password")],
        submit: "Log in",
        links: [link("auth-switch", "Create an account", "signUp"), link("auth-forgot", "Forgot your password?", "forgot")],
      },
      signUp: {
        tagline: "Create your account",
        fields: [field("username", "Username", "text", "username"), field("displayName", "Display name", "text", "name"),
          field("email", "Email", "email", "email"), field("password", "Password", "password", "new-password")],
        submit: "Sign up",
        links: [link("auth-switch", "I have an account", "logIn")],
      },
      forgot: {
        tagline: "We'll mail you a link to choose a new password",
        fields: [field("email", "Email", "email", "email")],
        submit: "Send the link",
        links: [link("auth-switch", "Back to log in", "logIn")],
      },
      reset: {
        tagline: "Choose a new password",
        fields: [field("password", "New password", "password", "new-password")],
        submit: "Set the password",
        links: [link("auth-forgot", "Send me a new link", "forgot"), link("auth-switch", "Back to log in", "logIn")],
      },
    };
    const screen = screens[mode];
    fill(form,
      h("h1", {}, h("span", { class: "logo" }, "◆"), " Parley"),
      h("p", { class: "tagline" }, screen.tagline),
      ...screen.fields,
      notice,
      error,
      h("button", { class: "primary", type: "submit", "data-testid": "auth-submit" }, screen.submit),
      ...screen.links,
    );
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? "");
    error.textContent = "";
    notice.textContent = "";
    const deviceName = navigator.userAgent.includes("Mobile") ? "Phone browser" : "Browser";
    try {
      if (mode === "forgot") {
        await auth.requestPasswordReset({ email: value("email") });
        notice.textContent = "If an account has this address, a mail with a link is on its way. The link works once, for 30 minutes.";
      } else if (mode === "reset") {
        await auth.resetPassword({ resetToken: resetToken ?? "", newPassword: value("password") });
        history.replaceState(null, "", location.pathname + location.search); // the link is spent
        switchTo("logIn", "Your password is changed, and every session of the account has ended. Log in with the new password.");
      } else {
        const answer = mode === "signUp"
          ? await auth.signUp({ username: value("username"), displayName: value("displayName"), email: value("email"),
              password: value("password"), deviceName })
          : await auth.logIn({ login: value("login"), password: value("password"), deviceName });
        signedIn(answer.user!, answer.tokens!);
      }
    } catch (failure) {
      error.textContent = describe(failure);
    }
  });
  draw();
  fill(root, h("div", { class: "auth-screen" }, form));
}
