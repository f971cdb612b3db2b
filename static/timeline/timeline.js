// Event form: the start and end times only matter when "Toute la journée" is unticked.
// Without JavaScript every field stays visible and the server checks the same rule.
(function () {
  "use strict";
  var allDay = document.getElementById("id_all_day");
  if (!allDay) {
    return;
  }
  var timed = document.querySelectorAll("[data-tl-timed]");
  function sync() {
    for (var i = 0; i < timed.length; i++) {
      timed[i].hidden = allDay.checked;
    }
  }
  allDay.addEventListener("change", sync);
  sync();
})();
