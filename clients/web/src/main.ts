import "./style.css";
import { Chat } from "./chat.js";
import { Session } from "./session.js";
import { authorizedTransport } from "./transport.js";
import { resetTokenInAddress, showAuth } from "./ui/auth.js";
import { showChat } from "./ui/app.js";

const root = document.getElementById("app")!;
let chat: Chat | null = null;

function signedOut(): void {
  chat?.stop();
  chat = null;
  showAuth(root, (user, tokens) => begin(Session.start(user, tokens, signedOut)));
}

function begin(session: Session): void {
  chat = new Chat(authorizedTransport(session), session);
  const current = chat;
  showChat(root, current, async () => {
    await current.logOut();
    session.end();
  });
  void current.start().catch(() => undefined); // the stream keeps retrying; the list loads when the server answers
}

// A reset link opens the password form even in a browser still signed in (the reset ends that session anyway).
const restored = resetTokenInAddress() ? null : Session.restore(signedOut);
if (restored) {
  begin(restored);
} else {
  signedOut();
}
