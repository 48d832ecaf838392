import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "./gen/google/rpc/error_details_pb.js";

/** The ErrorInfo reason of a failed call (e.g. USERNAME_TAKEN), or "" when it has none. */
export function reasonOf(error: unknown): string {
  const info = ConnectError.from(error).findDetails(ErrorInfoSchema)[0];
  return info?.reason ?? "";
}

const UNREACHABLE = "Parley can't be reached right now. Check your connection and try again.";
const APP_FAULT = "The app sent something the server could not accept. Reload the page and try again.";

/** What people typed, by the request field the server names; any other field is the app's fault, not theirs. */
const FIELDS: Record<string, string> = {
  username: "Username", display_name: "Display name", email: "Email", login: "Username or email",
  password: "Password", new_password: "The new password", current_password: "The current password",
  title: "Title", description: "Description", text: "The message", emoji: "The reaction", status_text: "The status",
  query: "The search", prefix: "The search",
};

/** Sentences people act on, by ErrorInfo reason (or code:reason); the server's own message is for developers. */
const REASONS: Record<string, string> = {
  [`${Code.InvalidArgument}:INVALID_CREDENTIALS`]: "That is not your current password.",
  INVALID_CREDENTIALS: "Wrong username, email or password.",
  USERNAME_TAKEN: "That username is taken. Pick another one.",
  EMAIL_TAKEN: "There already is an account with that email. Log in instead?",
  RESET_TOKEN_INVALID: "This password reset link is no longer valid. Ask for a new one.",
  MEMBER_LIMIT: "This group is full.",
  REACTION_LIMIT: "You have used the most different reactions one person can give a message.",
  MALFORMED_REQUEST: APP_FAULT,
  TOKEN_MISSING: "Your session has ended. Log in again.",
  TOKEN_INVALID: "Your session has ended. Log in again.",
  TOKEN_EXPIRED: "Your session has ended. Log in again.",
  SESSION_REVOKED: "Your session has ended. Log in again.",
  REFRESH_TOKEN_REUSED: "Your session has ended. Log in again.",
  ACCOUNT_DEACTIVATED: "This account has been deactivated.",
  ADMINISTRATOR_REQUIRED: "Only administrators can do that.",
  ROLE_REQUIRED: "Only the group's owner or admins can do that.",
  NOT_AUTHOR: "Only the author can change this message.",
  CONVERSATION_ARCHIVED: "This conversation is archived: it can be read, not changed.",
  OWNER_MUST_TRANSFER: "Hand the group to another member before you leave it.",
  MESSAGE_DELETED: "That message has been deleted.",
  DIRECT_CONVERSATION: "That is not possible in a conversation between two people.",
  CLIENT_MESSAGE_ID_REUSED: "That message was already sent.",
};

/**
 * What to show a person for a failed call, in plain words: what happened and, when it is worth it, what to do.
 * Chosen by status code and ErrorInfo reason (README, "Errors"), never from the server's text or the browser's
 * ("Failed to fetch"), which are written for developers.
 */
export function describe(error: unknown): string {
  const failure = ConnectError.from(error);
  if (isUnreachable(failure)) {
    return UNREACHABLE;
  }
  const reason = reasonOf(failure);
  const known = REASONS[`${failure.code}:${reason}`] ?? REASONS[reason];
  if (known) {
    return known;
  }
  switch (failure.code) {
    case Code.InvalidArgument:
      return badFields(failure);
    case Code.NotFound:
      return "That is no longer there, or you no longer have access to it.";
    case Code.AlreadyExists:
      return "That already exists.";
    case Code.PermissionDenied:
      return "You are not allowed to do that.";
    case Code.Unauthenticated:
      return "Your session has ended. Log in again.";
    case Code.ResourceExhausted:
      return tooMany(failure);
    case Code.DeadlineExceeded:
      return "The server took too long to answer. Try again.";
    case Code.FailedPrecondition:
      return "That is not possible right now.";
    case Code.Canceled:
      return "That was cancelled before it finished. Try again.";
    default:
      return "Something went wrong on our side. Try again in a moment.";
  }
}

/** Network down, server restarting, the call cut off ("The call was interrupted"): all UNAVAILABLE, or a fetch that failed. */
function isUnreachable(failure: ConnectError): boolean {
  return failure.code === Code.Unavailable || (failure.code === Code.Unknown && failure.cause instanceof TypeError);
}

/** One sentence per bad field people typed ("Username is required."); fields they cannot see are the app's fault. */
function badFields(failure: ConnectError): string {
  const violations = failure.findDetails(BadRequestSchema).flatMap((bad) => bad.fieldViolations);
  const typed = violations.filter((v) => FIELDS[v.field] !== undefined);
  if (typed.length === 0) {
    return APP_FAULT;
  }
  return typed.map((v) => `${FIELDS[v.field]} ${v.description}.`).join("\n");
}

function tooMany(failure: ConnectError): string {
  const delay = failure.findDetails(RetryInfoSchema)[0]?.retryDelay;
  const minutes = delay ? Math.max(1, Math.ceil(Number(delay.seconds) / 60)) : 0;
  const wait = minutes > 0 ? `in ${minutes} minute${minutes === 1 ? "" : "s"}` : "in a moment";
  return reasonOf(failure) === "LOGIN_THROTTLED"
    ? `Too many failed log-ins. Try again ${wait}.`
    : `That was too much at once. Try again ${wait}.`;
}
