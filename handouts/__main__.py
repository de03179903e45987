import sys
from pathlib import Path

from handouts import handout, slides
from handouts.pages import write_pdf

folder = Path(sys.argv[1] if len(sys.argv) > 1 else "build/handouts")
for name, module in (("handout", handout), ("slides", slides)):
    print(f"==> {name}: {write_pdf(folder / f'{name}.pdf', module.pages())}")
