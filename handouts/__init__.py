"""The printable handout and the lecture's slides, built from the repository, offline:
`make handouts` (or `python -m handouts [FOLDER]`, default build/handouts/)."""
