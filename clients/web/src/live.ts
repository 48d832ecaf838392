import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { EventService, ConversationPositionSchema } from "./gen/parley/v1/event_service_pb.js";
import type { StreamEventsResponse } from "./gen/parley/v1/event_service_pb.js";
import type { ConversationEvent } from "./gen/parley/v1/event_pb.js";
import { reasonOf } from "./errors.js";
import { ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";

/** The server sends a heartbeat every 15 s; this long without anything means the connection is gone. */
const SILENCE_LIMIT_MS = 40_000;
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

export interface LiveHandlers {
  /** Every item of the stream, log events only once each and in order per conversation. */
  onItem(item: StreamEventsResponse): void;
  /** The stream is (or is no longer) live. */
  onStatus(live: boolean): void;
  /** The server refused the stream's access token (expired, or a rotated key): renew it before reconnecting. */
  onTokenRefused(): void;
  /** The session has ended (logged out, revoked, deactivated). */
  onSessionEnded(): void;
  /** The server no longer keeps events this far back: reload these conversations from history. */
  onExpired(conversationIds: string[]): void;
}

/**
 * The one event stream of this tab. It remembers the last sequence received per conversation and, whenever the
 * stream breaks (network drop, server restart, a slow tab cut off), opens it again from there, so every event
 * arrives exactly once: the server replays what was missed, and anything at or below a known position is dropped.
 */
export class LiveStream {
  private readonly positions = new Map<string, bigint>();
  private readonly client;
  private abort: AbortController | null = null;
  private stopped = false;
  private silenceTimer: number | undefined;
  private wake: (() => void) | null = null;

  constructor(transport: Transport, private readonly handlers: LiveHandlers) {
    this.client = createClient(EventService, transport);
    // The browser knows about network drops before any heartbeat is missed: let go of the stream at once, and
    // reconnect the moment the network is back rather than at the end of a back-off.
    window.addEventListener("offline", () => this.abort?.abort());
    window.addEventListener("online", () => {
      this.abort?.abort();
      this.wake?.();
    });
  }

  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.follow();
        failures = 0;
      } catch (error) {
        if (this.stopped) {
          break;
        }
        const failure = ConnectError.from(error);
        if (failure.code === Code.FailedPrecondition && reasonOf(failure) === "EVENTS_EXPIRED") {
          this.expired(failure);
          continue;
        }
        if (failure.code === Code.Unauthenticated) {
          if (!["TOKEN_EXPIRED", "TOKEN_INVALID"].includes(reasonOf(failure))) {
            this.stop(); // the session is over
            this.handlers.onSessionEnded();
            break;
          }
          this.handlers.onTokenRefused(); // renewed before the next attempt
        }
        failures += 1;
      }
      this.handlers.onStatus(false);
      await this.pause(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]);
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    window.clearTimeout(this.silenceTimer);
  }

  /** Starts following a conversation from a known point (after its history was loaded, say). */
  know(conversationId: string, sequence: bigint): void {
    if ((this.positions.get(conversationId) ?? -1n) < sequence) {
      this.positions.set(conversationId, sequence);
    }
  }

  forget(conversationId: string): void {
    this.positions.delete(conversationId);
  }

  private async follow(): Promise<void> {
    this.abort = new AbortController();
    const positions = [...this.positions].map(([conversationId, sequence]) =>
      create(ConversationPositionSchema, { conversationId, sequence }),
    );
    this.hearing();
    for await (const item of this.client.streamEvents({ positions }, { signal: this.abort.signal })) {
      this.hearing();
      const event = item.event;
      if (event.case === "conversationEvent" && !this.isNew(event.value)) {
        continue;
      }
      if (event.case === "ready") {
        event.value.positions.forEach((p) => this.know(p.conversationId, p.sequence));
        this.handlers.onStatus(true);
      }
      if (event.case === "conversationRemoved") {
        this.forget(event.value.conversationId);
      }
      this.handlers.onItem(item);
    }
  }

  /** Waits before reconnecting, unless the network comes back first. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = window.setTimeout(resolve, ms);
      this.wake = () => {
        window.clearTimeout(timer);
        resolve();
      };
    });
  }

  private isNew(event: ConversationEvent): boolean {
    const known = this.positions.get(event.conversationId);
    if (known !== undefined && event.sequence <= known) {
      return false;
    }
    this.positions.set(event.conversationId, event.sequence);
    return true;
  }

  private expired(failure: ConnectError): void {
    const named = failure.findDetails(ErrorInfoSchema)[0]?.metadata["conversations"] ?? "";
    const ids = named.split(",").filter((id) => id !== "");
    ids.forEach((id) => this.forget(id));
    this.handlers.onExpired(ids);
  }

  /** Restarts the silence timer: a stream that stays quiet past the heartbeats is dead, even if no error says so. */
  private hearing(): void {
    window.clearTimeout(this.silenceTimer);
    this.silenceTimer = window.setTimeout(() => this.abort?.abort(), SILENCE_LIMIT_MS);
  }
}


/** Epoch milliseconds of a protobuf timestamp, 0 when unset. */
export function millis(time: Parameters<typeof timestampMs>[0] | undefined): number {
  return time ? timestampMs(time) : 0;
}
