// Behaviour of the blog pages. No inline script anywhere (strict CSP): code lives here.
(function () {
  "use strict";
  // « Imprimer » buttons print the page (print.css lays it out for paper).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-blogs-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
