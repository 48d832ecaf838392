import { createClient } from "@connectrpc/connect";
import { AuthService } from "../gen/parley/v1/auth_service_pb.js";
import type { SessionTokens } from "../gen/parley/v1/auth_pb.js";
import type { User } from "../gen/parley/v1/user_pb.js";
import { publicTransport } from "../transport.js";
import { describe } from "../errors.js";
import { fill, h } from "./dom.js";

const auth = createClient(AuthService, publicTransport);

/** The sign-in screen: log in, or sign up with a new account; either way the app starts with the tokens. */
export function showAuth(root: HTMLElement, signedIn: (user: User, tokens: SessionTokens) => void): void {
  let signingUp = false;
  const error = h("p", { class: "form-error", role: "alert", "data-testid": "auth-error" });
  const form = h("form", { class: "auth-card" });

  const draw = () => {
    const field = (name: string, label: string, type = "text", auto = "") =>
      h("label", {}, label, h("input", { name, type, required: true, autocomplete: auto || undefined }));
    fill(form,
      h("h1", {}, h("span", { class: "logo" }, "◆"), " Parley"),
      h("p", { class: "tagline" }, signingUp ? "Create your account" : "Welcome back"),
      ...(signingUp
        ? [field("username", "Username", "text", "username"), field("displayName", "Display name", "text", "name"),
           field("email", "Email", "email", "email"), field("password", "Password", "password", "new-password")]
        : [field("login", "Username or email", "text", "username"), field("password", "Password", "password", "current-password")]),
      error,
      h("button", { class: "primary", type: "submit", "data-testid": "auth-submit" }, signingUp ? "Sign up" : "Log in"),
      h("button", { type: "button", class: "link", "data-testid": "auth-switch", onclick: () => { signingUp = !signingUp; error.textContent = ""; draw(); } },
        signingUp ? "I have an account" : "Create an account"),
    );
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? "");
    error.textContent = "";
    try {
      const deviceName = navigator.userAgent.includes("Mobile") ? "Phone browser" : "Browser";
      const answer = signingUp
        ? await auth.signUp({ username: value("username"), displayName: value("displayName"), email: value("email"),
            password: value("password"), deviceName })
        : await auth.logIn({ login: value("login"), password: value("password"), deviceName });
      signedIn(answer.user!, answer.tokens!);
    } catch (failure) {
      error.textContent = describe(failure);
    }
  });
  draw();
  fill(root, h("div", { class: "auth-screen" }, form));
}
