import { createClient, type Transport } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { AttachmentService } from "./gen/parley/v1/attachment_service_pb.js";
import type { Attachment } from "./gen/parley/v1/attachment_pb.js";
import { millis } from "./live.js";
import { reasonOf } from "./errors.js";

/** Tries of one chunk while the server is unreachable, before the upload gives up. */
const CHUNK_ATTEMPTS = 8;
/** A link is asked for again this long before the server says it stops working. */
const LINK_MARGIN_MS = 30_000;

/**
 * Files up and down, over the same gRPC-Web API as everything else: an upload is a declaration, chunks of at most
 * the size the server names (1 MiB), and a completion, each a unary call (browsers cannot stream to the server); a
 * dropped chunk is resumed from what the server says it holds. Downloads are the short-lived links the server signs,
 * which an <img> element can load without a token; they are kept until shortly before they expire.
 */
export class Files {
  private readonly service;
  private readonly links = new Map<string, { url: string; until: number }>();

  constructor(transport: Transport) {
    this.service = createClient(AttachmentService, transport);
  }

  async upload(conversationId: string, file: File, progress: (sent: number, of: number) => void): Promise<Attachment> {
    const sha256 = hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
    let { upload } = await this.service.createUpload({ conversationId, name: file.name,
      sizeBytes: BigInt(file.size), mediaType: mediaType(file), sha256 });
    let failures = 0;
    while (upload!.receivedBytes < BigInt(file.size)) {
      const offset = Number(upload!.receivedBytes);
      const data = new Uint8Array(await file.slice(offset, offset + upload!.maxChunkBytes).arrayBuffer());
      try {
        ({ upload } = await this.service.uploadChunk({ uploadId: upload!.id, offset: BigInt(offset), data }));
        failures = 0;
      } catch (error) {
        // behind where the server is: a chunk it acknowledged was lost in a crash of its database
        const behind = reasonOf(ConnectError.from(error)) === "UPLOAD_OFFSET_MISMATCH";
        if (!transient(error) && !behind || ++failures === CHUNK_ATTEMPTS) {
          throw error;
        }
        if (!behind) {
          await pause(Math.min(5_000, 250 * 2 ** failures));
        }
        ({ upload } = await this.service.getUpload({ uploadId: upload!.id }));
      }
      progress(Number(upload!.receivedBytes), file.size);
    }
    const { attachment } = await this.service.completeUpload({ uploadId: upload!.id });
    return attachment!;
  }

  /** Where to fetch a file or its thumbnail from, for a few minutes. */
  async link(attachmentId: string, thumbnail: boolean): Promise<string> {
    const key = `${attachmentId}/${thumbnail}`;
    const known = this.links.get(key);
    if (known && known.until > Date.now()) {
      return known.url;
    }
    const answer = await this.service.getAttachmentLink({ attachmentId, thumbnail });
    this.links.set(key, { url: answer.url, until: millis(answer.expireTime) - LINK_MARGIN_MS });
    return answer.url;
  }
}

/** "1.2 MB", "340 KB", "12 bytes". */
export function size(bytes: bigint | number): string {
  const n = Number(bytes);
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : n >= 1_000 ? `${Math.round(n / 1_000)} KB` : `${n} bytes`;
}

/** The type the browser gives, as the server takes it (lower case, no parameters); empty when unknown. */
function mediaType(file: File): string {
  const type = file.type.toLowerCase().split(";")[0].trim();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) && type.length <= 127 ? type : "";
}

function transient(error: unknown): boolean {
  const code = ConnectError.from(error).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.Unknown;
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
