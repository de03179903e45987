"""Keyboard: a view's own controls keep their keys, and the focus shows clearly.

JupyterLab reads every keydown in a notebook as a possible shortcut: in command mode the
arrow keys move the cell selection, also while a dropdown or a list of answers in an
output has the focus (ipywidgets stops keydown only in its text boxes). Lumino, the
toolkit JupyterLab is built on, skips its shortcuts for an event whose target, or an
ancestor of it, carries the attribute `data-lm-suppress-shortcuts` (JupyterLab's own
shortcut editor uses it). `keys_kept(box)` marks the view's container with the class
KEEP_KEYS and adds a KeyGuard, a small anywidget with no look of its own, whose script
(once per page) gives that attribute to every select and radio button inside such a
container as it gets the focus, and draws a focus ring that stays visible on every
control there: 3 px of palette blue, apart from the control by a white gap.
"""
import anywidget

from .palette import BLUE

KEEP_KEYS = "lessons-keeps-keys"
# The controls whose arrow keys (and Home, End, letters) are theirs, not the notebook's.
OWN_KEYS = "select, input[type=radio]"

SCRIPT = f"""
function keepKeys(event) {{
  const control = event.target;
  if (control instanceof Element && control.matches('{OWN_KEYS}')
      && control.closest('.{KEEP_KEYS}')) {{
    control.setAttribute('data-lm-suppress-shortcuts', 'true');
  }}
}}
export default {{
  render({{ el }}) {{
    el.style.display = 'none';
    if (!globalThis.__lessonsKeepKeys) {{       // one listener per page, for every view
      globalThis.__lessonsKeepKeys = true;
      document.addEventListener('focusin', keepKeys, true);
    }}
  }}
}};
"""

FOCUS_RING = f"""
.{KEEP_KEYS} :is(button, select, input, textarea, [tabindex]):focus-visible {{
  outline: 3px solid {BLUE} !important;
  outline-offset: 2px;
  box-shadow: 0 0 0 2px white;
}}
"""


class KeyGuard(anywidget.AnyWidget):
    """Nothing to see: its script keeps the keys of the controls beside it."""
    _esm = SCRIPT
    _css = FOCUS_RING


def keys_kept(box):
    """`box` (an ipywidgets Box), marked so its selects and radio buttons keep their keys
    and its focus ring shows, with the KeyGuard that does it as its last child."""
    box.add_class(KEEP_KEYS)
    box.children = (*box.children, KeyGuard())
    return box
