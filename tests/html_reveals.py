"""What a page's GOV.UK conditional reveals hold: the names of the controls inside each
`conditional-<option id>` block, nested blocks included, read with the standard HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"input", "br", "img", "meta", "link", "hr"}


class _Reveals(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []  # the reveal id each open element belongs to, if any
        self.open_reveals: list[tuple[str, int]] = []
        self.names: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        name = values.get("name")
        if name and tag in {"input", "textarea", "select"}:
            for reveal, _depth in self.open_reveals:
                self.names[reveal].add(name)
        if tag in VOID:
            return
        element_id = values.get("id") or ""
        self.stack.append(tag)
        if element_id.startswith("conditional-"):
            reveal = element_id.removeprefix("conditional-")
            self.names.setdefault(reveal, set())
            self.open_reveals.append((reveal, len(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        if self.open_reveals and self.open_reveals[-1][1] == len(self.stack):
            self.open_reveals.pop()
        self.stack.pop()


def reveals(html: str) -> dict[str, set[str]]:
    """{option id: names of the controls revealed under it}."""
    parser = _Reveals()
    parser.feed(html)
    return parser.names
