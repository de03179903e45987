"""A learner's first step on the hub, run as the learner before each start of their server
(jupyterhub_config.py pipes this file to the shared environment's Python):

    python - EDITION FOLDER

Copies the learner's edition to ~/FOLDER unless that exists (a learner's work is never
overwritten, nor merged with a newer edition), and checks that the learner can write their
temporary folder, where the course's runs keep their files. What goes wrong is said in one
sentence on stderr, with exit status 1: the hub shows it to the learner.
"""
import os
import shutil
import sys
import tempfile


def give_the_edition(edition, folder):
    target = os.path.join(os.path.expanduser("~"), folder)
    if not os.path.lexists(target):
        shutil.copytree(edition, target)


def check_the_temporary_folder():
    try:
        with tempfile.TemporaryDirectory(prefix="deadlock-check-"):
            pass
    except OSError:
        where = os.environ.get("TMPDIR") or "/tmp"
        sys.exit(f"You cannot write to your temporary folder ({where}), where the course's "
                 f"runs keep their files: ask your teacher to make it writable for you, "
                 f"or to set TMPDIR to a folder you can write.")


if __name__ == "__main__":
    give_the_edition(*sys.argv[1:3])
    check_the_temporary_folder()
