import { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";

/** The ErrorInfo reason of a failed call (e.g. USERNAME_TAKEN), or "" when it has none. */
export function reasonOf(error: unknown): string {
  const info = ConnectError.from(error).findDetails(ErrorInfoSchema)[0];
  return info?.reason ?? "";
}

/** What to show a person for a failed call: the wrong fields when there are some, else the server's message. */
export function describe(error: unknown): string {
  const failure = ConnectError.from(error);
  const violations = failure.findDetails(BadRequestSchema).flatMap((bad) => bad.fieldViolations);
  if (violations.length > 0) {
    return violations.map((v) => `${v.field}: ${v.description}`).join("\n");
  }
  return failure.rawMessage || failure.message;
}
