// Names for the admin controls that Django's own scripts draw without one (axe), on every admin
// page (templates/admin/base_site.html), on load and whenever a script adds such controls (a new
// inline row, a select box with a filter, an autocomplete select):
// - the magnifier of a select box with a filter carries an aria-label: it becomes an image;
// - an autocomplete (select2) box is named by its field's label, not only by its selection;
// - the date and the time inputs of a date-and-time field are named after the field.
(function () {
  "use strict";

  function clean(text) {
    return (text || "").replace(/\s+/g, " ").replace(/\s*:\s*$/, "").trim();
  }

  function fieldLabel(input) {
    const label = input.id && document.querySelector('label[for="' + input.id + '"]');
    if (label && clean(label.textContent)) {
      return clean(label.textContent);
    }
    const row = input.closest(".form-row, .fieldBox, fieldset");
    const legend = row && row.querySelector("legend, label");
    if (legend && clean(legend.textContent)) {
      return clean(legend.textContent);
    }
    const cell = input.closest("td");
    if (cell) {
      const table = cell.closest("table");
      const header = table && table.querySelectorAll("thead th")[cell.cellIndex];
      if (header) {
        return clean(header.textContent);
      }
    }
    return "";
  }

  function nameFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      const box = container && container.querySelector(".select2-selection[role=combobox]");
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!box || !label) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "-label";
      }
      // The selection is a read-only textbox of its own, empty while nothing is chosen.
      const rendered = box.querySelector(".select2-selection__rendered");
      if (rendered && !rendered.hasAttribute("aria-labelledby")) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
      const named = (box.getAttribute("aria-labelledby") || "").split(" ");
      if (!named.includes(label.id)) {
        box.setAttribute("aria-labelledby", [label.id].concat(named).join(" ").trim());
      }
    });
  }

  function nameDateTimes(root) {
    root.querySelectorAll("p.datetime input").forEach(function (input) {
      if (input.hasAttribute("aria-label") || !input.id || input.id.includes("__prefix__")) {
        return;
      }
      const field = fieldLabel(input);
      const part = clean(input.previousSibling && input.previousSibling.textContent) ||
        (input.id.endsWith("_1") ? "Heure" : "Date");
      input.setAttribute("aria-label", field ? field + " — " + part.toLowerCase() : part);
    });
  }

  function nameAll(root) {
    nameFilterIcons(root);
    nameAutocompletes(root);
    nameDateTimes(root);
  }

  function start() {
    nameAll(document);
    let pending = false;
    new MutationObserver(function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          nameAll(document);
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
