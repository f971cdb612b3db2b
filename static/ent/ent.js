// Behaviour shared by every page. No inline script anywhere (strict CSP): code lives here.
(function () {
  "use strict";
  // A form with data-ent-confirm asks before submitting (e.g. destructive actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-ent-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
