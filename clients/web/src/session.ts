import { createClient } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { AuthService } from "./gen/parley/v1/auth_service_pb.js";
import type { SessionTokens } from "./gen/parley/v1/auth_pb.js";
import type { User } from "./gen/parley/v1/user_pb.js";
import { publicTransport } from "./transport.js";

const STORAGE_KEY = "parley.session";
/** Refresh this long before the access token expires, so calls never start with a token about to lapse. */
const REFRESH_MARGIN_MS = 30_000;

interface Stored {
  userId: string;
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
}

/**
 * The signed-in session: tokens kept in localStorage (so a reload stays signed in) and refreshed silently. Every
 * call asks for the access token through {@link accessToken}; concurrent callers share one refresh.
 */
export class Session {
  private refreshing: Promise<string> | null = null;
  private readonly auth = createClient(AuthService, publicTransport);

  private constructor(private stored: Stored, private readonly onEnded: () => void) {}

  static restore(onEnded: () => void): Session | null {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? new Session(JSON.parse(text) as Stored, onEnded) : null;
  }

  static start(user: User, tokens: SessionTokens, onEnded: () => void): Session {
    const session = new Session(toStored(user.id, tokens), onEnded);
    session.save();
    return session;
  }

  get userId(): string {
    return this.stored.userId;
  }

  /** A valid access token, refreshed first when it is expired or about to be. */
  async accessToken(): Promise<string> {
    if (Date.now() < this.stored.accessExpiresAt - REFRESH_MARGIN_MS) {
      return this.stored.accessToken;
    }
    return this.refresh();
  }

  /**
   * Gets new tokens (also after the server refused the access token: expired, or signed with a rotated key); ends
   * the session if the refresh is refused.
   */
  refresh(force = false): Promise<string> {
    if (force) {
      this.stored.accessExpiresAt = 0;
    }
    this.refreshing ??= this.auth
      .refreshSession({ refreshToken: this.stored.refreshToken })
      .then((answer) => {
        this.stored = toStored(this.stored.userId, answer.tokens!);
        this.save();
        return this.stored.accessToken;
      })
      .catch((error: unknown) => {
        if (isRefusal(error)) {
          this.end();
        }
        throw error;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Forgets the tokens (after logging out, or when the server no longer accepts them). */
  end(): void {
    localStorage.removeItem(STORAGE_KEY);
    this.onEnded();
  }

  private save(): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.stored));
  }
}

function toStored(userId: string, tokens: SessionTokens): Stored {
  return {
    userId,
    accessToken: tokens.accessToken,
    accessExpiresAt: tokens.accessTokenExpireTime ? timestampMs(tokens.accessTokenExpireTime) : 0,
    refreshToken: tokens.refreshToken,
  };
}

/** A refresh the server answered with no: the session is over. Network failures are not refusals. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === 16 || code === 5 || code === 7 || code === 3; // UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT
}
