"""Kotlin → FileSummary (tree-sitter-kotlin).

Known grammar quirks handled here: `!x.f()` parses as `(!x).f()` (the negation is lifted back to the
whole expression), and a call with a trailing lambda is a call_expression wrapping the inner call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tree_sitter import Node

from pipl_lint.model.extract_base import (
    CLOCK_EVERY,
    EXIT_CALLS,
    FACTORY_NAMES,
    KNOWN_GETTERS,
    MAX_DEPTH,
    SERVICE_TYPES,
    CallContext,
    Collector,
    Extractor,
    is_type_name,
    strip_type,
)
from pipl_lint.model.summary import Arg, Atom, Constant, Deferred, Guard, Import, setter_of

STATEMENT_HOLDERS = frozenset({"block", "lambda_literal", "source_file", "statements", "class_body",
                               "control_structure_body", "when_entry", "anonymous_function"})
TYPE_NODES = frozenset({"user_type", "nullable_type", "function_type", "parenthesized_type"})
# A local initialised with one of these is one plain read whose value a condition on the local tests.
PLAIN_READS = frozenset({"call_expression", "navigation_expression", "identifier"})
# Expressions that may choose an argument's value by a condition (`Arg.choice`).
CHOICES = frozenset({"unary_expression", "if_expression", "parenthesized_expression"})
# Dependency injection: calls that hand out an instance of their type argument (or of the declared type of the
# property they initialise or delegate), annotations that make the container build things.
DI_REQUESTS = frozenset({"koinInject", "inject", "get", "getOrNull", "injectOrNull", "koinViewModel", "viewModel",
                         "activityViewModel", "sharedViewModel", "hiltViewModel", "viewModels", "activityViewModels",
                         "getViewModel", "injectLazy"})
DI_RECEIVERS = frozenset({"getKoin()", "koin", "KoinJavaComponent", "GlobalContext.get()", "KoinPlatform.getKoin()"})
# Iterating a collection of injected things (`initializers.forEach { it.init(this) }`): `it` is its element.
DI_COLLECTIONS = frozenset({"Set", "List", "Collection", "Iterable", "Map", "MutableSet", "MutableList",
                            "MutableMap", "Array"})
DI_DEFERRED = frozenset({"Lazy", "Provider"})
DI_CLASS_ANNOTATIONS = frozenset({"Single", "Factory", "KoinViewModel", "Scoped"})
# A scope function's receiver that is a property of the class (`with(notificationManager) { … }`): its type is the
# property's declared type, known only once the class's fields are (`ExtractorBase.finish` resolves `ident`).
FIELD_SCOPE = "\x00field:"


def scope_receiver(scope: str, ident: str | None) -> tuple[str | None, str | None]:
    """(rtype, ident) of a call or read on the implicit receiver `scope` (a type, or `FIELD_SCOPE` + a name)."""
    if scope.startswith(FIELD_SCOPE):
        return None, ident or scope[len(FIELD_SCOPE):]
    return scope, ident


DI_PROVIDER_ANNOTATIONS = frozenset({"Provides", "Binds", "Single", "Factory", "KoinViewModel", "Scoped"})
# Scope functions whose lambda parameter (`it` or named) is the receiver's value.
BINDING_SCOPES = frozenset({"let", "also"})
ITERATING = frozenset({"forEach", "onEach", "forEachIndexed", "map", "mapNotNull", "filter", "all", "any"})
EQUALITY_OPS = frozenset({"==", "!=", "===", "!=="})
COMMENTS = frozenset({"line_comment", "block_comment", "multiline_comment"})


def _children(node: Node) -> list[Node]:
    return node.children


def _first(node: Node, *types: str) -> Node | None:
    for c in node.children:
        if c.type in types:
            return c
    return None


def _swallowed_lambda(expr: Node) -> Node | None:
    """The lambda_literal of `make() { ... }` (a call_expression wrapping a call and one trailing lambda)."""
    kids = expr.children
    if expr.type != "call_expression" or len(kids) != 2 or kids[0].type != "call_expression" \
            or kids[1].type != "annotated_lambda":
        return None
    return _first(kids[1], "lambda_literal")


def _closers(kids: list[Node]) -> dict[int, int]:
    """Index of each loose `(` → index of its `)` among the same children (unclosed: their number)."""
    out: dict[int, int] = {}
    stack: list[int] = []
    for k, c in enumerate(kids):
        if c.type == "(":
            stack.append(k)
        elif c.type == ")" and stack:
            out[stack.pop()] = k
    for k in stack:
        out[k] = len(kids)
    return out


def _loose_call_at(kids: list[Node], i: int) -> bool:
    """`name (` or `recv.name (` among an ERROR node's children (the `(` possibly starting a nested ERROR)."""
    if kids[i].type not in ("identifier", "navigation_expression") or i + 1 >= len(kids):
        return False
    if i > 0 and kids[i - 1].type in ("fun", "class", "object", "interface", "@"):
        return False  # a declaration or an annotation
    nxt = kids[i + 1]
    return nxt.type == "(" or (nxt.type == "ERROR" and nxt.child_count > 0 and nxt.children[0].type == "(")


def _members(body: Node) -> list[Node]:
    """Children of a class body, or of a lambda standing in for one (members may sit in `statements`)."""
    out: list[Node] = []
    for c in body.children:
        out += c.children if c.type == "statements" else [c]
    return out


def unwrap_not(node: Node) -> tuple[Node, bool]:
    """Peel `!`: returns the node without a leading negation and whether one was removed."""
    negated = False
    while True:
        if node.type == "unary_expression" and node.child_count == 2 and node.children[0].type == "!":
            node = node.children[1]
            negated = not negated
        elif node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        else:
            return node, negated


def leftmost_not(node: Node) -> bool:
    """True for `!a.b()` style trees where the grammar attached `!` to the leftmost operand."""
    while node.type in ("call_expression", "navigation_expression") and node.child_count:
        node = node.children[0]
        if node.type == "unary_expression" and node.child_count == 2 and node.children[0].type == "!":
            return True
    return False


class KotlinExtractor(Extractor):
    language = "kotlin"

    def run(self, root: Node) -> None:
        stem = self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        facade_name = (stem[:1].upper() + stem[1:] + "Kt") if stem else "Kt"
        pkg = _first(root, "package_header")
        if pkg is not None:
            ident = _first(pkg, "qualified_identifier", "identifier")
            self.package = self.text(ident, 500)
        self.facade = f"{self.package}.{facade_name}" if self.package else facade_name
        if root.type == "ERROR":  # the whole file failed to parse: recover what can be
            self.v_error(root, 0)
        else:
            self.visit_statements(root, 0)

    # --- dispatch ------------------------------------------------------------------------------------
    def visit(self, node: Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.too_deep = True
            return
        self.visits += 1  # `out_of_time`, inlined: this runs for every node
        if self.timed_out or (not self.visits % CLOCK_EVERY and self.clock_ran_out()):
            return
        t = node.type
        handler = _HANDLERS.get(t)
        if handler is not None:
            handler(self, node, depth)
            return
        if node.named_child_count:
            if t in STATEMENT_HOLDERS:
                self.visit_statements(node, depth)
            else:
                for c in node.named_children:
                    self.visit(c, depth + 1)

    def visit_statements(self, node: Node, depth: int) -> None:
        """Walk statements in order; `if (cond) return` guards the statements after it."""
        pushed = 0
        for c in node.named_children:
            self.visit(c, depth + 1)
            if c.type == "if_expression":
                guard = self.early_return_guard(c)
                if guard is not None:
                    self.guards.append(guard)
                    pushed += 1
            elif c.type == "property_declaration":
                guard = self.elvis_return_guard(c)
                if guard is not None:
                    self.guards.append(guard)
                    pushed += 1
        if pushed:
            del self.guards[len(self.guards) - pushed :]

    # --- declarations --------------------------------------------------------------------------------
    def v_import(self, node: Node, depth: int) -> None:
        path = self.text(_first(node, "qualified_identifier", "identifier"), 500)
        alias = None
        saw_as = False
        wildcard = False
        for c in node.children:
            if c.type == "as":
                saw_as = True
            elif saw_as and c.type == "identifier":
                alias = self.text(c)
            elif c.type == "*":
                wildcard = True
        if path:
            self.imports.append(Import(path, alias, False, wildcard))

    def modifiers(self, node: Node) -> tuple[str, ...]:
        mods = _first(node, "modifiers")
        out: list[str] = []
        if mods is None:
            return ()
        for m in mods.children:
            if m.type == "annotation":
                self.annotation(m, node)
            else:
                out.append(self.text(m))
        return tuple(out)

    def annotation(self, ann: Node, target: Node) -> None:
        text = self.text(ann, 300)
        if "Suppress" in text:
            self.suppressions.append((target.start_point[0] + 1, target.end_point[0] + 1, text))

    def supertypes(self, node: Node) -> list[str]:
        return self.supertypes_of(_first(node, "delegation_specifiers"))

    def supertypes_of(self, spec: Node | None) -> list[str]:
        out: list[str] = []
        if spec is None:
            return out
        for d in spec.children:
            if d.type != "delegation_specifier":
                continue
            ty = _first(d, "user_type")
            if ty is None:
                inv = _first(d, "constructor_invocation", "explicit_delegation")
                ty = _first(inv, "user_type") if inv is not None else None
            if ty is not None:
                out.append(strip_type(self.text(ty)))
        return out

    def v_class(self, node: Node, depth: int) -> None:
        name_node = node.child_by_field_name("name") or _first(node, "identifier")
        name = self.text(name_node) or "<anonymous>"
        mods = self.modifiers(node)
        kind = "class"
        tokens = {c.type for c in node.children}
        if "interface" in tokens:
            kind = "interface"
        elif "enum" in mods or _first(node, "enum_class_body") is not None:
            kind = "enum"
        elif "annotation" in mods:
            kind = "annotation"
        cb = self.push_class(name, kind, self.supertypes(node), node, mods)
        ctor = _first(node, "primary_constructor")
        if ctor is not None:
            params = _first(ctor, "class_parameters")
            for p in params.children if params is not None else ():
                if p.type != "class_parameter":
                    continue
                pname = self.text(_first(p, "identifier"))
                ptype = _first(p, *TYPE_NODES)
                if pname and ptype is not None:
                    cb.fields[pname] = strip_type(self.text(ptype))
        self.visit_construction(node, depth, "<init>")
        self.di_constructor(node, ctor)
        self.visit_class_body(node, depth)
        self.pop_class()

    def visit_construction(self, node: Node, depth: int, pseudo: str) -> None:
        """Primary-constructor default values, superclass constructor arguments (`: Base(x())`) and delegate
        expressions (`: I by make()`) run when an instance (or the object) is created."""
        parts: list[Node] = []
        ctor = _first(node, "primary_constructor")
        params = _first(ctor, "class_parameters") if ctor is not None else None
        for p in params.children if params is not None else ():
            if p.type == "class_parameter":
                parts += self.default_values(p)
        spec = _first(node, "delegation_specifiers")
        for d in spec.children if spec is not None else ():
            inv = _first(d, "constructor_invocation")
            args = _first(inv, "value_arguments") if inv is not None else None
            if args is not None:
                parts.append(args)
            deleg = _first(d, "explicit_delegation")
            expr = deleg.named_children[-1] if deleg is not None and deleg.named_child_count > 1 else None
            if expr is not None:
                parts.append(expr.children[0] if _swallowed_lambda(expr) is not None else expr)
        if not parts:
            return
        idx = self.function_index(pseudo, node, merge=True)
        saved = self.enter_function(idx)
        for part in parts:
            self.visit(part, depth + 1)
        self.leave_function(saved)

    @staticmethod
    def default_values(params: Node) -> list[Node]:
        """The expressions after `=` among a parameter list's (or a class parameter's) children."""
        out: list[Node] = []
        seen_eq = False
        for c in params.children:
            if c.type == "=":
                seen_eq = True
            elif seen_eq and c.is_named:
                out.append(c)
                seen_eq = False
            elif c.type == "parameter_with_default":
                out.append(c)
        return out

    def v_object(self, node: Node, depth: int) -> None:
        name = self.text(node.child_by_field_name("name") or _first(node, "identifier")) or "<object>"
        self.push_class(name, "object", self.supertypes(node), node, self.modifiers(node))
        self.visit_construction(node, depth, "<clinit>")
        self.visit_class_body(node, depth)
        self.pop_class()

    def v_companion(self, node: Node, depth: int) -> None:
        name = self.text(_first(node, "identifier")) or "Companion"
        self.push_class(name, "companion", self.supertypes(node), node, self.modifiers(node))
        self.visit_construction(node, depth, "<clinit>")
        self.visit_class_body(node, depth)
        self.pop_class()

    def visit_class_body(self, node: Node, depth: int) -> None:
        body = _first(node, "class_body", "enum_class_body") or self.swallowed_body(node)
        if body is None:
            return
        for c in _members(body):
            if c.type == "enum_entry":
                idx = self.function_index("<clinit>", c, merge=True)
                saved = self.enter_function(idx)
                self.visit(c, depth + 1)
                self.leave_function(saved)
            else:
                self.visit(c, depth + 1)

    # --- recovery inside ERROR nodes -----------------------------------------------------------------
    def v_error(self, node: Node, depth: int) -> None:
        """tree-sitter's error recovery can leave a declaration as loose tokens in an ERROR node
        (`class`, name, constructor, `:`, supertypes, `{`, members ...). Re-declare such classes, objects and
        functions so that the members and calls that follow belong to them, up to the matching `}` or the
        end of the node; everything else is walked as usual."""
        kids = node.children
        # per `{`: (kind, saved state, indentation of its line); kind is "class", "function" or "block"
        opened: list[tuple[str, object, int]] = []
        closers = _closers(kids)
        i = 0
        while i < len(kids):
            t = kids[i].type
            after_colons = i > 0 and kids[i - 1].type == "::"  # `X::class`
            if t in ("class", "interface", "object") and not after_colons:
                i = self.error_class(kids, i, opened)
            elif t == "fun":
                i = self.error_function(kids, i, opened, depth)
            elif _loose_call_at(kids, i):
                if kids[i + 1].type == "(":
                    i = self.error_call(kids, i, depth, closers)
                else:  # `name` then an ERROR holding `(args...`: the call, its arguments walked as they are
                    name, receiver, rtype, static, ident = self.loose_callee(kids, i, depth)
                    self.collect_call(f"{receiver}.{name}" if receiver else name)
                    self.add_site("call", name, receiver, rtype, static, ident, [], kids[i])
                    i += 1
            elif t == "{":
                opened.append(("block", None, self.indent(kids[i])))
                i += 1
            elif t == "}":
                if opened:
                    self.close_recovered(opened.pop())
                i += 1
            else:
                if kids[i].is_named:
                    self.visit(kids[i], depth + 1)
                i += 1
        while opened:
            self.close_recovered(opened.pop())

    def end_open_declarations(self, header: Node, opened: list[tuple[str, object, int]]) -> None:
        """A declaration indented no deeper than open ones ends them (their `}` was lost to the error)."""
        indent = self.indent(header)
        while opened and opened[-1][2] >= indent:
            self.close_recovered(opened.pop())

    def indent(self, node: Node) -> int:
        """Leading blanks of the line where `node` starts."""
        start = node.start_byte - node.start_point[1]
        line = self.src[start : node.start_byte]
        return len(line) - len(line.lstrip(b" \t"))

    def close_recovered(self, entry: tuple[str, object, int]) -> None:
        kind, saved, _indent = entry
        if kind == "class":
            self.pop_class()
        elif kind == "function":
            self.leave_function(saved)  # type: ignore[arg-type]

    def error_class(self, kids: list[Node], i: int, opened: list[tuple[str, object, int]]) -> int:
        """`class Name<T>(params) : Super(), I {` as loose tokens from kids[i]: declare the class (members up
        to the matching `}` belong to it); return the index after the header."""
        j = i + 1
        name = ""
        if j < len(kids) and kids[j].type == "identifier":
            name = self.text(kids[j])
            j += 1
        elif kids[i].type == "object" and i > 0 and kids[i - 1].type == "companion":
            name = "Companion"
        if not name:
            return i + 1
        self.end_open_declarations(kids[i], opened)
        ctor = spec = None
        while j < len(kids) and kids[j].type in ("type_parameters", "primary_constructor", ":",
                                                  "delegation_specifiers", "type_constraints"):
            ctor = kids[j] if kids[j].type == "primary_constructor" else ctor
            spec = kids[j] if kids[j].type == "delegation_specifiers" else spec
            j += 1
        kind = "companion" if name == "Companion" else {"interface": "interface", "object": "object"}.get(
            kids[i].type, "class")
        cb = self.push_class(name, kind, self.supertypes_of(spec), kids[i])
        params = _first(ctor, "class_parameters") if ctor is not None else None
        for p in params.children if params is not None else ():
            ptype = _first(p, *TYPE_NODES) if p.type == "class_parameter" else None
            if ptype is not None:
                cb.fields[self.text(_first(p, "identifier"))] = strip_type(self.text(ptype))
        if j < len(kids) and kids[j].type == "{":
            opened.append(("class", None, self.indent(kids[i])))
            return j + 1
        self.pop_class()  # a class without a body
        return j

    def error_function(self, kids: list[Node], i: int, opened: list[tuple[str, object, int]], depth: int) -> int:
        """`fun <T> Receiver.name(params): Type {` (or `= expr`) as loose tokens: the statements up to the
        matching `}` (or the expression) belong to the function; return the index after what was consumed."""
        j = i + 1
        extension = None
        while j < len(kids) and kids[j].type in ("type_parameters", "user_type", "nullable_type", "."):
            if kids[j].type != "." and kids[j].type != "type_parameters":
                extension = strip_type(self.text(kids[j]))
            j += 1
        if j + 1 >= len(kids) or kids[j].type != "identifier" or kids[j + 1].type != "function_value_parameters":
            return i + 1
        self.end_open_declarations(kids[i], opened)
        in_class = bool(opened) and opened[-1][0] == "class"
        if self.current >= 0 and not in_class:
            return i + 1  # a local function: its body is walked inline like any block
        params_node = kids[j + 1]
        params, types = self.parameters(params_node)
        mods = tuple(self.text(m) for m in kids[i - 1].children if m.type != "annotation") \
            if i > 0 and kids[i - 1].type == "modifiers" else ()
        idx = self.function_index(self.text(kids[j]), kids[i], params, types, extension, mods)
        saved = self.enter_function(idx)
        for value in self.default_values(params_node):
            self.visit(value, depth + 1)
        j += 2
        while j < len(kids) and kids[j].type in (":", *TYPE_NODES, "type_constraints"):
            j += 1
        if j < len(kids) and kids[j].type == "{":
            opened.append(("function", saved, self.indent(kids[i])))
            return j + 1
        if j + 1 < len(kids) and kids[j].type == "=":
            self.visit(kids[j + 1], depth + 1)
            j += 2
        self.leave_function(saved)
        return j

    @staticmethod
    def swallowed_body(node: Node) -> Node | None:
        """tree-sitter-kotlin sometimes reads `class A : I by make() { members }` as a call of `make` with a
        trailing lambda: the lambda is the class body."""
        spec = _first(node, "delegation_specifiers")
        last = spec.named_children[-1] if spec is not None and spec.named_child_count else None
        deleg = _first(last, "explicit_delegation") if last is not None else None
        expr = deleg.named_children[-1] if deleg is not None and deleg.named_child_count > 1 else None
        return _swallowed_lambda(expr) if expr is not None else None

    def v_function(self, node: Node, depth: int) -> None:
        if self.current >= 0 and not self.class_body_parent(node):
            # A local function: its body runs where it is called; walk it inline (over-approximation).
            self.visit_children_of_body(node, depth)
            return
        mods = self.modifiers(node) + tuple(sorted(f"@{a}" for a in self.annotation_names(node)))
        name = self.text(node.child_by_field_name("name") or _first(node, "identifier"))
        params, types = self.parameters(_first(node, "function_value_parameters"))
        extension = None
        for c in node.children:
            if c.type == "identifier":
                break
            if c.type in TYPE_NODES:
                extension = strip_type(self.text(c))
        idx = self.function_index(name, node, params, types, extension, mods)
        saved = self.enter_function(idx)
        self.di_provider(node)
        self.visit_children_of_body(node, depth)
        self.leave_function(saved)

    def visit_children_of_body(self, node: Node, depth: int) -> None:
        for c in node.children:
            if c.type in ("function_body", "block"):
                self.visit(c, depth + 1)
            elif c.type == "function_value_parameters":
                for value in self.default_values(c):  # run in the callee when the argument is left out
                    self.visit(value, depth + 1)

    def class_body_parent(self, node: Node) -> bool:
        p = node.parent
        return p is not None and p.type in ("class_body", "enum_class_body")

    def parameters(self, node: Node | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names: list[str] = []
        types: list[str] = []
        if node is None:
            return (), ()
        for p in node.children:
            if p.type != "parameter":
                continue
            names.append(self.text(_first(p, "identifier")))
            ty = _first(p, *TYPE_NODES)
            if ty is not None and ty.type == "function_type":  # `(Boolean) -> Unit`: a callback
                types.append("Function")
            else:
                types.append(strip_type(self.text(ty)) if ty is not None else "")
        return tuple(names), tuple(types)

    def lazy_type(self, delegate: Node) -> str | None:
        """`by lazy { PermissionFragment() }`: the type of the lambda's last expression, when it is known."""
        call = next((c for c in delegate.children if c.type == "call_expression"), None)
        if call is None or call.child_count != 2 or self.text(call.children[0]) != "lazy":
            return None
        lam = call.children[1]
        body = _first(lam, "lambda_literal") if lam.type == "annotated_lambda" else None
        last = next((c for c in reversed(body.children) if c.is_named), None) if body is not None else None
        if last is not None and last.type == "statements":
            last = next((c for c in reversed(last.children) if c.is_named), None)
        return self.guess_type(last) if last is not None else None

    def v_secondary_ctor(self, node: Node, depth: int) -> None:
        idx = self.function_index("<init>", node, merge=True)
        saved = self.enter_function(idx)
        params_node = _first(node, "function_value_parameters")
        params, types = self.parameters(params_node)
        for n, t in zip(params, types, strict=False):
            self.declare_local(n, t)
        for value in self.default_values(params_node) if params_node is not None else ():
            self.visit(value, depth + 1)
        for c in node.children:
            if c.type in ("block", "constructor_delegation_call"):
                self.visit(c, depth + 1)
        self.leave_function(saved)

    def v_initializer(self, node: Node, depth: int) -> None:
        idx = self.function_index("<init>", node, merge=True)
        saved = self.enter_function(idx)
        for c in node.children:
            self.visit(c, depth + 1)
        self.leave_function(saved)

    def v_property(self, node: Node, depth: int) -> None:
        var = getter = setter = delegate = value = None
        seen_eq = False
        for c in node.children:  # the first child of each kind, and the first named one after `=`: one pass
            t = c.type
            if t == "variable_declaration" or t == "multi_variable_declaration":
                var = c if var is None else var
            elif t == "getter":
                getter = c if getter is None else getter
            elif t == "setter":
                setter = c if setter is None else setter
            elif t == "property_delegate":
                delegate = c if delegate is None else delegate
            if value is None:
                if t == "=":
                    seen_eq = True
                elif seen_eq and c.is_named:
                    value = c
        ident = declared = None
        for c in var.children if var is not None else ():
            t = c.type
            if t == "identifier":
                ident = c if ident is None else ident
            elif t in TYPE_NODES:
                declared = c if declared is None else declared
        name = self.text(ident) if var is not None else ""
        type_text = strip_type(self.text(declared)) if declared is not None else None
        if type_text is None and value is not None:
            type_text = self.guess_type(value)
        if type_text is None and delegate is not None:
            type_text = self.lazy_type(delegate)
        parent = node.parent if self.current >= 0 else None
        if parent is not None and parent.type not in ("class_body", "enum_class_body", "source_file"):
            # A local variable.
            if name:
                self.declare_local(name, type_text)
                self.add_local_name(name, node.start_point[0] + 1)
                self.remember_local_value(name, value, PLAIN_READS, self.gather)
                self.remember_element_type(name, declared)
                if value is not None:
                    self.record_constant(f"{self.functions[self.current].owner}#"
                                         f"{self.functions[self.current].name}", name, value)
            for c in node.children:
                if c.type not in ("variable_declaration", "modifiers"):
                    self.visit(c, depth + 1)
            return
        # A class member or top-level property.
        self.modifiers(node)
        if value is not None and getter is None and delegate is None:  # not computed, abstract or delegated
            self.add_bool(name, type_text, value, node.start_point[0] + 1)
        if self.class_stack and name and type_text:
            self.class_stack[-1].fields[name] = type_text
        self.di_field(node, name, declared)
        if value is not None and name:
            self.record_constant(self.owner, name, value)
        if getter is not None or delegate is not None:
            receiver = next((c for c in node.children if c.type in TYPE_NODES and c.next_sibling is not None
                             and c.next_sibling.type == "."), None)  # `val Context.androidId get() = …`
            extension = strip_type(self.text(receiver)) if receiver is not None else None
            idx = self.function_index(f"get:{name}", node, extension=extension)
            saved = self.enter_function(idx)
            for c in (getter, delegate):
                if c is not None:
                    self.visit(c, depth + 1)
            self.leave_function(saved)
            rest = [c for c in node.children if c not in (getter, delegate)]
        else:
            rest = list(node.children)
        if setter is not None:  # runs on assignment
            idx = self.function_index(f"set:{name}", setter)
            saved = self.enter_function(idx)
            self.visit(setter, depth + 1)
            self.leave_function(saved)
        if value is not None and value in rest:
            pseudo = "<clinit>" if not self.class_stack or self.class_stack[-1].kind in ("object", "companion") \
                else "<init>"
            idx = self.function_index(pseudo, node, merge=True)
            saved = self.enter_function(idx)
            self.visit(value, depth + 1)
            self.leave_function(saved)

    def record_constant(self, owner: str, name: str, value: Node) -> None:
        strings: list[str] = []
        refs: list[str] = []
        self.constant_values(value, strings, refs, 0)
        values = tuple(strings + refs)
        if values and (value.type in ("string_literal", "navigation_expression", "identifier")
                       or value.type == "call_expression"):
            self.constants.append(Constant(owner, name, values, value.start_point[0] + 1))

    def constant_values(self, node: Node, strings: list[str], refs: list[str], depth: int) -> None:
        if depth > 6 or len(strings) + len(refs) > 40:
            return
        t = node.type
        if t == "string_literal":
            if _first(node, "interpolation") is None:
                strings.append(self.string_value(node))
        elif t == "navigation_expression" or t == "identifier":
            refs.append(self.text(node))
        elif t == "call_expression":
            callee = node.children[0] if node.child_count else None
            if callee is not None and self.text(callee) in ("arrayOf", "listOf", "setOf", "mutableListOf",
                                                             "arrayListOf", "mutableSetOf"):
                args = _first(node, "value_arguments")
                for a in args.children if args is not None else ():
                    if a.type == "value_argument":
                        for v in a.children:
                            self.constant_values(v, strings, refs, depth + 1)

    # --- expressions ---------------------------------------------------------------------------------
    def string_value(self, node: Node) -> str:
        raw = self.raw_text
        return "".join([raw(c) for c in node.children if c.type == "string_content"])

    def v_string(self, node: Node, depth: int) -> None:
        self.add_string(self.string_value(node), node)
        for c in node.children:
            if c.type == "interpolation":
                self.visit(c, depth + 1)

    def v_comment(self, node: Node, depth: int) -> None:
        text = self.text(node, 400)
        if "pipl-lint:" in text:  # only suppression directives matter to the analysis
            line = node.start_point[0] + 1
            self.suppressions.append((line, node.end_point[0] + 1, text))

    def guess_type(self, node: Node) -> str | None:
        node, _ = unwrap_not(node)
        t = node.type
        if t == "as_expression":
            ty = node.child_by_field_name("right") or _first(node, *TYPE_NODES)
            return strip_type(self.text(ty)) if ty is not None else None
        if t == "identifier":
            return self.local_type(self.text(node))
        if t == "navigation_expression":
            name = self.text(node.children[-1])
            return KNOWN_GETTERS.get(name)
        if t == "call_expression":
            callee, args, _lambdas = self.call_parts(node)
            if callee is None:
                return None
            callee, _ = unwrap_not(callee)
            if callee.type == "identifier":
                name = self.text(callee)
                if name == "getSystemService":
                    return self.service_type(node, args)
                if name in ("checkNotNull", "requireNotNull") and args is not None:  # the checked value's type
                    value = next((a for a in args.children if a.type == "value_argument"), None)
                    return self.guess_type(value.named_children[-1]) if value and value.named_children else None
                if name[:1].isupper():
                    return name
                return KNOWN_GETTERS.get(name)
            if callee.type == "navigation_expression" and callee.child_count >= 2:
                name = self.text(callee.children[-1])
                recv = callee.children[0]
                if name == "getSystemService":
                    return self.service_type(node, args)
                if name in FACTORY_NAMES and recv.type in ("identifier", "navigation_expression"):
                    rt = self.text(recv)
                    if is_type_name(rt):
                        return rt
                if name in ("apply", "also"):
                    return self.guess_type(recv)
                return KNOWN_GETTERS.get(name)
        return None

    def service_type(self, call: Node, args: Node | None) -> str | None:
        targs = _first(call, "type_arguments")
        if targs is not None:
            return strip_type(self.text(targs).strip("<>"))
        if args is None:
            return None
        for a in args.children:
            if a.type != "value_argument":
                continue
            txt = self.text(a)
            if "::class" in txt:
                return strip_type(txt.split("::class")[0].split(".")[-1])
            const = txt.rsplit(".", 1)[-1]
            if const in SERVICE_TYPES:
                return SERVICE_TYPES[const]
        return None

    def type_argument_refs(self, node: Node) -> None:
        """The classes a call names in its type arguments (`startScreen<DetailActivity>(ctx)`,
        `OneTimeWorkRequestBuilder<SyncWorker>()`) are read by the function (its refs): a class used only there is
        still used."""
        inner = node.children[0] if node.children and node.children[0].type == "call_expression" else None
        for n in (node, inner):
            targs = _first(n, "type_arguments") if n is not None else None
            if targs is None:
                continue
            todo = [targs]
            while todo:
                cur = todo.pop()
                if cur.type in ("type_identifier", "identifier", "simple_identifier"):
                    word = self.text(cur)
                    if word[:1].isupper():
                        self.add_ref(word, cur)
                todo.extend(cur.children)

    def call_parts(self, node: Node) -> tuple[Node | None, Node | None, list[Node]]:
        """(callee, value_arguments, trailing lambdas), merging `f(x) { ... }` into one call."""
        kids = node.children
        if not kids:
            return None, None, []
        lambdas: list[Node] = []
        args = None
        for c in kids:
            t = c.type
            if t == "annotated_lambda":
                lambdas.append(c)
            elif t == "value_arguments" and args is None:
                args = c
        first = kids[0]
        if lambdas and first.type == "call_expression":
            callee, args, inner = self.call_parts(first)
            return callee, args, inner + lambdas
        return first, args, lambdas

    def receiver_info(self, recv: Node) -> tuple[str, str | None, bool, str | None]:
        """(text, guessed type, is static (type/object name), simple identifier for field lookup)."""
        recv, _ = unwrap_not(recv)
        text = self.text(recv)
        t = recv.type
        if t == "this_expression":
            return text, None, False, None
        if t == "super_expression":
            return text, None, False, None
        if t == "identifier":
            lt = self.local_type(text)
            if lt:
                return text, lt, False, None
            if text[:1].isupper():
                return text, None, True, None
            if text in KNOWN_GETTERS:
                return text, KNOWN_GETTERS[text], False, None
            return text, None, False, text
        if t == "navigation_expression" and is_type_name(text) and "?" not in text:
            last = text.rsplit(".", 1)[-1]
            if last in KNOWN_GETTERS:
                return text, KNOWN_GETTERS[last], False, None
            if last[:1].isupper() or last == "INSTANCE" or last == "Companion":
                return text, None, True, None
        return text, self.guess_type(recv), False, None

    def v_call(self, node: Node, depth: int) -> None:
        callee, args, lambdas = self.call_parts(node)
        if callee is None:
            return
        self.type_argument_refs(node)
        negated_call = False
        callee, neg = unwrap_not(callee)
        negated_call = negated_call or neg
        name = ""
        receiver: str | None = None
        rtype: str | None = None
        static = False
        ident: str | None = None
        recv_node: Node | None = None
        if callee.type == "identifier":
            name = self.text(callee)
        elif callee.type == "navigation_expression" and callee.child_count >= 2:
            name = self.text(callee.children[-1])
            recv_node = callee.children[0]
            receiver, rtype, static, ident = self.receiver_info(recv_node)
        else:
            self.visit(callee, depth + 1)
        if recv_node is not None:
            self.visit(recv_node, depth + 1)
        arg_nodes: list[tuple[Node, str | None]] = []
        if args is not None:
            for a in args.children:
                if a.type == "value_argument":
                    label = None
                    if a.child_count >= 3 and a.children[1].type == "=":
                        label = self.text(a.children[0])
                    arg_nodes.append((a, label))
        for lam in lambdas:
            arg_nodes.append((lam, None))
        sam = name if name[:1].isupper() and (receiver is None or static) else ""
        if name and self.collectors:
            self.collect_call(f"{receiver}.{name}" if receiver else name)
        implicit = self.scope_receiver_type(name, recv_node, rtype, arg_nodes) if lambdas else None
        element = self.iterated_element(name, receiver, lambdas) if lambdas and name in ITERATING else None
        bound = self.bind_scope_value(name, recv_node, lambdas) if lambdas and name in BINDING_SCOPES else None
        built = self.build_args(name, receiver, sam, arg_nodes, depth, implicit)
        if element is not None:
            self.restore_local(*element)
        if bound is not None:
            self.restore_value(*bound)
        if name:
            if receiver is None and rtype is None and self.implicit:
                # `with(tm) { getDeviceId() }`: the scope's receiver, when not ours
                rtype, ident = scope_receiver(self.implicit[-1], ident)
            self.add_site("call", name, receiver, rtype, static, ident, built, node)
            if name in DI_REQUESTS:
                self.di_request(node, callee, name, receiver)

    def scope_receiver_type(self, name: str, recv_node: Node | None, rtype: str | None,
                            arg_nodes: list[tuple[Node, str | None]]) -> str | None:
        """The type `this` has inside the lambda of `with(x) { }`, `x.run { }` or `x.apply { }`, when known."""
        if name in ("run", "apply") and recv_node is not None:
            found = rtype or self.guess_type(recv_node)
            if found is None and recv_node.type == "identifier":
                return FIELD_SCOPE + self.text(recv_node)  # `notificationManager.run { … }` on a property
            return found
        if name == "with" and recv_node is None and len(arg_nodes) >= 2 and arg_nodes[0][1] is None:
            expr = next((c for c in arg_nodes[0][0].children if c.is_named), None)
            if expr is None:
                return None
            found = self.guess_type(expr)
            if found is None and expr.type == "identifier":
                # `with(notificationManager) { notify(…) }` on a property: its declared type, once the class's
                # fields are known (`FIELD_SCOPE` + the name, resolved in `finish`)
                return FIELD_SCOPE + self.text(expr)
            return found
        return None

    def build_args(self, name: str, receiver: str | None, sam: str, arg_nodes: list[tuple[Node, str | None]],
                   depth: int, implicit: str | None = None) -> list[Arg]:
        """Walk each argument in the call's context and record what it holds."""
        built: list[Arg] = []
        collectors, ctx, visit, text = self.collectors, self.ctx, self.visit, self.text
        receiver = receiver or ""
        for a, label in arg_nodes:
            col = Collector()
            collectors.append(col)
            t = a.type
            scope = implicit if t == "annotated_lambda" else None
            # CallContext(...) without the NamedTuple's Python-level constructor (one per argument)
            ctx.append(tuple.__new__(CallContext, (name, receiver, label, sam, scope)))
            if label is not None:
                for c in a.children[2:]:
                    visit(c, depth + 1)
            elif t == "value_argument" and depth < MAX_DEPTH:
                for c in a.named_children:  # what visiting the argument does (it has no handler), one call less
                    visit(c, depth + 2)
            else:
                visit(a, depth + 1)
            ctx.pop()
            collectors.pop()
            expr = a.named_children[-1] if t == "value_argument" and a.named_child_count else a
            built.append(Arg(text(a), label, tuple(col.strings), tuple(col.refs), tuple(col.calls),
                             self.choice_of(expr) if expr.type in CHOICES else None))
        return built

    def choice_of(self, expr: Node) -> tuple[Atom, str, str] | None:
        """`!enabled`, `if (enabled) DSN else ""`: the condition that chooses the argument's value, the value when it
        holds and the value otherwise (`Arg.choice`); None for another expression or a condition of several
        parts."""
        inner, negated = unwrap_not(expr)
        if negated:
            when, other = "false", "true"
            cond: Node | None = inner
        elif inner.type == "if_expression":
            cond, then, rest = self.branches(inner)
            if then is None or rest is None:
                return None
            when, other = self.text(then), self.text(rest)
            if when.startswith("{") or other.startswith("{"):
                return None
        else:
            return None
        if cond is None:
            return None
        inner, negated = unwrap_not(cond)
        if negated:
            when, other = other, when
        parts = self.atoms_of(inner, True)
        if len(parts) != 1 or not parts[0][1]:
            return None
        return self.make_atoms(True, parts)[0], when, other

    def loose_callee(self, kids: list[Node], i: int,
                     depth: int) -> tuple[str, str | None, str | None, bool, str | None]:
        """(name, receiver, receiver type, static, identifier) of `name`, `recv.name` or `recv` `.` `name`."""
        callee = kids[i]
        if callee.type == "navigation_expression" and callee.child_count >= 2:
            self.visit(callee.children[0], depth + 1)
            return (self.text(callee.children[-1]), *self.receiver_info(callee.children[0]))
        if i >= 2 and kids[i - 1].type == "." and kids[i - 2].is_named:
            return (self.text(callee), *self.receiver_info(kids[i - 2]))
        return self.text(callee), None, None, False, None

    def error_call(self, kids: list[Node], i: int, depth: int, closers: dict[int, int]) -> int:
        """`name(arg, label = arg)` whose argument list the grammar left as loose tokens in an ERROR node
        (`receiver.` before it when present): record the call; return the index after its `)`."""
        if depth > MAX_DEPTH:
            self.too_deep = True
            return i + 1
        k = closers.get(i + 1, len(kids))
        name, receiver, rtype, static, ident = self.loose_callee(kids, i, depth)
        arg_nodes: list[tuple[Node, str | None]] = []
        j = i + 2
        while j < k:
            a = kids[j]
            if a.type == "value_argument":
                label = self.text(a.children[0]) if a.child_count >= 3 and a.children[1].type == "=" else None
                arg_nodes.append((a, label))
            elif a.type in ("identifier", "navigation_expression") and j + 1 < k and kids[j + 1].type == "(":
                j = self.error_call(kids, j, depth + 1, closers)  # a call in the loose arguments
                continue
            elif a.is_named:
                self.visit(a, depth + 1)
            j += 1
        self.collect_call(f"{receiver}.{name}" if receiver else name)
        sam = name if name[:1].isupper() and (receiver is None or static) else ""
        built = self.build_args(name, receiver, sam, arg_nodes, depth)
        self.add_site("call", name, receiver, rtype, static, ident, built, kids[i])
        return min(k + 1, len(kids))

    def v_navigation(self, node: Node, depth: int) -> None:
        kids = node.children
        if len(kids) < 2:
            return
        name_node = kids[-1]
        name = self.text(name_node)
        recv = kids[0]
        text = self.text(node)
        if name in ("class", "java", "kotlin") or "::" in text:
            self.collect_ref(text)
            if kids[-2].type == "::" and name_node.type == "identifier" and name not in ("class", "java"):
                self.v_reference(node, depth)  # `TelemetryConfig::setAnalyticsEnabled`, `this::onEvent`
            return
        if self.collectors:
            self.collect_ref(text.lstrip("!"))
        receiver, rtype, static, ident = self.receiver_info(recv)
        self.visit(recv, depth + 1)
        self.add_site("field", name, receiver, rtype, static, ident, [], node)

    def v_assignment(self, node: Node, depth: int) -> None:
        """`crashlytics.isCrashlyticsCollectionEnabled = allowed`: Kotlin calls the Java setter
        (`setCrashlyticsCollectionEnabled(allowed)`); recorded as that call too, with the value as its argument."""
        kids = node.children
        lhs = kids[0] if kids else None
        if lhs is not None and len(kids) >= 3 and self.text(kids[1]) == "=":
            if lhs.type == "identifier":
                self.add_write(self.text(lhs), None, kids[-1], node)
            elif lhs.type == "navigation_expression" and lhs.child_count >= 3 and lhs.children[-1].type == "identifier":
                self.add_write(self.text(lhs.children[-1]), self.text(lhs.children[0]), kids[-1], node)
        if lhs is None or len(kids) < 3 or self.text(kids[1]) != "=" or lhs.type != "navigation_expression" \
                or lhs.child_count < 3 or lhs.children[-1].type != "identifier" or _holds_code(kids[-1]):
            for c in kids:
                self.visit(c, depth + 1)
            return
        self.visit(lhs, depth + 1)
        prop = self.text(lhs.children[-1])
        if prop[:1].islower() and prop != "value":  # `state.value = x`: a state holder's value, kept as a read
            setter = setter_of(prop)  # `isEnabled` -> `setEnabled`
            receiver, rtype, static, ident = self.receiver_info(lhs.children[0])
            args = self.build_args(setter, receiver, "", [(kids[-1], None)], depth)
            self.add_site("call", setter, receiver, rtype, static, ident, args, node)
        else:
            self.visit(kids[-1], depth + 1)

    def v_identifier(self, node: Node, depth: int) -> None:
        name = self.text(node)
        current = self.current  # `add_ref`, inlined: identifiers are the most visited nodes
        if 0 <= current < len(self.refs):
            refs = self.refs[current]
            if name not in refs:
                refs[name] = node.start_point[0] + 1
        if self.collectors:
            self.collect_ref(name)
        if self.implicit and name[:1].islower() and self.local_type(name) is None:
            # `with(tm) { deviceId }`: a property read on the scope's receiver (or a local: no API has its name)
            rtype, ident = scope_receiver(self.implicit[-1], None)
            self.add_site("field", name, None, rtype, False, ident, [], node)

    def v_reference(self, node: Node, depth: int) -> None:
        idents = [c for c in node.children if c.type == "identifier"]
        if not idents:
            return
        name = self.text(idents[-1])
        receiver = None
        colon = self.text(node).find("::")
        if colon > 0:
            receiver = self.text(node)[:colon]
        self.deferred.append(self.context_deferred("reference", line=node.start_point[0] + 1))
        self.add_site("reference", name, receiver, None, bool(receiver and receiver[:1].isupper()), None, [],
                      node)
        self.deferred.pop()

    def _stored_as(self, node: Node) -> str | None:
        """The property a lambda is stored in, outside any call (`val onAgreeClick = { … }`): its name says what
        event runs it, as a named argument's label does."""
        if self.ctx and self.ctx[-1] is not None:
            return None
        parent = node.parent
        if parent is None or parent.type != "property_declaration":
            return None
        var = _first(parent, "variable_declaration")
        ident = _first(var, "identifier") if var is not None else None
        return self.text(ident) if ident is not None else None

    def v_lambda(self, node: Node, depth: int) -> None:
        call = self.ctx[-1] if self.ctx else None
        scope = call.implicit if call is not None else None
        self.deferred.append(self.context_deferred("lambda", self._stored_as(node), line=node.start_point[0] + 1))
        self.ctx.append(None)
        if scope:
            self.implicit.append(scope)
        self.visit_statements(node, depth)
        if scope:
            self.implicit.pop()
        self.ctx.pop()
        self.deferred.pop()

    def v_object_literal(self, node: Node, depth: int) -> None:
        sup = self.supertypes(node)
        base = self.context_deferred("anonymous", "", sup[0] if sup else "", node.start_point[0] + 1)
        body = _first(node, "class_body")
        for c in body.children if body is not None else ():
            label = ""
            if c.type == "function_declaration":
                label = self.text(c.child_by_field_name("name") or _first(c, "identifier"))
            self.deferred.append(Deferred(base.kind, base.call, base.receiver, label or base.label,
                                          base.supertype, c.start_point[0] + 1))
            self.ctx.append(None)
            if c.type == "function_declaration":
                self.visit_children_of_body(c, depth + 1)
            else:
                self.visit(c, depth + 1)
            self.ctx.pop()
            self.deferred.pop()

    # --- dependency injection ---------------------------------------------------------------------------
    # An `inject` site names a type the container builds where the site is (its project implementations'
    # initialisers run there); a `provides` site in a `@Provides`/`@Binds` function names the type it provides.
    def annotation_names(self, node: Node | None) -> set[str]:
        """Simple names of the annotations in `node`'s modifiers (`@Inject`, `@field:Inject`, `@Single(…)`)."""
        mods = _first(node, "modifiers") if node is not None else None
        out: set[str] = set()
        for m in mods.children if mods is not None else ():
            if m.type != "annotation":
                continue
            inv = _first(m, "constructor_invocation")
            ty = _first(m, "user_type") or (_first(inv, "user_type") if inv is not None else None)
            if ty is not None:
                out.add(self.text(ty).rsplit(".", 1)[-1].split("<", 1)[0])
        return out

    def injected_type(self, ty: Node | None) -> str | None:
        """What injecting a value of type `ty` builds: the type itself, a collection's elements (multibindings:
        `Set<AppInitializer>`), nothing for `Lazy<T>`/`Provider<T>` (built on first use) or function types."""
        if ty is None:
            return None
        if ty.type == "nullable_type":
            ty = _first(ty, "user_type")
        if ty is None or ty.type != "user_type":
            return None
        parts = [self.text(c) for c in ty.children if c.type == "identifier"]  # not `@JvmSuppressWildcards`
        head = parts[-1] if parts else ""
        targs = _first(ty, "type_arguments")
        args = [a for a in targs.children if a.type == "type_projection"] if targs is not None else []
        if head in DI_DEFERRED:
            return None
        if head in DI_COLLECTIONS and args:
            return self.injected_type(_first(args[-1], "user_type", "nullable_type"))
        return ".".join(parts) or None

    def add_injection(self, type_name: str | None, node: Node, kind: str = "inject") -> None:
        if type_name and type_name[:1].isupper():
            self.add_site(kind, type_name, None, None, False, None, [], node)

    def in_construction(self, node: Node, fn: Callable[[], None], pseudo: str = "<init>") -> None:
        """Run `fn` inside the class's `<init>` (what happens when the container creates an instance) or its
        `<inject>` (field injection: Hilt injects an Android component as the system creates it)."""
        if not self.class_stack:
            return
        idx = self.function_index(pseudo, node, merge=True, owner=self.class_stack[-1].fqn)
        saved = self.enter_function(idx)
        fn()
        self.leave_function(saved)

    def di_request(self, node: Node, callee: Node, name: str, receiver: str | None) -> None:
        """`koinInject<PlatformAnalytics>()`, `val vm: MainViewModel = get()`, `by inject<Tracker>()`,
        `by viewModels<MainViewModel>()`: the container builds the requested type here."""
        if name not in DI_REQUESTS or (receiver is not None and receiver not in DI_RECEIVERS):
            return
        targs = _first(node, "type_arguments") or _first(callee, "type_arguments")
        proj = _first(targs, "type_projection") if targs is not None else None
        if proj is not None:
            self.add_injection(self.injected_type(_first(proj, "user_type", "nullable_type")), node)
            return
        holder = node.parent
        if holder is not None and holder.type == "property_delegate":
            holder = holder.parent
        if holder is not None and holder.type == "property_declaration":
            var = _first(holder, "variable_declaration")
            self.add_injection(self.injected_type(_first(var, "user_type", "nullable_type")), node)

    def di_field(self, node: Node, name: str, declared: Node | None) -> None:
        """`@Inject lateinit var analytics: Analytics` (Hilt/Dagger field injection): built when the container
        injects the object - for an Android component as the system creates it (`super.onCreate()`), not when
        code constructs one itself: the pseudo-function `<inject>`, run with the component's lifecycle."""
        self.remember_element_type(name, declared)
        if self.class_stack and "Inject" in self.annotation_names(node):
            ty = self.injected_type(declared)
            self.in_construction(node, lambda: self.add_injection(ty, node), "<inject>")

    def di_constructor(self, node: Node, ctor: Node | None) -> None:
        """`class X @Inject constructor(a: A)` (Dagger/Hilt) or `@Single class X(a: A)` (Koin annotations):
        building X builds its parameters first."""
        if ctor is None or not ("Inject" in self.annotation_names(ctor)
                                or self.annotation_names(node) & DI_CLASS_ANNOTATIONS):
            return
        params = _first(ctor, "class_parameters")
        types = [self.injected_type(_first(p, *TYPE_NODES)) for p in (params.children if params else ())
                 if p.type == "class_parameter"]

        def build() -> None:
            for t in types:
                self.add_injection(t, ctor)
        self.in_construction(node, build)

    def di_provider(self, node: Node) -> None:
        """`@Provides fun analytics(ctx: Context): Analytics = …`, `@Binds fun bind(impl: UmengInit): AppInitializer`,
        Koin `@Single fun …`: provides its return type (a `provides` site), and builds its parameters."""
        if not self.annotation_names(node) & DI_PROVIDER_ANNOTATIONS:
            return
        seen_params = False
        for c in node.children:
            if c.type == "function_value_parameters":
                seen_params = True
                for p in c.children:
                    if p.type == "parameter":
                        self.add_injection(self.injected_type(_first(p, *TYPE_NODES)), p)
            elif seen_params and c.type in TYPE_NODES:
                self.add_injection(self.injected_type(c), node, "provides")
                break

    def remember_element_type(self, name: str, declared: Node | None) -> None:
        """The element type of a property or local declared as a collection (`Set<AppInitializer>`)."""
        if name and declared is not None:
            ty = _first(declared, "user_type") if declared.type == "nullable_type" else declared
            if ty is not None and ty.type == "user_type" and self.text(_first(ty, "identifier")) in DI_COLLECTIONS:
                element = self.injected_type(ty)
                if element:
                    self.element_types[name] = element

    def iterated_element(self, name: str, receiver: str | None, lambdas: list[Node]) -> tuple[str, str | None] | None:
        """Inside `xs.forEach { it.f() }` / `xs.forEach { x -> x.f() }` over a collection of known element type,
        the lambda's parameter has that type (restored after the call: see `restore_local`)."""
        if name not in ITERATING or not lambdas or receiver is None:
            return None
        element = self.element_types.get(receiver.removeprefix("this."))
        if element is None:
            return None
        lit = _first(lambdas[0], "lambda_literal")
        params = _first(lit, "lambda_parameters") if lit is not None else None
        var = _first(params, "variable_declaration") if params is not None else None
        first = _first(var or params, "identifier") if params is not None else None
        param = self.text(first) if first is not None else "it"
        previous = self.local_type(param)
        self.declare_local(param, element)
        return param, previous

    def bind_scope_value(self, name: str, recv_node: Node | None,
                         lambdas: list[Node]) -> tuple[str, Collector | None] | None:
        """Inside `read().let { v -> if (v == 0) … }` (or `also`) the lambda's parameter is the receiver's value:
        a condition on it reads what the receiver read, as for a local initialised with it (`remember_local_value`;
        restored after the call: see `restore_value`)."""
        if recv_node is None or not (0 <= self.current < len(self.local_values)):
            return None
        lit = _first(lambdas[0], "lambda_literal")
        if lit is None:
            return None
        params = _first(lit, "lambda_parameters")
        var = _first(params, "variable_declaration") if params is not None else None
        first = _first(var or params, "identifier") if params is not None else None
        if params is not None and first is None:
            return None  # a destructuring parameter
        param = self.text(first) if first is not None else "it"
        previous = self.local_values[self.current].get(param)
        self.remember_local_value(param, recv_node, PLAIN_READS, self.gather)
        return param, previous

    def restore_value(self, name: str, previous: Collector | None) -> None:
        self._restore(self.local_values, name, previous)

    def restore_local(self, name: str, previous: str | None) -> None:
        self._restore(self.locals, name, previous)

    def _restore(self, scopes: list[dict[str, Any]], name: str, previous: object) -> None:
        """Give `name` back the binding it had in the current function's scope before a lambda shadowed it."""
        if 0 <= self.current < len(scopes):
            if previous is None:
                scopes[self.current].pop(name, None)
            else:
                scopes[self.current][name] = previous

    # --- control flow ----------------------------------------------------------------------------------
    def atoms_of(self, cond: Node, positive: bool) -> list[tuple[str, bool, Collector]]:
        """Split a condition into atoms that all hold where the branch runs."""
        inner, neg = unwrap_not(cond)
        if neg:
            return self.atoms_of(inner, not positive)
        if leftmost_not(inner):
            return [self.atom(inner, not positive, strip_not=True)]
        if inner.type in ("binary_expression", "conjunction_expression", "disjunction_expression") \
                and inner.child_count == 3:
            op = inner.children[1].type
            left, right = inner.children[0], inner.children[2]
            if (op == "&&" and positive) or (op == "||" and not positive):
                return self.atoms_of(left, positive) + self.atoms_of(right, positive)
            if op in EQUALITY_OPS:
                lit = self.text(right)
                if lit in ("true", "false"):
                    flip = (lit == "false") != (op in ("!=", "!=="))
                    return self.atoms_of(left, positive != flip)
        return [self.atom(inner, positive)]

    def atom(self, node: Node, positive: bool, strip_not: bool = False) -> tuple[str, bool, Collector]:
        col = Collector()
        self.gather(node, col, 0)
        text = self.text(node)
        if strip_not:
            text = text.replace("!", "", 1)
        return text, positive, col

    def gather(self, node: Node, col: Collector, depth: int) -> None:
        """What a condition reads: calls, names, strings (a small separate walk; conditions are short)."""
        if depth > 40:
            return
        t = node.type
        if t == "identifier":
            col.refs.append(self.text(node))
        elif t in ("string_literal", "multiline_string_literal"):
            col.strings.append(self.string_value(node))
            return
        elif t == "call_expression":
            callee, _args, _l = self.call_parts(node)
            if callee is not None:
                callee, _ = unwrap_not(callee)
                col.calls.append(self.text(callee))
        for c in node.children:
            if c.is_named or c.child_count:  # an anonymous leaf (a token: `(`, `.`, `&&`) holds nothing to gather
                self.gather(c, col, depth + 1)

    def branches(self, node: Node) -> tuple[Node | None, Node | None, Node | None]:
        cond = node.child_by_field_name("condition")
        then = other = None
        seen_else = False
        seen_cond = False
        for c in node.children:
            if c == cond:
                seen_cond = True
                continue
            if c.type == "else":
                seen_else = True
            elif c.is_named and seen_cond and c.type not in COMMENTS:  # `if (a // why\n) {`
                if seen_else:
                    other = other or c
                else:
                    then = then or c
        return cond, then, other

    def v_if(self, node: Node, depth: int) -> None:
        cond, then, other = self.branches(node)
        if cond is not None:
            self.visit(cond, depth + 1)
        line = node.start_point[0] + 1
        if then is not None:
            atoms = self.make_atoms(True, self.atoms_of(cond, True)) if cond is not None else ()
            self.guards.append(Guard("if", atoms, line))
            self.visit(then, depth + 1)
            self.guards.pop()
        if other is not None:
            atoms = self.make_atoms(True, self.atoms_of(cond, False)) if cond is not None else ()
            self.guards.append(Guard("else", atoms, line))
            self.visit(other, depth + 1)
            self.guards.pop()

    def is_exit(self, node: Node | None) -> bool:
        if node is None:
            return False
        if node.type in ("return_expression", "throw_expression", "jump_expression"):
            return True
        if node.type in ("block", "control_structure_body"):
            named = [c for c in node.children if c.is_named and c.type not in ("line_comment", "block_comment")]
            return bool(named) and self.is_exit(named[-1])
        if node.type == "call_expression":
            callee, _a, _l = self.call_parts(node)
            if callee is not None:
                last = self.text(callee).rsplit(".", 1)[-1]
                return last in EXIT_CALLS
        return False

    def early_return_guard(self, node: Node) -> Guard | None:
        cond, then, other = self.branches(node)
        if cond is None or other is not None or not self.is_exit(then):
            return None
        return Guard("early-return", self.make_atoms(True, self.atoms_of(cond, False)), node.start_point[0] + 1)

    def elvis_return_guard(self, node: Node) -> Guard | None:
        """`val route = intent.getStringExtra(ROUTE) ?: return` (or `?: run { log(); return }`): the rest of the
        block runs only when the left side is not null."""
        value = node.children[-1] if node.child_count else None
        if value is None or value.type != "binary_expression" or value.child_count != 3 or \
                value.children[1].type != "?:":
            return None
        left, right = value.children[0], value.children[2]
        if right.type == "call_expression" and self.text(right.children[0]) in ("run", "also", "let", "apply"):
            lam = _first(_first(right, "annotated_lambda") or right, "lambda_literal")
            body = [c for c in lam.children if c.is_named and c.type not in COMMENTS] if lam is not None else []
            right = body[-1] if body else right
        if not self.is_exit(right):
            return None
        text, _positive, col = self.atom(left, True)
        return Guard("early-return", self.make_atoms(True, [(f"{text} != null", True, col)]), node.start_point[0] + 1)

    def v_when(self, node: Node, depth: int) -> None:
        subject = _first(node, "when_subject")
        if subject is not None:
            self.visit(subject, depth + 1)
        entries = [c for c in node.children if c.type == "when_entry"]
        conds = [e.child_by_field_name("condition") for e in entries]
        for entry, cond in zip(entries, conds, strict=True):
            atoms: tuple = ()
            if subject is not None:
                atoms = self.when_subject_atoms(subject, entry)
            elif subject is None and cond is not None:
                atoms = self.make_atoms(True, self.atoms_of(cond, True))
            elif subject is None and cond is None and len(entries) == 2:
                other = next((c for c in conds if c is not None), None)
                if other is not None:
                    atoms = self.make_atoms(True, self.atoms_of(other, False))
            for c in entry.children:
                if c == cond:
                    self.visit(c, depth + 1)
            self.guards.append(Guard("when", atoms, entry.start_point[0] + 1))
            for c in entry.children:
                if c != cond:
                    self.visit(c, depth + 1)
            self.guards.pop()

    def when_subject_atoms(self, subject: Node, entry: Node) -> tuple:
        """`when (prefs.provider) { AMAP -> … }`: the entry runs when the subject equals its one value (like a
        Java `case`); several values, `is`/`in` tests, `else` or a `val` subject give no atom."""
        values = []
        for c in entry.children:
            if c.type == "->":
                break
            if c.is_named and c.type not in COMMENTS:
                values.append(c)
        expr = [c for c in subject.named_children if c.type not in COMMENTS]
        if len(values) != 1 or values[0].type in ("type_test", "range_test", "else") or len(expr) != 1 or \
                expr[0].type == "property_declaration":
            return ()
        col = Collector()
        self.gather(expr[0], col, 0)
        self.gather(values[0], col, 0)
        return self.make_atoms(True, [(f"{self.text(expr[0])} == {self.text(values[0])}", True, col)])

    def v_binary(self, node: Node, depth: int) -> None:
        """`a && f()` calls `f` only when `a` holds, `a || f()` only when it does not: the right operand is
        guarded by the left (short-circuit evaluation)."""
        op = node.children[1].type if node.child_count == 3 else ""
        if op not in ("&&", "||"):
            for c in node.named_children:
                self.visit(c, depth + 1)
            return
        left, right = node.children[0], node.children[2]
        self.visit(left, depth + 1)
        self.guards.append(Guard("if", self.make_atoms(True, self.atoms_of(left, op == "&&")),
                                 node.start_point[0] + 1))
        self.visit(right, depth + 1)
        self.guards.pop()

    def v_loop(self, node: Node, depth: int) -> None:
        self.loops += 1
        for c in node.children:
            self.visit(c, depth + 1)
        self.loops -= 1

    def v_annotated(self, node: Node, depth: int) -> None:
        for c in node.children:
            if c.type == "annotation":
                self.annotation(c, node)
            else:
                self.visit(c, depth + 1)


_CODE_NODES = frozenset({"lambda_literal", "anonymous_function", "object_literal", "annotated_lambda"})


def _holds_code(node: Node) -> bool:
    """The value holds code that runs later (a lambda, an anonymous object): a stored callback, kept as is."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in _CODE_NODES:
            return True
        stack.extend(n.children)
    return False


_HANDLERS = {
    "import": KotlinExtractor.v_import,
    "import_header": KotlinExtractor.v_import,
    "package_header": lambda self, node, depth: None,
    "class_declaration": KotlinExtractor.v_class,
    "object_declaration": KotlinExtractor.v_object,
    "companion_object": KotlinExtractor.v_companion,
    "function_declaration": KotlinExtractor.v_function,
    "secondary_constructor": KotlinExtractor.v_secondary_ctor,
    "anonymous_initializer": KotlinExtractor.v_initializer,
    "property_declaration": KotlinExtractor.v_property,
    "call_expression": KotlinExtractor.v_call,
    "navigation_expression": KotlinExtractor.v_navigation,
    "assignment": KotlinExtractor.v_assignment,
    "callable_reference": KotlinExtractor.v_reference,
    "lambda_literal": KotlinExtractor.v_lambda,
    "anonymous_function": KotlinExtractor.v_lambda,
    "object_literal": KotlinExtractor.v_object_literal,
    "if_expression": KotlinExtractor.v_if,
    "when_expression": KotlinExtractor.v_when,
    "binary_expression": KotlinExtractor.v_binary,
    "conjunction_expression": KotlinExtractor.v_binary,
    "disjunction_expression": KotlinExtractor.v_binary,
    "for_statement": KotlinExtractor.v_loop,
    "while_statement": KotlinExtractor.v_loop,
    "do_while_statement": KotlinExtractor.v_loop,
    "string_literal": KotlinExtractor.v_string,
    "multiline_string_literal": KotlinExtractor.v_string,
    "line_comment": KotlinExtractor.v_comment,
    "block_comment": KotlinExtractor.v_comment,
    "multiline_comment": KotlinExtractor.v_comment,
    "identifier": KotlinExtractor.v_identifier,
    "annotated_expression": KotlinExtractor.v_annotated,
    "annotation": lambda self, node, depth: self.annotation(node, node.parent or node),
    "ERROR": KotlinExtractor.v_error,
}
