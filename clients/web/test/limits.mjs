// The request size limits as a grpc-js client sees them (the Java side is RequestRulesTest): 20 KiB of metadata and a
// 5 MiB message must each come back RESOURCE_EXHAUSTED with the limit in the message and an ErrorInfo reason, not
// UNKNOWN (what grpc-js makes of a bare HTTP 431) and not an empty message. Prints one JSON line per case and exits
// non-zero when one is not as expected. Usage: node test/limits.mjs <host:port>
import grpc from "@grpc/grpc-js";
import loader from "@grpc/proto-loader";
import { fromBinary } from "@bufbuild/protobuf";
import { StatusSchema } from "../src/gen/google/rpc/status_pb.js";
import { ErrorInfoSchema } from "../src/gen/google/rpc/error_details_pb.js";

const target = process.argv[2] ?? "localhost:9090";
const definition = loader.loadSync(["parley/v1/user_service.proto", "parley/v1/auth_service.proto"],
  { includeDirs: ["../../proto"], keepCase: true });
const { UserService, AuthService } = grpc.loadPackageDefinition(definition).parley.v1;
const options = { "grpc.max_send_message_length": 16 << 20 };
const users = new UserService(target, grpc.credentials.createInsecure(), options);
const auth = new AuthService(target, grpc.credentials.createInsecure(), options);

/** The call's failure as code, reason and message, read as any grpc-js client would. */
function outcome(call) {
  return new Promise((resolve) => call((error) => {
    if (!error) {
      resolve({ code: "OK" });
      return;
    }
    const details = error.metadata.get("grpc-status-details-bin")[0];
    const info = details ? fromBinary(StatusSchema, details).details.find((d) => d.typeUrl.endsWith("ErrorInfo")) : null;
    const reason = info ? fromBinary(ErrorInfoSchema, info.value).reason : "";
    resolve({ code: grpc.status[error.code], reason, message: error.details });
  }));
}

const deadline = () => ({ deadline: Date.now() + 10_000 });
const padded = new grpc.Metadata();
padded.set("x-padding", "p".repeat(20 << 10));
const cases = {
  metadata: await outcome((done) => users.SearchUsers({ prefix: "a" }, padded, deadline(), done)),
  message: await outcome((done) => auth.LogIn({ login: "x".repeat(5 << 20), password: "y" }, new grpc.Metadata(),
    deadline(), done)),
};
const expected = { metadata: ["METADATA_TOO_LARGE", "16384"], message: ["MESSAGE_TOO_LARGE", "4194304"] };
let failed = false;
for (const [name, seen] of Object.entries(cases)) {
  const [reason, limit] = expected[name];
  const ok = seen.code === "RESOURCE_EXHAUSTED" && seen.reason === reason && seen.message.includes(limit);
  failed ||= !ok;
  console.log(JSON.stringify({ case: name, ok, ...seen }));
}
users.close();
auth.close();
process.exit(failed ? 1 : 0);
