"""Interface widgets set inside an article: boxes built around a form control.

A box inside the article that holds a checkbox, a text field or a choice is something
to operate, not to read: a consent toggle standing in for an embedded video or post
("Empfohlener redaktioneller Inhalt … Ich bin damit einverstanden, dass …"), a
newsletter sign-up, a poll. The whole box goes, its explanation with it. Hidden
inputs (form state) do not count. Pure functions of an lxml tree.
"""

from __future__ import annotations

from archiver.extract.dom import text_content

#: Most characters of text in a widget's box; a larger ancestor holds the article too.
WIDGET_MAX = 700
#: Input types that are no control a reader operates.
_NOT_CONTROLS = frozenset(["hidden", "submit", "image", "button", "reset"])


def _length(el) -> int:
    return len("".join(text_content(el).split()))


def _box(control, top):
    """The largest ancestor of ``control`` below ``top`` with at most :data:`WIDGET_MAX`
    characters of text (the control's own element when even its parent is larger)."""
    box = control
    node = control.getparent()
    while node is not None and node is not top and _length(node) <= WIDGET_MAX:
        box = node
        node = node.getparent()
    return box


def widget_boxes(element) -> list:
    """The boxes of ``element`` built around a form control a reader operates (none
    holding half of its text or more: then the control sits in the article itself)."""
    boxes: list = []
    half = None
    for control in element.iter("input", "select", "textarea"):
        if control.tag == "input" and (control.get("type") or "text").lower() in _NOT_CONTROLS:
            continue
        box = _box(control, element)
        if box is control or any(b is box for b in boxes):
            continue
        if half is None:
            half = _length(element) / 2
        if _length(box) < half:
            boxes.append(box)
    return boxes
