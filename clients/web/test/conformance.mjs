// The conformance scenarios over gRPC-Web from Node (@connectrpc/connect-node, HTTP/1.1 like a browser), printing
// one line per outcome. server/src/test/java/dev/parley/server/web/ConformanceIT.java runs the same scenarios over
// native gRPC from Java and requires the same lines. Usage: node test/conformance.mjs <server base URL>
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService } from "../src/gen/parley/v1/auth_service_pb.js";
import { UserService } from "../src/gen/parley/v1/user_service_pb.js";
import { ConversationService } from "../src/gen/parley/v1/conversation_service_pb.js";
import { MessageService } from "../src/gen/parley/v1/message_service_pb.js";
import { EventService } from "../src/gen/parley/v1/event_service_pb.js";
import { Visibility } from "../src/gen/parley/v1/conversation_pb.js";
import { BadRequestSchema, ErrorInfoSchema } from "../src/gen/google/rpc/error_details_pb.js";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const suffix = Math.random().toString(36).slice(2, 8);
const PASSWORD = "conformance passphrase";

function clients(token) {
  const interceptors = token ? [(next) => (req) => { req.header.set("authorization", `Bearer ${token}`); return next(req); }] : [];
  const transport = createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1", useBinaryFormat: true, interceptors });
  return {
    auth: createClient(AuthService, transport), users: createClient(UserService, transport),
    conversations: createClient(ConversationService, transport), messages: createClient(MessageService, transport),
    events: createClient(EventService, transport),
  };
}

/** A failure as the line both clients print: code, reason, and the sorted bad fields. */
function failure(error) {
  const e = ConnectError.from(error);
  const reason = e.findDetails(ErrorInfoSchema)[0]?.reason ?? "";
  const fields = e.findDetails(BadRequestSchema).flatMap((b) => b.fieldViolations.map((v) => v.field)).sort();
  return `${Code[e.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()} ${reason}${fields.length ? ` fields=${fields.join(",")}` : ""}`;
}

async function outcome(name, action) {
  let line;
  try {
    line = await action();
  } catch (error) {
    line = failure(error);
  }
  console.log(`${name}: ${line}`);
}

/** Reads a stream until `take` returns true, then cancels it, as a client that has what it needs does. */
async function readUntil(open, take) {
  const abort = new AbortController();
  try {
    for await (const item of open(abort.signal)) {
      if (await take(item)) {
        abort.abort();
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) {
      throw error;
    }
  }
}

const anonymous = clients();
const signUp = (name) => anonymous.auth.signUp({ username: `${name}_${suffix}`, email: `${name}_${suffix}@example.com`,
  displayName: name, password: PASSWORD });

let amy, ben;
await outcome("sign up", async () => {
  const answer = await signUp("amy");
  amy = { id: answer.user.id, ...clients(answer.tokens.accessToken) };
  return `OK display_name=${answer.user.displayName}`;
});
await outcome("sign up taken username", () => signUp("amy"));
await outcome("sign up bad fields", () => anonymous.auth.signUp({ username: "x", email: "not an email", password: "short" }));
await outcome("log in wrong password", () => anonymous.auth.logIn({ login: `amy_${suffix}`, password: "wrong password" }));
await outcome("log in", async () => {
  const answer = await anonymous.auth.logIn({ login: `amy_${suffix}`, password: PASSWORD });
  return `OK user_is_amy=${answer.user.id === amy.id} has_refresh_token=${answer.tokens.refreshToken !== ""}`;
});
await outcome("get me without token", () => anonymous.users.getMe({}));
await outcome("get me", async () => `OK display_name=${(await amy.users.getMe({})).user.displayName}`);

const bens = await signUp("ben");
ben = { id: bens.user.id, ...clients(bens.tokens.accessToken) };
let group;
await outcome("create group with a member", async () => {
  group = (await amy.conversations.createGroupConversation({ title: `conf ${suffix}`, visibility: Visibility.PRIVATE,
    memberIds: [ben.id] })).conversation;
  return `OK member_count=${group.memberCount} last_sequence=${group.lastSequence}`;
});
const send = (who, text, clientMessageId = crypto.randomUUID()) =>
  who.messages.sendMessage({ conversationId: group.id, clientMessageId, text });
await outcome("send three messages", async () => {
  const sequences = [];
  for (const text of ["one", "two", "three"]) {
    sequences.push((await send(amy, text)).message.sequence);
  }
  return `OK sequences=${sequences.join(",")}`;
});
await outcome("send retried with the same client id", async () => {
  const first = await send(amy, "once", "retry-" + suffix);
  const again = await send(amy, "once", "retry-" + suffix);
  return `OK same_message=${first.message.id === again.message.id} sequence=${again.message.sequence}`;
});

let position = 0n;
await outcome("stream live", async () => {
  const seen = [];
  await readUntil((signal) => ben.events.streamEvents({}, { signal }), async (item) => {
    if (item.event.case === "ready") {
      seen.push("ready");
      await send(amy, "live");
    } else if (item.event.case === "conversationEvent") {
      const event = item.event.value;
      position = event.sequence;
      seen.push(`${event.change.case}:${event.sequence}:${event.change.value.text}`);
      return true;
    }
    return false;
  });
  return `OK ${seen.join(" ")}`;
});
await outcome("resume from a position", async () => {
  await send(amy, "missed one");
  await send(amy, "missed two");
  const seen = [];
  const positions = [{ conversationId: group.id, sequence: position }];
  await readUntil((signal) => ben.events.streamEvents({ positions }, { signal }), (item) => {
    if (item.event.case === "conversationEvent") {
      seen.push(`${item.event.value.sequence}:${item.event.value.change.value.text}`);
    }
    if (item.event.case === "ready") {
      seen.push("ready");
    }
    return item.event.case === "ready";
  });
  return `OK ${seen.join(" ")}`;
});
await outcome("resume past the end", async () => {
  for await (const item of ben.events.streamEvents({ positions: [{ conversationId: group.id, sequence: 1000n }] })) {
    return `unexpected ${item.event.case}`;
  }
});
await outcome("send to an unknown conversation", () => ben.messages.sendMessage({
  conversationId: "00000000-0000-4000-8000-000000000000", clientMessageId: crypto.randomUUID(), text: "hello?" }));
await outcome("send empty text", () => send(ben, ""));
await outcome("outsider reads history", async () => {
  const carl = clients((await signUp("carl")).tokens.accessToken);
  return carl.messages.listMessages({ conversationId: group.id });
});
