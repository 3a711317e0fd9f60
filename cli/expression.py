"""Build a graph of Values from a formula such as ``"tanh(w*x + b)"``, safely.

The text is parsed with Python's ``ast`` and only a whitelist is accepted: numbers,
variable names, ``+ - * / **``, unary minus and plus, parentheses, and the calls
one-input operations of the rule table (``FUNCTIONS``: exp, log, sin, cos, sqrt, abs, tanh,
sigmoid, relu). It is never passed to ``eval`` or ``exec``; anything else
raises ``ExpressionError`` saying what is not allowed and where.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping

from autograd_tiny.rules import RULES
from autograd_tiny.value import Value

MAX_LENGTH = 2_000  # characters
MAX_NODES = 1_000  # syntax-tree nodes
# The one-input operations of the rule table that a Value applies as a method: exp(x), sin(x), relu(x), …
FUNCTIONS = tuple(rule.name for rule in RULES if callable(getattr(Value, rule.name, None)))
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}  # fmt: skip


class ExpressionError(ValueError):
    """The formula is not allowed or cannot be evaluated; the message says what and where."""


def variable_names(text: str) -> list[str]:
    """The variables a formula uses, in order of first appearance."""
    names = [node for node in ast.walk(_parse(text)) if isinstance(node, ast.Name) and node.id not in FUNCTIONS]
    ordered = sorted(names, key=lambda node: node.col_offset)
    return list(dict.fromkeys(node.id for node in ordered))


def build(text: str, variables: Mapping[str, Value]) -> Value:
    """The Value of the formula, with ``variables`` as its leaves."""
    tree = _parse(text)
    missing = [name for name in variable_names(text) if name not in variables]
    if missing:
        expected = ", ".join(variable_names(text))
        raise ExpressionError(
            f"undefined variable{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
            f"give each a value with --var NAME=VALUE (the formula uses: {expected})"
        )
    result = _Builder(variables).visit(tree.body)
    return result if isinstance(result, Value) else Value(result)


def _parse(text: str) -> ast.Expression:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the formula is {len(text):,} characters long; the limit is {MAX_LENGTH:,}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ExpressionError(f"syntax error at column {max(err.offset or 1, 1)}: {err.msg}") from None
    size = sum(1 for _ in ast.walk(tree))
    if size > MAX_NODES:
        raise ExpressionError(f"the formula has {size:,} parts; the limit is {MAX_NODES:,}")
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        _check_allowed(node)
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and id(node) not in called:
            raise ExpressionError(f"{node.id} is a function, not a variable {_where(node)}: call it as {node.id}(...)")
    return tree


def _where(node: ast.AST) -> str:
    return f"at column {node.col_offset + 1}" if hasattr(node, "col_offset") else ""


def _check_allowed(node: ast.AST) -> None:
    if isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
        return  # checked with the expression that holds it, which knows the position
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Call, ast.Constant)
    if not isinstance(node, allowed):
        raise ExpressionError(f"{_describe(node)} is not allowed {_where(node)}: use numbers, variables, "
                              f"+ - * / **, parentheses and {', '.join(FUNCTIONS)}()")  # fmt: skip
    if isinstance(node, ast.BinOp) and type(node.op) not in _BINARY:
        raise ExpressionError(f"the operator {_describe(node.op)} is not allowed {_where(node)}: use + - * / **")
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.UAdd | ast.USub):
        raise ExpressionError(f"the operator {_describe(node.op)} is not allowed {_where(node)}: use - or +")
    if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float)):
        raise ExpressionError(f"the constant {node.value!r} is not allowed {_where(node)}: only numbers")
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            called = name or _describe(node.func)
            raise ExpressionError(f"calling {called} is not allowed {_where(node)}: only {', '.join(FUNCTIONS)}")
        if len(node.args) != 1 or node.keywords:
            raise ExpressionError(f"{name}() takes exactly one argument {_where(node)}")
    if isinstance(node, ast.Name) and node.id.startswith("__"):
        raise ExpressionError(f"the name {node.id} is not allowed {_where(node)}")


def _describe(node: ast.AST) -> str:
    names = {ast.Attribute: "attribute access", ast.Subscript: "subscripting", ast.Lambda: "a lambda",
             ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.IfExp: "if/else", ast.List: "a list",
             ast.Tuple: "a tuple", ast.Dict: "a dict", ast.JoinedStr: "an f-string", ast.FloorDiv: "//",
             ast.Mod: "%", ast.MatMult: "@", ast.Not: "not", ast.Invert: "~", ast.NamedExpr: ":="}  # fmt: skip
    if isinstance(node, ast.Attribute):
        return f"attribute access (.{node.attr})"
    for kind, name in names.items():
        if isinstance(node, kind):
            return name
    return type(node).__name__


class _Builder(ast.NodeVisitor):
    def __init__(self, variables: Mapping[str, Value]) -> None:
        self.variables = variables

    def visit_Constant(self, node: ast.Constant) -> float:
        return float(node.value)

    def visit_Name(self, node: ast.Name) -> Value:
        return self.variables[node.id]

    def visit_UnaryOp(self, node: ast.UnaryOp):
        operand = self.visit(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand

    def visit_BinOp(self, node: ast.BinOp):
        left, right = self.visit(node.left), self.visit(node.right)
        if not isinstance(left, Value) and not isinstance(right, Value):
            left = Value(left)  # keep constant sub-expressions in the graph, IEEE included
        return _BINARY[type(node.op)](left, right)

    def visit_Call(self, node: ast.Call) -> Value:
        argument = self.visit(node.args[0])
        argument = argument if isinstance(argument, Value) else Value(argument)
        return getattr(argument, node.func.id)()
