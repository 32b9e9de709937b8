#!/usr/bin/python3
"""Checks a screenshot of report.html is not blank: enough of it is not
background, and it has the colours of the charts. Usage: check_screenshot.py PNG"""
import sys

from PIL import Image

image = Image.open(sys.argv[1]).convert("RGB")
width, height = image.size
pixels = list(image.getdata())
background = max(set(pixels[:: 97]), key=pixels[:: 97].count)
inked = sum(1 for p in pixels if p != background) / len(pixels)
colours = len(set(pixels))
print(f"{width}x{height}: {inked:.1%} not background, {colours} colours")
if inked < 0.05:
    sys.exit(f"blank: only {inked:.1%} of the page is drawn")
if colours < 50:
    sys.exit(f"no charts: only {colours} colours")
