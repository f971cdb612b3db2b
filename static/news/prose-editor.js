// Starts django-prose-editor's Tiptap editor without an import map and without injected <style>
// (both are inline content that the site's strict Content-Security-Policy refuses).
// The configuration comes from the textarea's data attribute, written by the Django widget.
import * as prose from "../django_prose_editor/editor.js";

const ATTRIBUTE = "data-django-prose-editor-configurable";

// The package's toolbar labels that its French catalogue does not cover (buttons and block types).
const FRENCH = {
  paragraph: "Paragraphe",
  Paragraph: "Paragraphe",
  "unordered list": "Liste à puces",
  "ordered list": "Liste numérotée",
  blockquote: "Citation",
  "horizontal rule": "Ligne de séparation",
  "hard break": "Retour à la ligne",
  bold: "Gras",
  italic: "Italique",
  underline: "Souligné",
  strike: "Barré",
  "insert link": "Insérer un lien",
  "remove link": "Retirer le lien",
  undo: "Annuler",
  redo: "Rétablir",
};
for (const level of [1, 2, 3, 4, 5, 6]) {
  FRENCH[`Heading ${level}`] = `Titre de niveau ${level}`;
  FRENCH[`heading ${level}`] = `Titre de niveau ${level}`;
}

function frenchLabels(root) {
  for (const element of root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
    for (const attribute of ["title", "aria-label"]) {
      const french = FRENCH[element.getAttribute(attribute)];
      if (french) {
        element.setAttribute(attribute, french);
      }
    }
  }
  for (const option of root.querySelectorAll(".prose-menubar__option > *")) {
    const french = FRENCH[option.textContent];
    if (french) {
      option.textContent = french;
    }
  }
}

function translateMenu(wrapper) {
  // The toolbar is drawn once the editor is ready, and its selected block type is redrawn as the
  // cursor moves: translate whatever appears.
  frenchLabels(wrapper);
  new MutationObserver(() => frenchLabels(wrapper)).observe(wrapper, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["title", "aria-label"],
  });
}

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = prose[name];
    if (!extension) {
      continue;
    }
    extensions.push(options && typeof options === "object" ? extension.configure(options) : extension);
  }
  return extensions;
}

function start(textarea) {
  if (textarea.closest(".prose-editor")) {
    return;
  }
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const editor = new prose.Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensionsFrom(config),
    content: textarea.value,
    injectCSS: false,
    editorProps: {
      attributes: label
        ? { "aria-labelledby": label.id || (label.id = `${textarea.id}-label`), "aria-multiline": "true", role: "textbox" }
        : { "aria-multiline": "true", role: "textbox" },
    },
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  translateMenu(wrapper);
  return editor;
}

function startAll(root) {
  for (const textarea of root.querySelectorAll(`[${ATTRIBUTE}]`)) {
    start(textarea);
  }
}

startAll(document);
document.addEventListener("htmx:afterSwap", (event) => startAll(event.target));
