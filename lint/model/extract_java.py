"""Java → FileSummary (tree-sitter-java)."""

from __future__ import annotations

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
from pipl_lint.model.summary import Arg, Atom, Constant, Deferred, Guard, Import

CLASS_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "record",
    "annotation_type_declaration": "annotation",
}
STATEMENT_HOLDERS = frozenset({"block", "constructor_body", "switch_block_statement_group", "program"})
# A local initialised with one of these is one plain read whose value a condition on the local tests.
PLAIN_READS = frozenset({"method_invocation", "field_access", "identifier"})
# Dependency injection (see the Kotlin extractor): collection types whose elements are injected (multibindings),
# wrappers built only on first use.
DI_COLLECTIONS = frozenset({"Set", "List", "Collection", "Iterable", "Map"})
DI_DEFERRED = frozenset({"Lazy", "Provider"})
DI_PROVIDER_ANNOTATIONS = frozenset({"Provides", "Binds", "Single", "Factory"})
LOOPS = frozenset({"for_statement", "enhanced_for_statement", "while_statement", "do_statement"})


def _first(node: Node | None, *types: str) -> Node | None:
    if node is None:
        return None
    for c in node.children:
        if c.type in types:
            return c
    return None


# Expressions that may choose an argument's value by a condition (`Arg.choice`).
CHOICES = frozenset({"unary_expression", "ternary_expression", "parenthesized_expression"})


def _unparen(node: Node) -> tuple[Node, bool]:
    negated = False
    while True:
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        elif node.type == "unary_expression" and node.child_count == 2 and node.children[0].type == "!":
            node = node.children[1]
            negated = not negated
        else:
            return node, negated


class JavaExtractor(Extractor):
    language = "java"

    def __init__(self, path: str, src: bytes) -> None:
        super().__init__(path, src)
        self.anonymous: list[Deferred] = []  # the context of each enclosing anonymous class body

    def run(self, root: Node) -> None:
        pkg = _first(root, "package_declaration")
        if pkg is not None:
            self.package = self.text(_first(pkg, "scoped_identifier", "identifier"), 500)
        stem = self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        self.facade = f"{self.package}.{stem}" if self.package else stem
        self.visit_statements(root, 0)

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
        if t in CLASS_KINDS:
            self.v_class(node, depth)
            return
        if t in LOOPS:
            if t == "enhanced_for_statement":  # `for (SubscriptionInfo info : list)`: a typed local
                type_node, name_node = node.child_by_field_name("type"), node.child_by_field_name("name")
                if type_node is not None and name_node is not None:
                    self.declare_local(self.text(name_node), strip_type(self.text(type_node)))
            self.loops += 1
            for c in node.named_children:
                self.visit(c, depth + 1)
            self.loops -= 1
            return
        if t in STATEMENT_HOLDERS:
            self.visit_statements(node, depth)
        else:
            for c in node.named_children:
                self.visit(c, depth + 1)

    def visit_statements(self, node: Node, depth: int) -> None:
        pushed = 0
        for c in node.named_children:
            self.visit(c, depth + 1)
            if c.type == "if_statement":
                guard = self.early_return_guard(c)
                if guard is not None:
                    self.guards.append(guard)
                    pushed += 1
        if pushed:
            del self.guards[len(self.guards) - pushed :]

    # --- declarations --------------------------------------------------------------------------------
    def v_import(self, node: Node, depth: int) -> None:
        path = self.text(_first(node, "scoped_identifier", "identifier"), 500)
        static = any(c.type == "static" for c in node.children)
        wildcard = any(c.type == "asterisk" for c in node.children)
        if path:
            self.imports.append(Import(path, None, static, wildcard))

    def modifiers(self, node: Node) -> tuple[str, ...]:
        mods = _first(node, "modifiers")
        if mods is None:
            return ()
        out = []
        for m in mods.children:
            if m.type in ("annotation", "marker_annotation"):
                text = self.text(m, 300)
                if "Suppress" in text:
                    self.suppressions.append((node.start_point[0] + 1, node.end_point[0] + 1, text))
            else:
                out.append(self.text(m))
        return tuple(out)

    def v_class(self, node: Node, depth: int) -> None:
        name = self.text(node.child_by_field_name("name")) or "<anonymous>"
        supers: list[str] = []
        sc = node.child_by_field_name("superclass")
        if sc is not None:
            supers += [strip_type(self.text(c)) for c in sc.named_children]
        for field_name in ("interfaces",):
            si = node.child_by_field_name(field_name)
            if si is not None:
                tl = _first(si, "type_list")
                supers += [strip_type(self.text(c)) for c in (tl.named_children if tl is not None else [])]
        ext = _first(node, "extends_interfaces")
        if ext is not None:
            tl = _first(ext, "type_list")
            supers += [strip_type(self.text(c)) for c in (tl.named_children if tl is not None else [])]
        mods = self.modifiers(node)
        cb = self.push_class(name, CLASS_KINDS.get(node.type, "class"), supers, node, mods)
        if node.type == "record_declaration":
            params = node.child_by_field_name("parameters")
            for p in params.named_children if params is not None else ():
                pn, pt = p.child_by_field_name("name"), p.child_by_field_name("type")
                if pn is not None and pt is not None:
                    cb.fields[self.text(pn)] = strip_type(self.text(pt))
        body = node.child_by_field_name("body")
        if body is not None:
            self.visit_class_body(body, depth)
        self.pop_class()

    def visit_class_body(self, body: Node, depth: int) -> None:
        for c in body.children:
            t = c.type
            if t == "block":  # instance initializer
                idx = self.function_index("<init>", c, merge=True)
                saved = self.enter_function(idx)
                self.visit(c, depth + 1)
                self.leave_function(saved)
            elif t == "enum_body_declarations":
                self.visit_class_body(c, depth + 1)
            elif t == "enum_constant":
                idx = self.function_index("<clinit>", c, merge=True)
                saved = self.enter_function(idx)
                self.visit(c, depth + 1)
                self.leave_function(saved)
            else:
                self.visit(c, depth + 1)

    def parameters(self, node: Node | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names: list[str] = []
        types: list[str] = []
        for p in node.named_children if node is not None else ():
            if p.type not in ("formal_parameter", "spread_parameter"):
                continue
            pn = p.child_by_field_name("name")
            if pn is None:
                decl = _first(p, "variable_declarator")
                pn = decl.child_by_field_name("name") if decl is not None else None
            pt = p.child_by_field_name("type")
            names.append(self.text(pn))
            types.append(strip_type(self.text(pt)) if pt is not None else "")
        return tuple(names), tuple(types)

    def v_method(self, node: Node, depth: int) -> None:
        mods = self.modifiers(node) + tuple(sorted(f"@{a}" for a in self.annotation_names(node)))
        name = self.text(node.child_by_field_name("name"))
        params, types = self.parameters(node.child_by_field_name("parameters"))
        if self.anonymous_depth(node):
            d = self.anonymous[-1]
            self.deferred.append(Deferred(d.kind, d.call, d.receiver, name, d.supertype,
                                          node.start_point[0] + 1))
            self.ctx.append(None)
            for n, t in zip(params, types, strict=False):
                self.declare_local(n, t)
            body = node.child_by_field_name("body")
            if body is not None:
                self.visit(body, depth + 1)
            self.ctx.pop()
            self.deferred.pop()
            return
        is_ctor = node.type == "constructor_declaration"
        idx = self.function_index("<init>" if is_ctor else name, node, params, types, None, mods,
                                  merge=is_ctor)
        saved = self.enter_function(idx)
        for n, t in zip(params, types, strict=False):
            self.declare_local(n, t)
        self.di_method(node, is_ctor)
        body = node.child_by_field_name("body")
        if body is not None:
            self.visit(body, depth + 1)
        self.leave_function(saved)

    def anonymous_depth(self, node: Node) -> bool:
        p = node.parent
        return p is not None and p.type == "class_body" and p.parent is not None and \
            p.parent.type == "object_creation_expression"

    def v_static_init(self, node: Node, depth: int) -> None:
        idx = self.function_index("<clinit>", node, merge=True)
        saved = self.enter_function(idx)
        for c in node.children:
            self.visit(c, depth + 1)
        self.leave_function(saved)

    def v_field(self, node: Node, depth: int) -> None:
        mods = self.modifiers(node)
        type_node = node.child_by_field_name("type")
        type_text = strip_type(self.text(type_node)) if type_node is not None else None
        pseudo = "<clinit>" if "static" in mods or (self.class_stack and self.class_stack[-1].kind == "interface") \
            else "<init>"
        self.di_field(node, type_node, pseudo)
        for decl in node.children:
            if decl.type != "variable_declarator":
                continue
            name = self.text(decl.child_by_field_name("name"))
            value = decl.child_by_field_name("value")
            if self.class_stack and name and type_text:
                self.class_stack[-1].fields[name] = type_text
            if not self.anonymous_depth(node):
                self.add_bool(name, type_text, value, decl.start_point[0] + 1)
            if value is None:
                continue
            self.record_constant(self.owner, name, value)
            if self.anonymous_depth(node):
                self.visit(value, depth + 1)
                continue
            idx = self.function_index(pseudo, node, merge=True)
            saved = self.enter_function(idx)
            self.visit(value, depth + 1)
            self.leave_function(saved)

    def v_local(self, node: Node, depth: int) -> None:
        type_node = node.child_by_field_name("type")
        type_text = strip_type(self.text(type_node)) if type_node is not None else None
        for decl in node.children:
            if decl.type != "variable_declarator":
                continue
            name = self.text(decl.child_by_field_name("name"))
            value = decl.child_by_field_name("value")
            guessed = type_text if type_text and type_text != "var" else (
                self.guess_type(value) if value is not None else None)
            self.declare_local(name, guessed)
            self.add_local_name(name, decl.start_point[0] + 1)
            self.remember_local_value(name, value, PLAIN_READS, self.gather)
            if value is not None:
                if 0 <= self.current < len(self.functions):
                    fn = self.functions[self.current]
                    self.record_constant(f"{fn.owner}#{fn.name}", name, value)
                self.visit(value, depth + 1)

    def record_constant(self, owner: str, name: str, value: Node) -> None:
        strings: list[str] = []
        refs: list[str] = []
        self.constant_values(value, strings, refs, 0)
        if strings or refs:
            self.constants.append(Constant(owner, name, tuple(strings + refs), value.start_point[0] + 1))

    def constant_values(self, node: Node, strings: list[str], refs: list[str], depth: int) -> None:
        if depth > 6 or len(strings) + len(refs) > 40:
            return
        t = node.type
        if t == "string_literal":
            strings.append(self.string_value(node))
        elif t in ("field_access", "identifier", "scoped_identifier"):
            refs.append(self.text(node))
        elif t in ("array_initializer", "array_creation_expression"):
            for c in node.named_children:
                self.constant_values(c, strings, refs, depth + 1)
        elif t == "method_invocation" and self.text(node.child_by_field_name("name")) in ("asList", "of", "listOf"):
            args = node.child_by_field_name("arguments")
            for c in args.named_children if args is not None else ():
                self.constant_values(c, strings, refs, depth + 1)

    # --- expressions ---------------------------------------------------------------------------------
    def string_value(self, node: Node) -> str:
        raw = self.raw_text
        return "".join([raw(c) for c in node.children if c.type in ("string_fragment", "multiline_string_fragment")])

    def v_string(self, node: Node, depth: int) -> None:
        self.add_string(self.string_value(node), node)

    def v_comment(self, node: Node, depth: int) -> None:
        text = self.text(node, 400)
        if "pipl-lint:" in text:  # only suppression directives matter to the analysis
            self.suppressions.append((node.start_point[0] + 1, node.end_point[0] + 1, text))

    def guess_type(self, node: Node | None) -> str | None:
        if node is None:
            return None
        node, _ = _unparen(node)
        t = node.type
        if t == "cast_expression":
            return strip_type(self.text(node.child_by_field_name("type")))
        if t == "object_creation_expression":
            return strip_type(self.text(node.child_by_field_name("type")))
        if t == "identifier":
            return self.local_type(self.text(node))
        if t == "method_invocation":
            name = self.text(node.child_by_field_name("name"))
            obj = node.child_by_field_name("object")
            if name == "getSystemService":
                return self.service_type(node)
            if obj is not None and name in FACTORY_NAMES:
                ot = self.text(obj)
                if is_type_name(ot):
                    return ot
            return KNOWN_GETTERS.get(name)
        return None

    def service_type(self, call: Node) -> str | None:
        args = call.child_by_field_name("arguments")
        for a in args.named_children if args is not None else ():
            txt = self.text(a)
            if txt.endswith(".class"):
                return strip_type(txt[: -len(".class")].split(".")[-1])
            const = txt.rsplit(".", 1)[-1]
            if const in SERVICE_TYPES:
                return SERVICE_TYPES[const]
        return None

    def receiver_info(self, recv: Node) -> tuple[str, str | None, bool, str | None]:
        text = self.text(recv)
        t = recv.type
        if t in ("this", "super"):
            return text, None, False, None
        if t == "identifier":
            lt = self.local_type(text)
            if lt:
                return text, lt, False, None
            if text[:1].isupper():
                return text, None, True, None
            return text, None, False, text
        if t in ("field_access", "scoped_identifier") and is_type_name(text):
            last = text.rsplit(".", 1)[-1]
            if last[:1].isupper() or last == "INSTANCE" or last == "Companion":
                return text, None, True, None
        return text, self.guess_type(recv), False, None

    def visit_args(self, args: Node | None, name: str, receiver: str | None, sam: str,
                   depth: int) -> list[Arg]:
        built: list[Arg] = []
        for a in args.named_children if args is not None else ():
            if a.type in ("line_comment", "block_comment"):
                continue
            col = Collector()
            self.collectors.append(col)
            # CallContext(...) without the NamedTuple's Python-level constructor (one per argument)
            self.ctx.append(tuple.__new__(CallContext, (name, receiver or "", None, sam, None)))
            self.visit(a, depth + 1)
            self.ctx.pop()
            self.collectors.pop()
            built.append(Arg(self.text(a), None, tuple(col.strings), tuple(col.refs), tuple(col.calls),
                             self.choice_of(a) if a.type in CHOICES else None))
        return built

    def choice_of(self, expr: Node) -> tuple[Atom, str, str] | None:
        """`!enabled`, `enabled ? dsn : ""`: the condition that chooses the argument's value, the value when it
        holds and the value otherwise (`Arg.choice`); None for another expression or a condition of several
        parts."""
        inner, negated = _unparen(expr)
        if negated:
            when, other = "false", "true"
            cond: Node | None = inner
        elif inner.type == "ternary_expression":
            cond = inner.child_by_field_name("condition")
            then, rest = inner.child_by_field_name("consequence"), inner.child_by_field_name("alternative")
            if cond is None or then is None or rest is None:
                return None
            when, other = self.text(then), self.text(rest)
        else:
            return None
        inner, negated = _unparen(cond)
        if negated:
            when, other = other, when
        parts = self.atoms_of(inner, True)
        if len(parts) != 1 or not parts[0][1]:
            return None
        return self.make_atoms(True, parts)[0], when, other

    def v_invocation(self, node: Node, depth: int) -> None:
        name = self.text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        receiver = rtype = ident = None
        static = False
        if obj is not None:
            receiver, rtype, static, ident = self.receiver_info(obj)
            self.visit(obj, depth + 1)
        self.collect_call(f"{receiver}.{name}" if receiver else name)
        args = self.visit_args(node.child_by_field_name("arguments"), name, receiver, "", depth)
        self.add_site("call", name, receiver, rtype, static, ident, args, node)

    def v_new(self, node: Node, depth: int) -> None:
        type_text = strip_type(self.text(node.child_by_field_name("type")))
        body = _first(node, "class_body")
        self.collect_call(type_text)  # as Kotlin's `Tracker()`: an argument records what it creates
        args = self.visit_args(node.child_by_field_name("arguments"), type_text, None, type_text, depth)
        self.add_site("new", type_text, None, None, False, None, args, node)
        if body is not None:
            base = self.context_deferred("anonymous", "", type_text, node.start_point[0] + 1)
            self.anonymous.append(base)
            for c in body.children:
                if c.type in ("method_declaration", "constructor_declaration"):
                    self.visit(c, depth + 1)
                else:
                    self.deferred.append(base)
                    self.ctx.append(None)
                    self.visit(c, depth + 1)
                    self.ctx.pop()
                    self.deferred.pop()
            self.anonymous.pop()

    def v_field_access(self, node: Node, depth: int) -> None:
        name = self.text(node.child_by_field_name("field"))
        obj = node.child_by_field_name("object")
        self.collect_ref(self.text(node))
        if obj is None:
            return
        receiver, rtype, static, ident = self.receiver_info(obj)
        self.visit(obj, depth + 1)
        self.add_site("field", name, receiver, rtype, static, ident, [], node)

    def v_assign(self, node: Node, depth: int) -> None:
        """`canJump = true`, `this.canJump = true`, `Splash.sReady = true`: recorded as a write of that name."""
        left = node.child_by_field_name("left")
        # `ok |= x`: the value is not written out (recorded as "", which is not `false`).
        value = node.child_by_field_name("right") if self.text(node.child_by_field_name("operator")) == "=" else None
        if left is not None and left.type == "identifier":
            self.add_write(self.text(left), None, value, node)
        elif left is not None and left.type == "field_access" and (fname := left.child_by_field_name("field")):
            self.add_write(self.text(fname), self.text(left.child_by_field_name("object")), value, node)
        for c in node.named_children:
            self.visit(c, depth + 1)

    def v_identifier(self, node: Node, depth: int) -> None:
        self.add_ref(self.text(node), node)

    def _stored_as(self, node: Node) -> str | None:
        """The field or variable a lambda is stored in, outside any call (`OnClick onAgreeClick = () -> …`,
        `onExit = () -> …`): its name says what event runs it, as a named argument's label does."""
        if self.ctx and self.ctx[-1] is not None:
            return None
        parent = node.parent
        if parent is None:
            return None
        if parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
        elif parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
            name = parent.child_by_field_name("left")
            if name is not None and name.type == "field_access":
                name = name.child_by_field_name("field")
        else:
            return None
        return self.text(name) if name is not None and name.type == "identifier" else None

    def v_method_ref(self, node: Node, depth: int) -> None:
        parts = [c for c in node.children if c.is_named]
        if not parts:
            return
        name = self.text(parts[-1]) if len(parts) > 1 else "<init>"
        receiver = self.text(parts[0])
        self.deferred.append(self.context_deferred("reference", line=node.start_point[0] + 1))
        self.add_site("reference", name, receiver, None, receiver[:1].isupper(), None, [], node)
        self.deferred.pop()

    def v_lambda(self, node: Node, depth: int) -> None:
        self.deferred.append(self.context_deferred("lambda", self._stored_as(node), line=node.start_point[0] + 1))
        self.ctx.append(None)
        body = node.child_by_field_name("body")
        if body is not None:
            self.visit(body, depth + 1)
        self.ctx.pop()
        self.deferred.pop()

    # --- dependency injection ---------------------------------------------------------------------------
    # An `inject` site names a type the container builds where the site is; a `provides` site in a
    # `@Provides`/`@Binds` method names the type it provides (see the index).
    def annotation_names(self, node: Node) -> set[str]:
        mods = _first(node, "modifiers")
        out: set[str] = set()
        for m in mods.children if mods is not None else ():
            if m.type in ("annotation", "marker_annotation"):
                out.add(self.text(m.child_by_field_name("name")).rsplit(".", 1)[-1])
        return out

    def injected_type(self, ty: Node | None) -> str | None:
        """What injecting a value of type `ty` builds: the type, a collection's elements, nothing for
        `Lazy<T>`/`Provider<T>` (built on first use)."""
        if ty is None:
            return None
        if ty.type == "generic_type":
            head = self.text(_first(ty, "type_identifier", "scoped_type_identifier")).rsplit(".", 1)[-1]
            targs = _first(ty, "type_arguments")
            args = [a for a in targs.named_children] if targs is not None else []
            if head in DI_DEFERRED:
                return None
            if head in DI_COLLECTIONS and args:
                return self.injected_type(args[-1])
            return head or None
        if ty.type in ("type_identifier", "scoped_type_identifier"):
            return self.text(ty) or None
        return None

    def add_injection(self, type_name: str | None, node: Node, kind: str = "inject") -> None:
        if type_name and type_name[:1].isupper():
            self.add_site(kind, type_name, None, None, False, None, [], node)

    def di_field(self, node: Node, type_node: Node | None, pseudo: str) -> None:
        """`@Inject Analytics analytics;`: built when the container injects the object (an Android component: as
        the system creates it; the pseudo-function `<inject>`, run with the component's lifecycle)."""
        if pseudo != "<init>" or not self.class_stack or "Inject" not in self.annotation_names(node):
            return
        idx = self.function_index("<inject>", node, merge=True)
        saved = self.enter_function(idx)
        self.add_injection(self.injected_type(type_node), node)
        self.leave_function(saved)

    def di_method(self, node: Node, is_ctor: bool) -> None:
        """An `@Inject` constructor builds its parameters; a `@Provides`/`@Binds` method builds its parameters
        and provides its return type."""
        names = self.annotation_names(node)
        provider = not is_ctor and bool(names & DI_PROVIDER_ANNOTATIONS)
        if not (provider or (is_ctor and "Inject" in names)):
            return
        params = node.child_by_field_name("parameters")
        for p in params.named_children if params is not None else ():
            if p.type == "formal_parameter":
                self.add_injection(self.injected_type(p.child_by_field_name("type")), p)
        if provider:
            self.add_injection(self.injected_type(node.child_by_field_name("type")), node, "provides")

    # --- control flow ----------------------------------------------------------------------------------
    def atoms_of(self, cond: Node, positive: bool) -> list[tuple[str, bool, Collector]]:
        inner, neg = _unparen(cond)
        if neg:
            return self.atoms_of(inner, not positive)
        if inner.type == "binary_expression":
            op = self.text(inner.child_by_field_name("operator"))
            left, right = inner.child_by_field_name("left"), inner.child_by_field_name("right")
            if left is not None and right is not None:
                if (op == "&&" and positive) or (op == "||" and not positive):
                    return self.atoms_of(left, positive) + self.atoms_of(right, positive)
                if op in ("==", "!=") and self.text(right) in ("true", "false"):
                    flip = (self.text(right) == "false") != (op == "!=")
                    return self.atoms_of(left, positive != flip)
        col = Collector()
        self.gather(inner, col, 0)
        return [(self.text(inner), positive, col)]

    def gather(self, node: Node, col: Collector, depth: int) -> None:
        if depth > 40:
            return
        t = node.type
        if t == "identifier":
            col.refs.append(self.text(node))
        elif t == "string_literal":
            col.strings.append(self.string_value(node))
            return
        elif t == "method_invocation":
            obj = node.child_by_field_name("object")
            name = self.text(node.child_by_field_name("name"))
            col.calls.append(f"{self.text(obj)}.{name}" if obj is not None else name)
        for c in node.children:
            if c.is_named or c.child_count:  # an anonymous leaf (a token: `(`, `.`, `&&`) holds nothing to gather
                self.gather(c, col, depth + 1)

    def v_if(self, node: Node, depth: int) -> None:
        cond = node.child_by_field_name("condition")
        then = node.child_by_field_name("consequence")
        other = node.child_by_field_name("alternative")
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

    v_ternary = v_if

    def v_switch(self, node: Node, depth: int) -> None:
        """Each case of a `switch` runs only when the subject equals its label: `case BUTTON_POSITIVE:` is
        recorded as a guard `which == BUTTON_POSITIVE` (several labels or `default`: a guard without atoms)."""
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("body")
        if cond is not None:
            self.visit(cond, depth + 1)
        if body is None:
            return
        subject = self.text(cond).strip().removeprefix("(").removesuffix(")").strip() if cond is not None else ""
        for group in body.named_children:
            labels = [c for c in group.named_children if c.type == "switch_label"]
            values = [c.named_children[0] for c in labels if c.named_child_count == 1]
            atoms: tuple = ()
            if len(labels) == 1 and len(values) == 1 and subject:
                col = Collector()
                if cond is not None:
                    self.gather(cond, col, 0)
                self.gather(values[0], col, 0)
                atoms = self.make_atoms(True, [(f"{subject} == {self.text(values[0])}", True, col)])
            self.guards.append(Guard("when", atoms, group.start_point[0] + 1))
            if group.type == "switch_block_statement_group":
                self.visit_statements(group, depth + 1)
            else:
                for c in group.named_children:
                    if c.type != "switch_label":
                        self.visit(c, depth + 1)
            self.guards.pop()

    def v_binary(self, node: Node, depth: int) -> None:
        """`a && f()` calls `f` only when `a` holds, `a || f()` only when it does not: the right operand is
        guarded by the left (short-circuit evaluation)."""
        op = self.text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op not in ("&&", "||") or left is None or right is None:
            for c in node.named_children:
                self.visit(c, depth + 1)
            return
        self.visit(left, depth + 1)
        self.guards.append(Guard("if", self.make_atoms(True, self.atoms_of(left, op == "&&")),
                                 node.start_point[0] + 1))
        self.visit(right, depth + 1)
        self.guards.pop()

    def is_exit(self, node: Node | None) -> bool:
        if node is None:
            return False
        if node.type in ("return_statement", "throw_statement"):
            return True
        if node.type == "block":
            named = [c for c in node.named_children if c.type not in ("line_comment", "block_comment")]
            return bool(named) and self.is_exit(named[-1])
        if node.type == "expression_statement" and node.named_child_count:
            inner = node.named_children[0]
            if inner.type == "method_invocation":
                return self.text(inner.child_by_field_name("name")) in EXIT_CALLS
        return False

    def early_return_guard(self, node: Node) -> Guard | None:
        cond = node.child_by_field_name("condition")
        if cond is None or node.child_by_field_name("alternative") is not None:
            return None
        if not self.is_exit(node.child_by_field_name("consequence")):
            return None
        return Guard("early-return", self.make_atoms(True, self.atoms_of(cond, False)), node.start_point[0] + 1)


_HANDLERS = {
    "import_declaration": JavaExtractor.v_import,
    "package_declaration": lambda self, node, depth: None,
    "method_declaration": JavaExtractor.v_method,
    "constructor_declaration": JavaExtractor.v_method,
    "compact_constructor_declaration": JavaExtractor.v_method,
    "static_initializer": JavaExtractor.v_static_init,
    "field_declaration": JavaExtractor.v_field,
    "constant_declaration": JavaExtractor.v_field,
    "local_variable_declaration": JavaExtractor.v_local,
    "method_invocation": JavaExtractor.v_invocation,
    "object_creation_expression": JavaExtractor.v_new,
    "field_access": JavaExtractor.v_field_access,
    "method_reference": JavaExtractor.v_method_ref,
    "lambda_expression": JavaExtractor.v_lambda,
    "if_statement": JavaExtractor.v_if,
    "ternary_expression": JavaExtractor.v_ternary,
    "switch_expression": JavaExtractor.v_switch,
    "switch_statement": JavaExtractor.v_switch,
    "binary_expression": JavaExtractor.v_binary,
    "string_literal": JavaExtractor.v_string,
    "line_comment": JavaExtractor.v_comment,
    "block_comment": JavaExtractor.v_comment,
    "identifier": JavaExtractor.v_identifier,
    "assignment_expression": JavaExtractor.v_assign,
    "class_literal": lambda self, node, depth: self.collect_ref(self.text(node)),
}
