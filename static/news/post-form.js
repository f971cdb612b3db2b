// The post form: the list of schools is shown only when « Seulement certaines écoles » is chosen.
// Without JavaScript the list stays visible and the server ignores it for « Tout le public du fil ».
(function () {
  "use strict";
  var list = document.querySelector("[data-news-schools]");
  var radios = document.querySelectorAll("input[name=audience_choice]");
  if (!list || !radios.length) {
    return;
  }
  function update() {
    var some = document.querySelector("input[name=audience_choice][value=schools]");
    list.hidden = !(some && some.checked);
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
