// Parley's service worker: shows the notifications the server pushes while no Parley tab is open (their payload
// is described in proto/parley/v1/notification_service.proto), and opens the conversation when one is clicked.
self.addEventListener("push", (event) => {
  const data = event.data ? event.data.json() : {};
  const more = data.count > 1 ? `${data.count} new messages · ` : "";
  const body = `${more}${data.author ? `${data.author}: ` : ""}${data.text ?? ""}`;
  event.waitUntil(self.registration.showNotification(data.title || "Parley", {
    body, tag: data.conversation_id, renotify: true, data,
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const id = event.notification.data?.conversation_id;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      client.postMessage({ openConversation: id });
      return client.focus();
    }
    return self.clients.openWindow(id ? `/?conversation=${encodeURIComponent(id)}` : "/");
  })());
});
