// What the gRPC-Web bridge adds to a call: the same unary call (UserService.GetMe) made one at a time over gRPC-Web
// (HTTP/1.1, as browsers on plain HTTP do, and HTTP/2, as behind TLS; the server relays both to itself over HTTP/2)
// and over native gRPC (HTTP/2, straight to the services), from the same client library. gRPC-Web over HTTP/2 less
// native gRPC is the relay's own cost. Prints one JSON line with the percentiles of each.
// Usage: node test/call-latency.mjs <server base URL> [calls per transport, default 2000]
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService } from "../src/gen/parley/v1/auth_service_pb.js";
import { UserService } from "../src/gen/parley/v1/user_service_pb.js";

const base = process.argv[2] ?? "http://localhost:8080";
const calls = Number(process.argv[3] ?? 2000);
const name = `latency_${Math.random().toString(36).slice(2, 8)}`;

const signUp = await createClient(AuthService, createGrpcTransport({ baseUrl: base })).signUp({
  username: name, email: `${name}@example.com`, password: "latency passphrase",
});
const bearer = (next) => (req) => {
  req.header.set("authorization", `Bearer ${signUp.tokens.accessToken}`);
  return next(req);
};

async function measure(transport) {
  const users = createClient(UserService, transport);
  for (let i = 0; i < 200; i++) {
    await users.getMe({}); // warm-up: connections, JIT
  }
  const micros = [];
  for (let i = 0; i < calls; i++) {
    const started = process.hrtime.bigint();
    await users.getMe({});
    micros.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
  micros.sort((a, b) => a - b);
  const at = (q) => Math.round(micros[Math.min(micros.length - 1, Math.floor(q * micros.length))]);
  return { p50_us: at(0.5), p90_us: at(0.9), p99_us: at(0.99) };
}

// Alternated twice, so that a busier moment of the machine does not land on one side only.
const rounds = [];
for (let round = 0; round < 2; round++) {
  rounds.push({
    grpc_web_http1: await measure(createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1", useBinaryFormat: true,
      interceptors: [bearer] })),
    grpc_web_http2: await measure(createGrpcWebTransport({ baseUrl: base, httpVersion: "2", useBinaryFormat: true,
      interceptors: [bearer] })),
    native: await measure(createGrpcTransport({ baseUrl: base, interceptors: [bearer] })),
  });
}
console.log(JSON.stringify({ calls, rounds }));
