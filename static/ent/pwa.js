// Registers the service worker (static/ent/sw.js, served at /sw.js so that it covers the whole site).
// Its address, with the static files' version, is in <meta name="ent-service-worker"> (components/pwa_head.html).
// No inline script anywhere (strict CSP): this file is loaded with defer from every page's head.
//
// Signing out also unsubscribes this browser from pushes: on a shared computer, the next person must
// not see the notifications of the one before. The push service then answers 410 for the device, and
// the server forgets it (notifications/push.py).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="ent-service-worker"]');
  if (!meta || !("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(meta.content, { scope: "/" }).catch(function (error) {
      // Without it the site works as before, only without the offline page.
      if (window.console) {
        window.console.warn("Service worker non enregistré :", error);
      }
    });
  });

  var LOGOUT_PATH = "/accounts/logout/";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || new URL(form.action, window.location.href).pathname !== LOGOUT_PATH || form.dataset.entPushDone) {
      return;
    }
    if (!navigator.serviceWorker.controller || !("PushManager" in window)) {
      return;
    }
    event.preventDefault();
    var done = function () {
      if (!form.dataset.entPushDone) {
        form.dataset.entPushDone = "1";
        form.submit();
      }
    };
    window.setTimeout(done, 1500); // never hold the sign-out for long
    navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.pushManager.getSubscription();
      })
      .then(function (subscription) {
        return subscription ? subscription.unsubscribe() : null;
      })
      .catch(function () {})
      .then(done);
  });
})();
