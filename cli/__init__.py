"""The ``autograd-tiny`` command line, the application layer on top of the engine, ``nn`` and ``viz``.

``main.py`` holds the parser and the error handling; each command is a module with
``register(subparsers)`` and ``run(args) -> int``: ``demo``, ``draw`` (with ``expression``,
the safe formula parser), ``check_backprop`` and ``selfcheck`` (the ``gradcheck`` command and the
suite it runs). The folder sits at the top of the repository, beside ``nn/`` and ``viz/``: it is a
layer on top of them, installed as ``autograd_tiny.cli``.
"""

from .main import main

__all__ = ["main"]
