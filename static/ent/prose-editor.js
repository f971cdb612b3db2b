// The rich text editor of every app (ent/widgets.py, RichTextWidget): django-prose-editor's Tiptap
// editor, started without inline script or style so that it works under the site's strict
// Content-Security-Policy:
// - the package's editor module is imported by a relative URL, so no inline <script type="importmap">;
// - Tiptap's <style> element is not injected (injectCSS: false): its rules are in prose-editor.css.
// The configuration (extensions) comes from the textarea's data attribute, written by the widget.

// The editor in French. Its dialogs read window.gettext once, when the package's module is
// evaluated: so that function is in place first, and the module is imported afterwards. A catalogue
// already on the page (Django's JavaScriptCatalog, as in the admin) keeps precedence.
const FRENCH = {
  // Toolbar buttons and block types (not translatable upstream).
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
  // Dialogs (the package's French catalogue, and a few clearer wordings).
  URL: "Adresse (URL)",
  Title: "Titre",
  "Open in new window": "Ouvrir dans une nouvelle fenêtre",
  "Edit Link": "Modifier le lien",
  Update: "Mettre à jour",
  Cancel: "Annuler",
  Insert: "Insérer",
  "List properties": "Propriétés de la liste",
  "Toggle fullscreen": "Basculer en plein écran",
  "Decimal numbers": "Nombres décimaux",
  "Lowercase letters": "Lettres minuscules",
  "Uppercase letters": "Lettres majuscules",
  "Lowercase Roman numerals": "Chiffres romains minuscules",
  "Uppercase Roman numerals": "Chiffres romains majuscules",
  Bullets: "Puces",
  "Start at": "Commencer à",
  "List type": "Type de liste",
  "Image URL": "Adresse de l’image",
  "Alternative Text": "Texte alternatif",
  Caption: "Légende",
  "Edit HTML": "Modifier le HTML",
  Rows: "Lignes",
  Columns: "Colonnes",
  "Include header row": "Inclure une ligne d’en-tête",
  "Table Properties": "Propriétés du tableau",
  "Insert Table": "Insérer un tableau",
};
for (const level of [1, 2, 3, 4, 5, 6]) {
  FRENCH[`Heading ${level}`] = `Titre de niveau ${level}`;
  FRENCH[`heading ${level}`] = `Titre de niveau ${level}`;
}

const catalogue = typeof window.gettext === "function" ? window.gettext : null;
window.gettext = (text) => {
  const translated = catalogue ? catalogue(text) : text;
  return translated !== text ? translated : FRENCH[text] || text;
};

const prose = await import("../django_prose_editor/editor.js");

const ATTRIBUTE = "data-django-prose-editor-configurable";
// What Tiptap returns for an empty document ("<p></p>"): the field is then left empty.
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function translate(element) {
  for (const name of ["title", "aria-label"]) {
    const french = FRENCH[element.getAttribute(name)];
    if (french) {
      element.setAttribute(name, french);
    }
  }
  if (element.children.length === 0 && !element.classList.contains("material-icons")) {
    const french = FRENCH[element.textContent];
    if (french) {
      element.textContent = french;
    }
  }
}

function markUnavailable(button) {
  // The package greys out a button that cannot act now (undo with no history, a link with no
  // selection) by a class only: screen readers are told too, and contrast checks skip it, as
  // WCAG 1.4.3 exempts an inactive control.
  if (button.classList.contains("disabled") && !button.classList.contains("active")) {
    if (button.getAttribute("aria-disabled") !== "true") {
      button.setAttribute("aria-disabled", "true");
    }
  } else if (button.hasAttribute("aria-disabled")) {
    button.removeAttribute("aria-disabled");
  }
}

function translateToolbar(wrapper) {
  // The toolbar is drawn once the editor is ready, and its block type is redrawn as the cursor
  // moves: translate whatever appears in it (never the text being written), and say which of its
  // buttons are unavailable.
  const run = () => {
    for (const toolbar of wrapper.querySelectorAll(".prose-menubar")) {
      translate(toolbar);
      toolbar.querySelectorAll("*").forEach(translate);
      toolbar.querySelectorAll(".prose-menubar__button").forEach(markUnavailable);
    }
  };
  run();
  new MutationObserver(run).observe(wrapper, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["title", "aria-label", "class"],
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

function labelOf(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) {
    label.id = `${textarea.id}-label`;
  }
  return label;
}

function start(textarea) {
  if (textarea.closest(".prose-editor")) {
    return null;
  }
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  // The editable area takes the textarea's label and error message, for screen readers.
  const attributes = { role: "textbox", "aria-multiline": "true" };
  const label = labelOf(textarea);
  if (label) {
    attributes["aria-labelledby"] = label.id;
  }
  const error = document.getElementById(`${textarea.id}-desc-error`);
  if (error) {
    attributes["aria-describedby"] = error.id;
    attributes["aria-invalid"] = "true";
  }
  const editor = new prose.Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensionsFrom(config),
    content: textarea.value,
    injectCSS: false,
    editorProps: { attributes },
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
  translateToolbar(wrapper);
  return editor;
}

function startAll(root) {
  for (const textarea of root.querySelectorAll(`[${ATTRIBUTE}]`)) {
    start(textarea);
  }
}

startAll(document);
// A form brought in by htmx gets its editor too.
document.addEventListener("htmx:afterSwap", (event) => startAll(event.target));
