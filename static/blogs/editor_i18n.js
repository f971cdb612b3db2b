// The post editor in French. django-prose-editor asks window.gettext for its dialogs when its
// module loads, so this classic script runs first; its toolbar labels (not translatable upstream)
// are translated by post_editor.js with the same dictionary.
(function () {
  "use strict";
  var FR = {
    // Toolbar
    "paragraph": "Paragraphe",
    "Paragraph": "Paragraphe",
    "heading 1": "Titre 1",
    "heading 2": "Titre 2",
    "heading 3": "Titre 3",
    "Heading 1": "Titre 1",
    "Heading 2": "Titre 2",
    "Heading 3": "Titre 3",
    "bold": "Gras",
    "italic": "Italique",
    "underline": "Souligné",
    "strike": "Barré",
    "unordered list": "Liste à puces",
    "ordered list": "Liste numérotée",
    "blockquote": "Citation",
    "horizontal rule": "Ligne de séparation",
    "insert link": "Insérer un lien",
    "remove link": "Retirer le lien",
    "undo": "Annuler",
    "redo": "Rétablir",
    "List properties": "Propriétés de la liste",
    // Dialogs
    "URL": "Adresse (URL)",
    "Title": "Titre",
    "Open in new window": "Ouvrir dans une nouvelle fenêtre",
    "Edit Link": "Lien",
    "Update": "Valider",
    "Cancel": "Annuler",
    "Insert": "Insérer",
    "Decimal numbers": "Nombres",
    "Lowercase letters": "Lettres minuscules",
    "Uppercase letters": "Lettres majuscules",
    "Lowercase Roman numerals": "Chiffres romains minuscules",
    "Uppercase Roman numerals": "Chiffres romains majuscules",
    "Bullets": "Puces",
    "Start at": "Commencer à",
    "List type": "Type de liste"
  };
  window.entEditorFrench = FR;
  if (typeof window.gettext !== "function") {
    window.gettext = function (text) {
      return Object.prototype.hasOwnProperty.call(FR, text) ? FR[text] : text;
    };
  }
})();
