"""The query's words and stems, the highlighted excerpt (no database)."""

from search.text import Query, excerpt, highlight, stem


def test_words_lose_accents_and_case():
    assert Query("Évaluations  de l’ÉCOLE").words == ["evaluations", "de", "l'ecole"]


def test_a_plural_and_its_singular_share_a_stem():
    assert stem("evaluations") == stem("evaluation") == "evalu"
    assert stem("ecoles") == stem("ecole")
    assert stem("les") == "les"  # short words are kept whole


def test_the_excerpt_marks_the_words_found_whatever_their_accents():
    text = "Le conseil des maîtres prépare les évaluations nationales de CE1 avec l’équipe."
    html = excerpt(text, Query("EVALUATION equipe"))
    assert "<mark>évaluations</mark>" in html
    assert "<mark>équipe</mark>" in html


def test_the_excerpt_escapes_the_text():
    html = excerpt("<script>alert(1)</script> dictaphone", Query("dictaphone"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "<mark>dictaphone</mark>" in html


def test_a_long_text_is_cut_around_the_first_word_found():
    text = "début " * 100 + "le dictaphone enregistre " + "fin " * 100
    html = excerpt(text, Query("dictaphone"), width=60)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>dictaphone</mark>" in html and len(html) < 120


def test_highlight_keeps_the_whole_title():
    assert highlight("École Jean Raffarin", Query("ecole")) == "<mark>École</mark> Jean Raffarin"


def test_a_ligature_or_a_letter_beyond_the_table_keeps_the_marks_in_place():
    # « œ » folds to two letters and « 🙂 » is not in the translation table: both take the letter
    # by letter way; the marks must still fall on the original words.
    assert str(excerpt("Le cœur de l’École", Query("coeur ecole"))) == ("Le <mark>cœur</mark> de l’<mark>École</mark>")
    assert str(excerpt("L’ÉCOLE 🙂 des écoles…", Query("ecoles"))) == (
        "L’<mark>ÉCOLE</mark> 🙂 des <mark>écoles</mark>…"
    )
