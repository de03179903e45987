"""The status banner every widget shows: the verdict as a word in capitals, on a colour.

The word is what a reader, a screen reader and a greyscale print all get; the colour
(palette.BANNER) only repeats it. The tooltip says what the word means.

    banner = status_banner("READY")
    show_word(banner, "DEADLOCK")
"""
import ipywidgets as w

from .palette import BANNER, BANNER_MEANS, BANNER_STYLE


def status_banner(word):
    """A Label showing `word` (one of palette.BANNER) in large bold capitals."""
    label = w.Label(style=BANNER_STYLE, layout=w.Layout(padding="2px 12px"))
    show_word(label, word)
    return label


def show_word(label, word):
    background, text = BANNER[word]
    label.value = word
    label.style.background = background
    label.style.text_color = text
    label.tooltip = f"{word}: {BANNER_MEANS[word]}"
