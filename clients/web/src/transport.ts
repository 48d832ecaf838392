import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import type { Session } from "./session.js";
import { reasonOf } from "./errors.js";

/** The server that served this page answers gRPC-Web itself (or Envoy in front of it does). */
const baseUrl = window.location.origin;

/** For the calls that need no token: sign up, log in, refresh. */
export const publicTransport: Transport = createGrpcWebTransport({ baseUrl, useBinaryFormat: true });

/**
 * For everything else: puts the session's access token in the authorization header (never in the URL), and when
 * the server still says TOKEN_EXPIRED (a clock off, a tab asleep) refreshes once and tries again.
 */
export function authorizedTransport(session: Session): Transport {
  const bearer: Interceptor = (next) => async (request) => {
    request.header.set("authorization", `Bearer ${await session.accessToken()}`);
    try {
      return await next(request);
    } catch (error) {
      const failure = ConnectError.from(error);
      if (failure.code !== Code.Unauthenticated || request.stream) {
        throw failure;
      }
      // Expired, or signed with a key the server has since rotated: a refresh (the refresh token does not depend
      // on the signing key) gets a token it accepts. Anything else means the session is over.
      if (!["TOKEN_EXPIRED", "TOKEN_INVALID"].includes(reasonOf(failure))) {
        session.end();
        throw failure;
      }
      request.header.set("authorization", `Bearer ${await session.refresh(true)}`);
      return next(request);
    }
  };
  return createGrpcWebTransport({ baseUrl, useBinaryFormat: true, interceptors: [bearer] });
}
