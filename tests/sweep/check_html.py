#!/usr/bin/python3
"""Checks that sweep.html is well-formed: every element closed in order (void
elements excepted), no script, no event handler, nothing fetched; and, given
a hostile text, that it shows as text and never as markup.
Usage: check_html.py PAGE [HOSTILE_TEXT]"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):  # <polyline .../>: SVG's own closing
        self.check(tag, attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def check(self, tag, attrs):
        if tag in ("script", "iframe", "object", "link", "img"):
            self.problems.append(f"line {self.getpos()[0]}: <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "href"):
                self.problems.append(f"line {self.getpos()[0]}: <{tag} {name}=...>")


page = open(sys.argv[1], encoding="utf-8").read()
checker = Checker()
checker.feed(page)
checker.close()
if not page.startswith("<!DOCTYPE html>"):
    checker.problems.append("no <!DOCTYPE html> first")
for tag, (line, _) in checker.stack:
    checker.problems.append(f"line {line}: <{tag}> never closed")
if len(sys.argv) > 2:
    hostile = sys.argv[2]
    if hostile in page:
        checker.problems.append(f"the text {hostile!r} is in the page unescaped")
    if not any(hostile in t for t in checker.text):
        checker.problems.append(f"the text {hostile!r} is not shown as text")
for p in checker.problems:
    print(p)
sys.exit(1 if checker.problems else 0)
