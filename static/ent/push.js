// « Recevoir les notifications sur cet appareil » (the profile's « Mes appareils »,
// templates/notifications/push_devices.html). An ES module, no inline script (strict CSP).
//
// The form #ent-push (hidden until this runs, and left hidden where the browser cannot receive
// notifications) carries the VAPID public key (data-ent-push-key) and the CSRF token. Its button asks
// the browser's permission, subscribes this device through the service worker (static/ent/sw.js) and
// posts the subscription (endpoint, p256dh, auth) to the form's address. Removing this device from the
// list also unsubscribes it in the browser.

const form = document.getElementById("ent-push");
const status = document.getElementById("ent-push-status");

function say(message) {
  if (status) {
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }
}

function keyBytes(base64url) {
  const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  const raw = window.atob(padded);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window && window.isSecureContext;
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

async function subscribe(event) {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Votre navigateur refuse les notifications de l’ENT : autorisez-les dans ses réglages du site, puis réessayez.");
      return;
    }
    say("Ajout de cet appareil…");
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(form.dataset.entPushKey),
    });
    const json = subscription.toJSON();
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("endpoint", json.endpoint);
    body.append("p256dh", json.keys.p256dh);
    body.append("auth", json.keys.auth);
    const response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(answer.error || "L’appareil n’a pas pu être ajouté : réessayez dans un instant.");
      return;
    }
    window.location.reload();
  } catch (error) {
    say("Ce navigateur n’a pas pu s’abonner aux notifications : réessayez, ou utilisez un autre navigateur.");
  } finally {
    button.disabled = false;
  }
}

async function markThisDevice() {
  const subscription = await currentSubscription();
  if (!subscription) {
    return;
  }
  for (const device of document.querySelectorAll(".ent-push-device")) {
    if (device.dataset.entPushEndpoint === subscription.endpoint) {
      const name = device.querySelector("strong");
      if (name && !name.dataset.entThisDevice) {
        name.dataset.entThisDevice = "1";
        name.append(" (cet appareil)");
      }
      device.addEventListener("submit", (event) => {
        if (!device.dataset.entUnsubscribed) {
          event.preventDefault();
          subscription.unsubscribe().finally(() => {
            device.dataset.entUnsubscribed = "1";
            device.submit();
          });
        }
      });
    }
  }
}

if (form && supported()) {
  form.hidden = false;
  form.addEventListener("submit", subscribe);
  markThisDevice().catch(() => {});
} else if (form) {
  say("Ce navigateur ne peut pas afficher les notifications de l’ENT.");
}
