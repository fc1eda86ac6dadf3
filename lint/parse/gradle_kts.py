"""Kotlin DSL (``*.gradle.kts``) → :mod:`pipl_lint.parse.gradle_ast`, via tree-sitter-kotlin.

tree-sitter gives a full concrete syntax tree; this module maps the handful of node kinds that matter
for Gradle scripts (``call_expression``, ``assignment``, ``property_declaration``, ``infix_expression``,
literals, ``navigation_expression``...) onto the tiny shared AST, and ignores the rest.

Syntax errors: every ``ERROR``/``MISSING`` node is reported as a :class:`ParseError`.  An ``ERROR``
node in statement position (tree-sitter could not make sense of a whole region) is salvaged by running
the Kotlin-tolerant Groovy-DSL parser over its text, so a broken file still yields partial facts.
"""

from __future__ import annotations

import time
from dataclasses import replace

import tree_sitter_kotlin
from tree_sitter import Language, Node, Parser, Tree

from pipl_lint.parse.gradle_ast import (
    Arg,
    Assign,
    Call,
    ListValue,
    ParseError,
    Ref,
    Script,
    Statement,
    Unknown,
    Value,
    collection_literal,
    compact,
)
from pipl_lint.parse.groovy import (
    FUNCTION_PREFIX,
    MAX_DEPTH,
    MAX_ERRORS,
    parse_groovy,
    parse_number,
    recursion_headroom,
)

__all__ = ["PARSE_BUDGET_SECONDS", "parse_kts"]

KOTLIN = Language(tree_sitter_kotlin.language())

PARSE_BUDGET_SECONDS = 0.5
_UNKNOWN_TEXT_LIMIT = 200
_LITERALS: dict[str, Value] = {"true": True, "false": False, "null": None}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "'": "'", '"': '"', "\\": "\\"}
_ASSIGN_OPS = {"+=": "plusAssign", "-=": "minusAssign", "*=": "timesAssign", "/=": "divAssign",
               "%=": "remAssign"}
# `id("x") version "1.0" apply false`: these infix/member calls are folded into the plugin request.
_PLUGIN_REQUESTS = frozenset({"id", "kotlin", "alias"})
_PLUGIN_MODIFIERS = frozenset({"version", "apply"})
_CONTROL_FLOW = frozenset(
    {"if_expression", "for_statement", "while_statement", "do_while_statement", "try_expression"}
)
_BODIES = frozenset({"block", "control_structure_body"})


def _unbacktick(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] == "`" else name


class _Converter:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.errors: list[ParseError] = []
        self.depth = 0
        self.too_deep_reported = False

    # -- helpers --------------------------------------------------------------------------------

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def position(self, node: Node) -> tuple[int, int]:
        row, byte_column = node.start_point
        line_start = node.start_byte - byte_column
        prefix = self.data[line_start : node.start_byte]
        column = byte_column if prefix.isascii() else len(prefix.decode("utf-8", errors="replace"))
        return row + 1, column + 1

    def unknown(self, node: Node) -> Unknown:
        return Unknown(compact(self.text(node))[:_UNKNOWN_TEXT_LIMIT])

    def enter(self, node: Node) -> bool:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            if not self.too_deep_reported:
                self.too_deep_reported = True
                message = f"nesting deeper than {MAX_DEPTH} levels"
                self.errors.append(ParseError(*self.position(node), message))
            return False
        return True

    def collect_syntax_errors(self, root: Node) -> None:
        if not root.has_error:
            return
        stack = [root]
        while stack and len(self.errors) < MAX_ERRORS:
            node = stack.pop()
            if node.is_missing:
                self.errors.append(ParseError(*self.position(node), f"missing {node.type!r}"))
            elif node.type == "ERROR":
                message = f"syntax error near {self.snippet(node)}"
                self.errors.append(ParseError(*self.position(node), message))
            elif node.has_error:
                stack.extend(reversed(node.children))

    def snippet(self, node: Node) -> str:
        text = " ".join(self.text(node).split())
        return repr(text[:40] + ("…" if len(text) > 40 else ""))

    # -- statements -------------------------------------------------------------------------------

    def statements(self, container: Node, counted: bool = False) -> list[Statement]:
        """Statements of a block; ``counted`` when the caller already entered a nesting level."""
        out: list[Statement] = []
        if not counted and not self.enter(container):
            self.depth -= 1
            return out
        for child in container.named_children:
            self.statement(child, out)
        if not counted:
            self.depth -= 1
        return out

    def statement(self, node: Node, out: list[Statement]) -> None:
        kind = node.type
        if kind == "call_expression" or kind == "infix_expression":
            value = self.value(node)
            if isinstance(value, Call):
                out.append(value)
        elif kind == "assignment":
            out.append(self.assignment(node))
        elif kind == "property_declaration":
            assign = self.property_declaration(node)
            if assign is not None:
                out.append(assign)
        elif kind == "identifier":
            out.append(Call(_unbacktick(self.text(node)), None, (), None, *self.position(node)))
        elif kind in _CONTROL_FLOW:
            if self.enter(node):  # `if (a) if (b) ...` nests without blocks
                self.control_flow(node, out)
            self.depth -= 1
        elif kind == "function_declaration":
            declared = self.function_declaration(node)
            if declared is not None:
                out.append(declared)
        elif kind == "ERROR":
            self.salvage(node, out)

    def function_declaration(self, node: Node) -> Call | None:
        """``fun DependencyHandlerScope.firebaseDeps(enabled: Boolean) { … }``: a call named `fun:` + its name, with
        its receiver type and its block body (see `groovy.FUNCTION_PREFIX`); None for an expression body."""
        name = next((c for c in node.children if c.type in ("identifier", "simple_identifier")), None)
        body = next((c for c in node.children if c.type == "function_body"), None)
        block = next((c for c in body.named_children if c.type == "block"), None) if body is not None else None
        if name is None or block is None:
            return None
        receiver = next((c for c in node.children if c.type == "user_type"), None)
        statements = tuple(self.statements(block))
        return Call(FUNCTION_PREFIX + _unbacktick(self.text(name)), self.text(receiver) if receiver else None, (),
                    statements, *self.position(node))

    def control_flow(self, node: Node, out: list[Statement]) -> None:
        """Splice the bodies of if/else, loops and try/catch/finally into ``out``."""
        in_condition = node.type in ("if_expression", "for_statement", "while_statement")
        for child in node.children:
            if in_condition:
                if child.type == ")":
                    in_condition = False
                continue
            if child.type in ("catch_block", "finally_block"):
                for grandchild in child.named_children:
                    if grandchild.type == "block":
                        out.extend(self.statements(grandchild))
            elif child.type in _BODIES:
                out.extend(self.statements(child))
            elif child.is_named:
                self.statement(child, out)

    def salvage(self, node: Node, out: list[Statement]) -> None:
        row, _ = node.start_point
        _, column = self.position(node)
        script = parse_groovy(self.text(node), line_offset=row, column_offset=column - 1)
        out.extend(script.statements)

    def assignment(self, node: Node) -> Statement:
        children = node.children
        target_node = children[0]
        operator = children[1].type if len(children) > 1 else "="
        value = self.value(children[-1]) if len(children) > 2 else None
        target = self.path(target_node) or compact(self.text(target_node))[:_UNKNOWN_TEXT_LIMIT]
        line, column = self.position(node)
        if operator in _ASSIGN_OPS:
            return Call(_ASSIGN_OPS[operator], target, (Arg(None, value),), None, line, column)
        return Assign(target, value, line, column)

    def property_declaration(self, node: Node) -> Assign | None:
        name: str | None = None
        value: Value = None
        seen_equals = False
        for child in node.children:
            kind = child.type
            if kind == "variable_declaration":
                ident = next((c for c in child.named_children if c.type == "identifier"), None)
                name = _unbacktick(self.text(ident)) if ident is not None else None
            elif kind == "=":
                seen_equals = True
            elif kind == "property_delegate":
                delegate = child.named_children
                value = self.value(delegate[-1]) if delegate else None
                seen_equals = True
            elif seen_equals and child.is_named and value is None:
                value = self.value(child)
        if name is None or not seen_equals:
            return None
        return Assign(name, value, *self.position(node))

    # -- values -----------------------------------------------------------------------------------

    def value(self, node: Node) -> Value:
        if not self.enter(node):
            self.depth -= 1
            return self.unknown(node)
        try:
            return self.convert(node)
        finally:
            self.depth -= 1

    def convert(self, node: Node) -> Value:
        kind = node.type
        if kind in ("string_literal", "multiline_string_literal"):
            return self.string(node)
        if kind == "number_literal":
            return parse_number(self.text(node))
        if kind == "float_literal":
            return parse_number(self.text(node))
        if kind == "identifier":
            text = self.text(node)
            if text in _LITERALS:
                return _LITERALS[text]
            return Ref(_unbacktick(text))
        if kind in ("navigation_expression", "index_expression"):
            return Ref(self.path(node) or compact(self.text(node))[:_UNKNOWN_TEXT_LIMIT])
        if kind == "call_expression":
            return self.call(node)
        if kind == "infix_expression":
            return self.infix(node)
        if kind in ("parenthesized_expression", "as_expression"):
            inner = node.named_children
            return self.value(inner[0]) if inner else self.unknown(node)
        if kind == "unary_expression":
            return self.unary(node)
        if kind == "binary_expression":
            return self.binary(node)
        if kind == "collection_literal":
            return ListValue(tuple(self.value(c) for c in node.named_children))
        return self.unknown(node)

    def string(self, node: Node) -> str:
        parts: list[str] = []
        for child in node.children:
            kind = child.type
            if kind == "string_content" or kind == "interpolation":
                parts.append(self.text(child))
            elif kind == "escape_sequence":
                parts.append(self.escape(self.text(child)))
        return "".join(parts)

    @staticmethod
    def escape(text: str) -> str:
        if text.startswith("\\u") and len(text) == 6:
            try:
                return chr(int(text[2:], 16))
            except ValueError:
                return text
        if text == "\\$":
            return text  # keep it visibly non-interpolated (same convention as the Groovy parser)
        return _ESCAPES.get(text[1:], text[1:])

    def unary(self, node: Node) -> Value:
        children = node.children
        if len(children) == 2 and children[0].type in ("-", "+"):
            operand = self.value(children[1])
            if isinstance(operand, int | float) and not isinstance(operand, bool):
                return -operand if children[0].type == "-" else operand
        return self.unknown(node)

    def binary(self, node: Node) -> Value:
        children = node.children
        if len(children) == 3 and children[1].type == "+":
            left, right = self.value(children[0]), self.value(children[2])
            if isinstance(left, str) and isinstance(right, str):
                return left + right
        return self.unknown(node)

    def path(self, node: Node) -> str | None:
        """``a.b.c`` / ``extra["x"]`` / ``rootProject.extra["x"]`` → dotted path; None otherwise."""
        names: list[str] = []
        current: Node | None = node
        while current is not None:
            kind = current.type
            if kind == "identifier":
                names.append(_unbacktick(self.text(current)))
                break
            if kind == "this_expression":
                names.append("this")
                break
            named = current.named_children
            if kind == "navigation_expression" and len(named) == 2 and named[1].type == "identifier":
                if current.children[1].type not in (".", "?."):
                    return None
                names.append(_unbacktick(self.text(named[1])))
                current = named[0]
            elif kind == "index_expression" and len(named) == 2 and named[1].type == "string_literal":
                names.append(self.string(named[1]))
                current = named[0]
            else:
                return None
        return ".".join(reversed(names))

    def callee(self, node: Node) -> tuple[str, str | None]:
        kind = node.type
        if kind == "identifier":
            return _unbacktick(self.text(node)), None
        if kind == "string_literal":
            return self.string(node), None
        if kind == "navigation_expression":
            named = node.named_children
            if len(named) == 2 and named[1].type == "identifier":
                receiver = compact(self.text(named[0]))[:_UNKNOWN_TEXT_LIMIT]
                return _unbacktick(self.text(named[1])), receiver
        return compact(self.text(node))[:_UNKNOWN_TEXT_LIMIT], None

    def call(self, node: Node) -> Value:
        callee: Node | None = None
        arguments: Node | None = None
        lambda_node: Node | None = None
        for child in node.children:
            kind = child.type
            if kind == "value_arguments":
                arguments = child
            elif kind == "annotated_lambda":
                lambda_node = child
            elif callee is None and child.is_named and kind != "type_arguments":
                callee = child
        if callee is None:
            return self.unknown(node)
        # `create("x") { }` is call(call(create, args), lambda): merge into one call.
        if callee.type == "call_expression" and arguments is None and lambda_node is not None:
            inner = self.call(callee)
            if isinstance(inner, Call) and inner.closure is None:
                return replace(inner, closure=self.closure(lambda_node))
            return self.unknown(node)
        name, receiver = self.callee(callee)
        args = self.arguments(arguments) if arguments is not None else ()
        if name in _PLUGIN_MODIFIERS and callee.type == "navigation_expression" and len(args) == 1:
            base = self.value(callee.named_children[0])
            if isinstance(base, Call) and base.name in _PLUGIN_REQUESTS and base.closure is None:
                return replace(base, args=(*base.args, Arg(name, args[0].value)))
        closure = self.closure(lambda_node) if lambda_node is not None else None
        if closure is None:
            literal = collection_literal(name, receiver, args)
            if literal is not None:
                return literal
        return Call(name, receiver, args, closure, *self.position(node))

    def arguments(self, node: Node) -> tuple[Arg, ...]:
        args: list[Arg] = []
        for child in node.named_children:
            if child.type != "value_argument":
                continue
            parts = child.children
            name = None
            if len(parts) >= 3 and parts[0].type == "identifier" and parts[1].type == "=":
                name = _unbacktick(self.text(parts[0]))
            named = [p for p in parts if p.is_named]
            if not named:
                continue
            value = self.value(named[-1])
            if any(p.type == "*" for p in parts):
                value = self.unknown(child)
            args.append(Arg(name, value))
        return tuple(args)

    def closure(self, node: Node) -> tuple[Statement, ...]:
        lambda_literal = next((c for c in node.named_children if c.type == "lambda_literal"), None)
        if lambda_literal is None:
            return ()
        return tuple(self.statements(lambda_literal, counted=True))  # value() counted the call

    def infix(self, node: Node) -> Value:
        named = node.named_children
        if len(named) != 3 or named[1].type != "identifier":
            return self.unknown(node)
        op = self.text(named[1])
        left = self.value(named[0])
        right = self.value(named[2])
        if op in _PLUGIN_MODIFIERS and isinstance(left, Call) and left.name in _PLUGIN_REQUESTS:
            return replace(left, args=(*left.args, Arg(op, right)))
        return Call(op, None, (Arg(None, left), Arg(None, right)), None, *self.position(node))


def _parse_tree(data: bytes) -> Tree | None:
    """tree-sitter parse with a time budget; None when it was cancelled.

    tree-sitter-kotlin's error recovery can go exponential on some inputs (a stray backtick in a block
    followed by a few dozen lines takes minutes), so parsing is cancelled after
    :data:`PARSE_BUDGET_SECONDS` (plus a second per megabyte).
    """
    deadline = time.monotonic() + PARSE_BUDGET_SECONDS + len(data) / 1_000_000
    # py-tree-sitter never releases what the read callback returns; hand out one bytearray and empty it
    # afterwards, so that the script's text is not kept for the life of the process.
    buffer = bytearray(data)

    def read(offset: int, _point: object) -> bytes | bytearray:
        return buffer if offset == 0 else bytes(buffer[offset:])

    def cancel(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    try:
        return Parser(KOTLIN).parse(read, progress_callback=cancel)
    except ValueError:  # "Parsing failed": cancelled
        return None
    finally:
        try:
            buffer.clear()
        except BufferError:
            pass


def parse_kts(text: str | bytes) -> Script:
    """Parse a Kotlin-DSL Gradle script; never raises.

    If tree-sitter runs out of its time budget the whole script is read by the Kotlin-tolerant Groovy-DSL
    parser instead, and an error says so.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    converter = _Converter(data)
    try:
        tree = _parse_tree(data)
        if tree is None:
            fallback = parse_groovy(data.decode("utf-8", errors="replace"))
            note = ParseError(1, 1, "the Kotlin parser gave up on this file (too many syntax errors); "
                                    "it was read with a tolerant fallback parser")
            return Script(fallback.statements, (note, *fallback.errors))
        root = tree.root_node
        converter.collect_syntax_errors(root)
        with recursion_headroom():
            statements = converter.statements(root)
    except Exception as exc:  # noqa: BLE001 - defensive: report instead of crashing the linter
        converter.errors.append(ParseError(1, 1, f"internal parser error: {exc!r}"))
        return Script((), tuple(converter.errors))
    return Script(tuple(statements), tuple(converter.errors))
