// People driven through the API itself (connect-node over gRPC-Web), for what a test needs to happen around the
// person using the browser: another member writing, joining, typing, editing, deleting; and looking up what the
// server holds, which the page cannot be trusted to report about itself.
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { AuthService } from "../src/gen/parley/v1/auth_service_pb.js";
import { ConversationService } from "../src/gen/parley/v1/conversation_service_pb.js";
import { MessageService } from "../src/gen/parley/v1/message_service_pb.js";
import { PresenceService } from "../src/gen/parley/v1/presence_service_pb.js";

export const PASSWORD = "correct horse battery staple";

/** Someone with an account, logged in again whenever the access token nears its end (tests run with 35 s ones). */
export class Person {
  #tokens = null;
  #expires = 0;

  constructor(base, login) {
    this.login = login;
    this.id = "";
    this.auth = createClient(AuthService, createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1" }));
    const transport = createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1", interceptors: [(next) => async (req) => {
      req.header.set("authorization", `Bearer ${await this.#token()}`);
      return next(req);
    }] });
    this.conversations = createClient(ConversationService, transport);
    this.messages = createClient(MessageService, transport);
    this.presence = createClient(PresenceService, transport);
  }

  static async signUp(base, username, displayName) {
    const person = new Person(base, username);
    const answer = await person.auth.signUp({ username, displayName, email: `${username}@example.com`, password: PASSWORD });
    person.#keep(answer);
    return person;
  }

  static async logIn(base, login) {
    const person = new Person(base, login);
    await person.#token();
    return person;
  }

  send(conversationId, text) {
    return this.messages.sendMessage({ conversationId, clientMessageId: crypto.randomUUID(), text })
      .then((answer) => answer.message);
  }

  /** The conversation as the server holds it for this person (read position, member count, ...). */
  conversation(conversationId) {
    return this.conversations.getConversation({ conversationId }).then((answer) => answer.conversation);
  }

  async #token() {
    if (Date.now() > this.#expires - 10_000) {
      this.#keep(await this.auth.logIn({ login: this.login, password: PASSWORD, deviceName: "test" }));
    }
    return this.#tokens.accessToken;
  }

  #keep(answer) {
    this.id = answer.user.id;
    this.#tokens = answer.tokens;
    this.#expires = timestampMs(answer.tokens.accessTokenExpireTime);
  }
}
