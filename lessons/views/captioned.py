"""Pictures as HTML: an image with its one-line statement under it, for the notebook and
for screen readers (shared by matplotlib figures and graphviz drawings)."""
import base64
import html


def with_caption(picture_html, caption):
    """A picture with its one-line statement under it (a figure, for screen readers)."""
    if not caption:
        return picture_html
    said = html.escape(caption)
    return (f"<figure style='margin:0' role='group' aria-label='{said}'>{picture_html}"
            f"<figcaption style='font-size:14px'>{said}</figcaption></figure>")


def img_html(png_bytes, width_px, alt):
    """An <img> of PNG bytes drawn at twice the density: sharp, `width_px` wide at most."""
    data = base64.b64encode(png_bytes).decode()
    return (f"<img src='data:image/png;base64,{data}' alt='{html.escape(alt)}' "
            f"style='width:{width_px}px;max-width:100%;height:auto'>")
