import { createClient, type Transport } from "@connectrpc/connect";
import { NotificationLevel } from "./gen/parley/v1/conversation_pb.js";
import type { NotificationSettings } from "./gen/parley/v1/notification_pb.js";
import { NotificationService } from "./gen/parley/v1/notification_service_pb.js";

/**
 * Notifications in this browser. Permission is asked only when the person clicks "Turn on notifications" (never
 * on load, which browsers penalise and people dismiss); then the service worker (/sw.js) is registered, subscribed
 * to push with the server's VAPID key, and the subscription registered as a device, so the server pushes while no
 * tab is open. While a tab is open but in the background the server does not push (the person is online): this
 * page shows the notification itself.
 */
export class Notifications {
  private readonly service;
  private registration: Promise<ServiceWorkerRegistration> | null = null;
  /** The account's default level, which conversations at NOTIFICATION_LEVEL_DEFAULT follow. */
  defaultLevel = NotificationLevel.EVERYTHING;

  constructor(transport: Transport) {
    this.service = createClient(NotificationService, transport);
  }

  get supported(): boolean {
    return window.isSecureContext && "Notification" in window && "serviceWorker" in navigator;
  }

  get enabled(): boolean {
    return this.supported && Notification.permission === "granted";
  }

  /** On start: the account's default level, and the worker again where permission was given before. */
  async start(): Promise<void> {
    const { settings } = await this.service.getNotificationSettings({});
    this.defaultLevel = settings?.defaultLevel ?? NotificationLevel.EVERYTHING;
    if (this.enabled) {
      await this.subscribe();
    }
  }

  /** Asks for permission (call from a click) and subscribes; whether notifications are on afterwards. */
  async enable(): Promise<boolean> {
    if (!this.supported || (await Notification.requestPermission()) !== "granted") {
      return false;
    }
    await this.subscribe();
    return true;
  }

  /** The account-wide settings as the server holds them. */
  async settings(): Promise<NotificationSettings> {
    const { settings } = await this.service.getNotificationSettings({});
    return settings!;
  }

  /** Changes the account-wide settings: the default level, and e-mail digests after so many seconds away. */
  async update(level: NotificationLevel, emailDigest: boolean, digestAfterSeconds: bigint): Promise<void> {
    const { settings } = await this.service.updateNotificationSettings({
      defaultLevel: level, emailDigest, emailDigestAfter: { seconds: digestAfterSeconds, nanos: 0 },
    });
    this.defaultLevel = settings?.defaultLevel ?? level;
  }

  /** Shows a notification from this page (the tab is in the background); a click opens the conversation. */
  async show(title: string, body: string, conversationId: string, open: (id: string) => void): Promise<void> {
    if (!this.enabled) {
      return;
    }
    const registration = await this.worker();
    await registration.showNotification(title, { body, tag: conversationId, data: { conversation_id: conversationId } });
    navigator.serviceWorker.onmessage = (event) => {
      const id = (event.data as { openConversation?: string } | null)?.openConversation;
      if (id) {
        window.focus();
        open(id);
      }
    };
  }

  private worker(): Promise<ServiceWorkerRegistration> {
    this.registration ??= navigator.serviceWorker.register("/sw.js").then(() => navigator.serviceWorker.ready);
    return this.registration;
  }

  private async subscribe(): Promise<void> {
    const registration = await this.worker();
    try {
      const { vapidPublicKey } = await this.service.getPushConfig({});
      const subscription = await registration.pushManager.getSubscription()
        ?? await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(vapidPublicKey) });
      const json = subscription.toJSON();
      await this.service.registerDevice({
        device: {
          name: "Web browser",
          target: { case: "webPush", value: { endpoint: json.endpoint ?? "", p256dh: json.keys?.["p256dh"] ?? "", auth: json.keys?.["auth"] ?? "" } },
        },
      });
    } catch {
      // No push service reachable (a browser without one, or offline): notifications still show while a tab is open.
    }
  }
}

function bytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) {
    out[i] = text.charCodeAt(i);
  }
  return out;
}
