"""`%%linux`: a notebook cell that runs real processes, skipped with one sentence elsewhere.

    %load_ext lessons.views.linux_only       (once, in the notebook's first code cell)

    %%linux
    wild = run(Scenario(runtime="processes"))
    wild.summary()

On Linux the cell runs as if the first line were not there (its last expression is shown,
its errors are raised). On macOS or Windows it runs nothing and prints SKIPPED: the
processes runtime reads the kernel (lessons/runtime/processes.py says what it needs),
and a Run All there should read why, not a traceback per cell.
"""
import ast
import sys

MAGIC = "%%linux\n"   # a marked cell's first line
SKIPPED = ("This cell needs Linux: it runs the story as real processes, which the course "
           "watches through the Linux kernel (/proc, pipes resized with F_SETPIPE_SZ). "
           "This is {platform}, so the cell was skipped; run notebook 10 on Linux "
           "(a Linux JupyterHub, or WSL 2 on Windows).")


def body(source):
    """What a cell's source runs on Linux: itself, without its `%%linux` line if marked."""
    return source.removeprefix(MAGIC)


def run_on_linux(cell, namespace, platform=None):
    """Run `cell` in `namespace` and return its last expression's value (None if it ends
    in a statement); on a platform other than Linux, print SKIPPED and run nothing."""
    platform = platform or sys.platform
    if not platform.startswith("linux"):
        print(SKIPPED.format(platform=platform))
        return None
    tree = ast.parse(cell)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


def load_ipython_extension(ipython):
    def linux(line, cell):
        return run_on_linux(cell, ipython.user_ns)
    ipython.register_magic_function(linux, "cell", "linux")
