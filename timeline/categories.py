"""The kinds of events on the frise, each with a colour, an icon and a symbol.

Colour is never the only clue: every category also has a text label (always shown next to the
colour) and, on the frise, a marker shape of its own.
"""

from dataclasses import dataclass

from django.db import models


class Category(models.TextChoices):
    DIRECTORS_MEETING = "reunion", "Réunion de directeurs"
    ANIMATION = "animation", "Animation pédagogique"
    TRAINING = "formation", "Formation"
    DEADLINE = "echeance", "Échéance administrative"
    PROJECT = "projet", "Projet"
    EVALUATION = "evaluation", "Évaluation"
    OTHER = "autre", "Autre"


@dataclass(frozen=True)
class CategoryStyle:
    value: str
    label: str
    colour: str  # a DSFR illustrative colour: fr-badge--<colour>, --background-action-high-<colour>
    icon: str  # a DSFR icon class
    shape: str  # the marker's id on the frise (see templates/timeline/_frise_svg.html)

    @property
    def badge_class(self) -> str:
        return f"fr-badge--{self.colour}"

    @property
    def css_class(self) -> str:
        return f"tl-cat--{self.value}"


STYLES: dict[str, CategoryStyle] = {
    style.value: style
    for style in (
        CategoryStyle(
            Category.DIRECTORS_MEETING, Category.DIRECTORS_MEETING.label, "blue-ecume", "fr-icon-team-line", "circle"
        ),
        CategoryStyle(
            Category.ANIMATION, Category.ANIMATION.label, "green-emeraude", "fr-icon-lightbulb-line", "square"
        ),
        CategoryStyle(
            Category.TRAINING, Category.TRAINING.label, "purple-glycine", "fr-icon-presentation-line", "diamond"
        ),
        CategoryStyle(
            Category.DEADLINE, Category.DEADLINE.label, "orange-terre-battue", "fr-icon-timer-line", "triangle"
        ),
        CategoryStyle(Category.PROJECT, Category.PROJECT.label, "pink-tuile", "fr-icon-flag-line", "star"),
        CategoryStyle(
            Category.EVALUATION, Category.EVALUATION.label, "brown-caramel", "fr-icon-survey-line", "hexagon"
        ),
        CategoryStyle(Category.OTHER, Category.OTHER.label, "beige-gris-galet", "fr-icon-calendar-event-line", "ring"),
    )
}


def style_of(category: str) -> CategoryStyle:
    return STYLES.get(category, STYLES[Category.OTHER])
