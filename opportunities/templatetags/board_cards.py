"""`{% idea_mark card as mark %}`: a card's feedback state for its collapsed row
("Planned for Tue 12 May"), read from the `marks` the Today views put in the context
(workspace.marks.mark_board). None where the page has no marks (board history) or for
Demo Mode samples, which nobody acts on."""

from __future__ import annotations

from django import template

from opportunities.cards import Card
from workspace.marks import BoardMarks, IdeaMark

register = template.Library()


@register.simple_tag(takes_context=True)
def idea_mark(context: template.Context, card: Card) -> IdeaMark | None:
    marks = context.get("marks")
    if card.sample or not isinstance(marks, BoardMarks):
        return None
    return marks.mark_for(card.key)
