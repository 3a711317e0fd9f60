"""The ``autograd-tiny`` command line, the application layer on top of the engine, ``nn`` and ``viz``.

``main.py`` holds the parser and the error handling; each command is a module with
``register(subparsers)`` and ``run(args) -> int``: ``demo``, ``draw`` (with ``expression``,
the safe formula parser) and ``gradcheck`` (with ``selfcheck``, the suite it runs).
"""

from .main import main

__all__ = ["main"]
