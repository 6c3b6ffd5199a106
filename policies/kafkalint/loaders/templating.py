"""Jinja in inventory values, rendered only where that is safe; the rest left unresolved.

An inventory from a pull request may hold ``{{ lookup('pipe', 'curl ...') }}``: rendering it
as Ansible does would run it. kafkalint renders a value only when its template is made of:

- variable references, attribute and item access (``a.b``, ``a['b']``, ``a[0]``, ``a[1:3]``,
  on mappings and lists only: never a Python attribute or method), the inventory's magic
  variables (``inventory_hostname``, ``group_names``, ``groups``, ``hostvars``);
- literals (strings, numbers, lists, mappings), ``~``, arithmetic, comparisons, ``and`` /
  ``or`` / ``not``, ``x if c else y``, the tests ``defined``, ``undefined``, ``none``,
  ``string``, ``number``, ``mapping``, ``sequence``, ``boolean``;
- the pure filters in :data:`FILTERS` (also as ``ansible.builtin.<name>``).

Anything else (``lookup`` / ``query`` and every other call, other filters, ``{% %}``
statements, ``%`` string formatting) is not evaluated: the value is *unresolved*, and the
model records why at its line (``Setting.unresolved``: "uses lookup('pipe'), which kafkalint
never runs"), so rules do not judge it and KL005 can report it. A value is unresolved too when
it uses an undefined variable, refers to itself, nests variable references deeper than
:data:`~kafkalint.limits.MAX_TEMPLATE_DEPTH`, renders to more than
:data:`~kafkalint.limits.MAX_TEMPLATE_OUTPUT` characters or takes longer than
:data:`~kafkalint.limits.TEMPLATE_SECONDS`.

Templates are parsed by jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` and
evaluated here, node by node, without generating or running Python code: stricter than the
sandbox, and every step is bounded. As in Ansible 2.19, a template that is one expression
(``{{ partitions * 3 }}``) renders to its native value (12, not "12"); text around it makes a
string. ``!unsafe`` strings are never templated; ``!vault`` values are decrypted with the
password given (:mod:`kafkalint.loaders.vault`) or left unresolved.

An unresolved value is an :class:`Unresolved` string whose text is a sentinel unique to the
run: it survives the string formatting of :mod:`kafkalint.effective` (a listener built from an
unresolved ``ansible_host`` is unresolved too), and :func:`reason` finds it again.
"""

from __future__ import annotations

import json
import math
import secrets
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kafkalint import limits, redact
from kafkalint.loaders.yamlread import Positions, Unsafe, Vaulted, may_template

if TYPE_CHECKING:
    from kafkalint.loaders.vault import Vault

__all__ = ["FILTERS", "Renderer", "Unresolved", "reason"]

_TOKEN = secrets.token_hex(6)
_PREFIX = f"\x00kafkalint-unresolved-{_TOKEN}-"
_REASONS: list[str] = []


class Unresolved(str):
    """A value kafkalint did not render; ``reason(value)`` says why."""

    __slots__ = ()


def unresolved(why: str) -> Unresolved:
    """A new unresolved value for ``why``."""
    _REASONS.append(why)
    return Unresolved(f"{_PREFIX}{len(_REASONS) - 1}\x00")


def _reason_in(text: str) -> str | None:
    start = text.find(_PREFIX)
    if start < 0:
        return None
    end = text.find("\x00", start + len(_PREFIX))
    index = text[start + len(_PREFIX) : end]
    return _REASONS[int(index)] if index.isdigit() and int(index) < len(_REASONS) else "unresolved"


def reason(value: Any) -> str | None:
    """Why ``value`` (or anything inside it) is unresolved; ``None`` when it is not."""
    if not _REASONS:
        return None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _reason_in(item)
            if found is not None:
                return found
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return None


# -- evaluation -----------------------------------------------------------------------------------


class _Stop(Exception):
    """The template cannot be rendered safely: ``args[0]`` says why."""


class _Undefined:
    """An undefined value: ``default`` and the ``defined`` tests take it, anything else stops."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self) -> _Stop:
        return _Stop(f"uses the undefined variable {redact.quote(self.name)}")


def _bounded(value: Any) -> Any:
    if isinstance(value, (str, list, dict)) and len(value) > limits.MAX_TEMPLATE_OUTPUT:
        raise _Stop(f"renders to more than {limits.MAX_TEMPLATE_OUTPUT:,} characters")
    return value


def _defined(value: Any) -> Any:
    if isinstance(value, _Undefined):
        raise value.fail()
    return value


def _text(value: Any) -> str:
    """A value as Jinja prints it."""
    value = _defined(value)
    if isinstance(value, str):
        return value
    if value is None:
        return "None"
    return str(value)


def _to_bool(value: Any) -> bool:
    """Ansible's ``bool`` filter."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "on", "1", "true", "y")
    if isinstance(value, (int, float)):
        return value == 1
    return False


def _to_int(value: Any, default: Any = 0, base: int = 10) -> Any:
    """Jinja's ``int`` filter."""
    try:
        if isinstance(value, str):
            return int(value, base)
        return int(value)
    except (TypeError, ValueError, OverflowError):
        try:
            return int(float(value))
        except (TypeError, ValueError, OverflowError):
            return default


def _to_float(value: Any, default: Any = 0.0) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _replace(value: Any, old: Any, new: Any, count: Any = None) -> str:
    text, old_text, new_text = _text(value), _text(old), _text(new)
    occurrences = text.count(old_text) if old_text else len(text) + 1
    if count is not None:
        occurrences = min(occurrences, int(count))
    if len(text) + occurrences * len(new_text) > limits.MAX_TEMPLATE_OUTPUT:
        raise _Stop(f"renders to more than {limits.MAX_TEMPLATE_OUTPUT:,} characters")
    return text.replace(old_text, new_text) if count is None else text.replace(old_text, new_text, int(count))


def _join(value: Any, separator: Any = "") -> str:
    items = [_text(item) for item in _sequence(value)]
    sep = _text(separator)
    if sum(map(len, items)) + len(sep) * len(items) > limits.MAX_TEMPLATE_OUTPUT:
        raise _Stop(f"renders to more than {limits.MAX_TEMPLATE_OUTPUT:,} characters")
    return sep.join(items)


def _sequence(value: Any) -> list[Any]:
    value = _defined(value)
    if isinstance(value, Mapping):
        return list(value)
    if isinstance(value, (list, tuple, str)):
        return list(value)
    raise _Stop(f"a filter expects a list, not {type(value).__name__}")


def _first(value: Any) -> Any:
    items = _sequence(value)
    return items[0] if items else _Undefined("first item")


def _last(value: Any) -> Any:
    items = _sequence(value)
    return items[-1] if items else _Undefined("last item")


def _to_json(value: Any, **options: Any) -> str:
    allowed = {key: option for key, option in options.items() if key in ("indent", "sort_keys", "separators")}
    return json.dumps(_plain(value), **allowed)


def _round(value: Any, precision: Any = 0, method: Any = "common") -> Any:
    number = float(_defined(value))
    digits = int(precision)
    if method == "ceil":
        return math.ceil(number * 10**digits) / 10**digits
    if method == "floor":
        return math.floor(number * 10**digits) / 10**digits
    return round(number, digits)


#: The filters kafkalint evaluates: pure, bounded, and the same as Jinja's or Ansible's.
FILTERS: dict[str, Callable[..., Any]] = {
    "int": _to_int,
    "float": _to_float,
    "string": _text,
    "bool": _to_bool,
    "lower": lambda value: _text(value).lower(),
    "upper": lambda value: _text(value).upper(),
    "capitalize": lambda value: _text(value).capitalize(),
    "trim": lambda value, chars=None: _text(value).strip(chars),
    "join": _join,
    "length": lambda value: len(_sequence(value)),
    "count": lambda value: len(_sequence(value)),
    "first": _first,
    "last": _last,
    "replace": _replace,
    "to_json": _to_json,
    "abs": lambda value: abs(_defined(value)),
    "round": _round,
    "min": lambda value: min(_sequence(value)),
    "max": lambda value: max(_sequence(value)),
    "list": _sequence,
    "unique": lambda value: list(dict.fromkeys(_sequence(value))),
}
#: Filters that take an undefined value (``default`` also takes the names ``d``).
_UNDEFINED_FILTERS = ("default", "d", "mandatory")
_TESTS: dict[str, Callable[[Any], bool]] = {
    "defined": lambda value: not isinstance(value, _Undefined),
    "undefined": lambda value: isinstance(value, _Undefined),
    "none": lambda value: value is None,
    "string": lambda value: isinstance(value, str),
    "number": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "float": lambda value: isinstance(value, float),
    "boolean": lambda value: isinstance(value, bool),
    "mapping": lambda value: isinstance(value, Mapping),
    "sequence": lambda value: isinstance(value, (list, tuple, str, Mapping)),
}


def _plain(value: Any) -> Any:
    if isinstance(value, _Undefined):
        raise value.fail()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _filter_name(name: str) -> str:
    return name[len("ansible.builtin.") :] if name.startswith("ansible.builtin.") else name


_STATEMENTS = {
    "If": "{% if %}",
    "For": "{% for %}",
    "Macro": "{% macro %}",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %}",
    "With": "{% with %}",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "ExprStmt": "{% do %}",
    "Scope": "a scope",
}
_ALLOWED = frozenset(
    {
        "Template", "Output", "TemplateData", "Const", "Name", "Getattr", "Getitem", "Slice", "Filter",
        "Test", "CondExpr", "And", "Or", "Not", "Neg", "Pos", "Add", "Sub", "Mul", "Div", "FloorDiv",
        "Pow", "Concat", "Compare", "Operand", "List", "Tuple", "Dict", "Pair", "Keyword",
    }
)  # fmt: skip


def _call_reason(node: Any) -> str:
    target = node.node
    name = getattr(target, "name", None) or getattr(target, "attr", None) or "a function"
    if name in ("lookup", "query", "q"):
        plugin = node.args[0].value if node.args and type(node.args[0]).__name__ == "Const" else "..."
        return f"uses {name}({redact.quote(str(plugin))}), which kafkalint never runs"
    return f"calls {redact.quote(str(name))}(), which kafkalint never runs"


def _unsafe_construct(tree: Any) -> str | None:
    """Why the parsed template ``tree`` cannot be evaluated here (``None`` when it can)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = type(node).__name__
        if kind == "Call":
            return _call_reason(node)
        if kind in _STATEMENTS:
            return f"uses a {_STATEMENTS[kind]} statement, which kafkalint does not evaluate"
        if kind not in _ALLOWED:
            return f"uses {kind}, which kafkalint does not evaluate"
        if kind == "Name" and node.ctx != "load":
            return "assigns a variable, which kafkalint does not evaluate"
        if kind == "Filter":
            name = _filter_name(node.name)
            if name not in FILTERS and name not in _UNDEFINED_FILTERS:
                return f"uses the filter {redact.quote(node.name)}, which kafkalint does not evaluate"
        if kind == "Test" and node.name not in _TESTS:
            return f"uses the test {redact.quote(node.name)}, which kafkalint does not evaluate"
        if kind in ("Filter", "Test") and (node.dyn_args is not None or node.dyn_kwargs is not None):
            return "passes *args or **kwargs, which kafkalint does not evaluate"
        stack.extend(node.iter_child_nodes())
    return None


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[Any, str | None]:
    """(parsed template, ``None``) or (``None``, why it cannot be rendered), once per text."""
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    try:
        tree = _environment(ImmutableSandboxedEnvironment).parse(text)
    except TemplateSyntaxError as error:
        return None, f"is not a valid Jinja template ({redact.truncate(error.message or 'syntax error', 120)})"
    except (RecursionError, MemoryError):
        return None, "nests too deeply to render"
    why = _unsafe_construct(tree)
    return (None, why) if why else (tree, None)


_ENVIRONMENT: Any = None


def _environment(kind: Any) -> Any:
    global _ENVIRONMENT  # noqa: PLW0603 - one parser per process
    if _ENVIRONMENT is None:
        _ENVIRONMENT = kind()
    return _ENVIRONMENT


_INT_BITS = 4096


class _Evaluator:
    """Evaluates one parsed template against ``lookup`` (a variable's value by name)."""

    def __init__(self, lookup: Callable[[str], Any], deadline: float) -> None:
        self.lookup = lookup
        self.deadline = deadline

    def template(self, tree: Any) -> Any:
        parts: list[Any] = []
        for statement in tree.body:
            parts.extend(statement.nodes)  # the checks let Output nodes only through
        if len(parts) == 1 and type(parts[0]).__name__ != "TemplateData":
            return _plain(self.eval(parts[0]))  # one expression: its native value
        pieces = [part.data if type(part).__name__ == "TemplateData" else _text(self.eval(part)) for part in parts]
        return _bounded("".join(pieces))

    def eval(self, node: Any) -> Any:
        if time.monotonic() > self.deadline:
            raise _Stop(f"takes longer than {limits.TEMPLATE_SECONDS:g} s to render")
        kind = type(node).__name__
        if kind == "Const":
            return node.value
        if kind == "Name":
            return self.lookup(node.name)
        if kind == "TemplateData":
            return node.data
        if kind in ("Getattr", "Getitem"):
            return self.item(node)
        if kind == "Filter":
            return self.filter(node)
        if kind == "Test":
            value = self.eval(node.node)
            return _TESTS[node.name](value)
        if kind == "CondExpr":
            if _truth(self.eval(node.test)):
                return self.eval(node.expr1)
            return self.eval(node.expr2) if node.expr2 is not None else _Undefined("the else branch")
        if kind == "And":
            left = self.eval(node.left)
            return self.eval(node.right) if _truth(left) else left
        if kind == "Or":
            left = self.eval(node.left)
            return left if _truth(left) else self.eval(node.right)
        if kind == "Not":
            return not _truth(self.eval(node.node))
        if kind == "Neg":
            return -_number(self.eval(node.node))
        if kind == "Pos":
            return +_number(self.eval(node.node))
        if kind == "Concat":
            return _bounded("".join(_text(self.eval(item)) for item in node.nodes))
        if kind == "Compare":
            return self.compare(node)
        if kind == "List":
            return _bounded([self.eval(item) for item in node.items])
        if kind == "Tuple":
            return _bounded([self.eval(item) for item in node.items])
        if kind == "Dict":
            return _bounded({_hashable(self.eval(pair.key)): self.eval(pair.value) for pair in node.items})
        return self.arithmetic(kind, node)

    def item(self, node: Any) -> Any:
        base = _defined(self.eval(node.node))
        if type(node).__name__ == "Getattr":
            key: Any = node.attr
        elif type(node.arg).__name__ == "Slice":
            return self.slice(base, node.arg)
        else:
            key = _defined(self.eval(node.arg))
        if isinstance(base, Mapping):
            if key in base:
                return base[key]
            return _Undefined(f"{key}")
        if isinstance(base, (list, tuple, str)) and isinstance(key, int) and not isinstance(key, bool):
            return base[key] if -len(base) <= key < len(base) else _Undefined(f"item {key}")
        return _Undefined(f"{key}")

    def slice(self, base: Any, node: Any) -> Any:
        if not isinstance(base, (list, tuple, str)):
            raise _Stop("slices only lists and strings")
        parts = [None if part is None else _defined(self.eval(part)) for part in (node.start, node.stop, node.step)]
        if not all(part is None or (isinstance(part, int) and not isinstance(part, bool)) for part in parts):
            raise _Stop("slices with integers only")
        return base[slice(*parts)]

    def filter(self, node: Any) -> Any:
        name = _filter_name(node.name)
        value = self.eval(node.node)
        args = [self.eval(arg) for arg in node.args]
        kwargs = {keyword.key: self.eval(keyword.value) for keyword in node.kwargs}
        if name in ("default", "d"):
            fallback = args[0] if args else kwargs.get("default_value", "")
            boolean = args[1] if len(args) > 1 else kwargs.get("boolean", False)
            if isinstance(value, _Undefined) or (_truth(boolean) and not _truth(value)):
                return fallback
            return value
        if name == "mandatory":
            return _defined(value)
        try:
            return _bounded(FILTERS[name](_defined(value), *(_defined(arg) for arg in args), **kwargs))
        except _Stop:
            raise
        except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as error:
            raise _Stop(f"fails in the filter {redact.quote(node.name)}: {type(error).__name__}") from None

    def compare(self, node: Any) -> bool:
        left = _defined(self.eval(node.expr))
        for operand in node.ops:
            right = _defined(self.eval(operand.expr))
            try:
                ok = _COMPARE[operand.op](left, right)
            except TypeError:
                raise _Stop("compares values of different types") from None
            if not ok:
                return False
            left = right
        return True

    def arithmetic(self, kind: str, node: Any) -> Any:
        left = _defined(self.eval(node.left))
        right = _defined(self.eval(node.right))
        try:
            if kind == "Add":
                if isinstance(left, str) and isinstance(right, str):
                    return _bounded(left + right)
                if isinstance(left, list) and isinstance(right, list):
                    return _bounded(left + right)
                return _number(left) + _number(right)
            if kind == "Sub":
                return _number(left) - _number(right)
            if kind == "Mul":
                if isinstance(left, (str, list)) or isinstance(right, (str, list)):
                    sized, times = (left, right) if isinstance(left, (str, list)) else (right, left)
                    if (
                        not isinstance(times, int)
                        or isinstance(times, bool)
                        or len(sized) * max(times, 0) > limits.MAX_TEMPLATE_OUTPUT
                    ):
                        raise _Stop(f"renders to more than {limits.MAX_TEMPLATE_OUTPUT:,} characters")
                    return sized * times
                return _big(_number(left) * _number(right))
            if kind == "Div":
                return _number(left) / _number(right)
            if kind == "FloorDiv":
                return _number(left) // _number(right)
            if kind == "Pow":
                base, exponent = _number(left), _number(right)
                if (
                    isinstance(base, int)
                    and isinstance(exponent, int)
                    and (exponent < 0 or exponent * max(abs(base), 2).bit_length() > _INT_BITS)
                ):
                    raise _Stop("raises a number to too high a power")
                return _big(base**exponent)
        except (ZeroDivisionError, OverflowError) as error:
            raise _Stop(f"fails: {type(error).__name__}") from None
        raise _Stop(f"uses {kind}, which kafkalint does not evaluate")  # pragma: no cover - _ALLOWED lists the rest


def _big(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > _INT_BITS:
        raise _Stop("computes a number too large to print")
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Stop(f"does arithmetic on {type(value).__name__}")
    return value


def _truth(value: Any) -> bool:
    return False if isinstance(value, _Undefined) else bool(value)


def _hashable(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise _Stop("uses a list or mapping as a mapping key")
    return value


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "lt": lambda a, b: bool(a < b),
    "lteq": lambda a, b: bool(a <= b),
    "gt": lambda a, b: bool(a > b),
    "gteq": lambda a, b: bool(a >= b),
    "in": lambda a, b: bool(a in b),
    "notin": lambda a, b: bool(a not in b),
}


# -- rendering an inventory's variables ------------------------------------------------------------------


class _HostVars(Mapping[str, Any]):
    """``hostvars``: every host's variables, rendered when read."""

    def __init__(self, renderer: Renderer, depth: int) -> None:
        self.renderer = renderer
        self.depth = depth

    def __getitem__(self, host: str) -> Any:
        if host not in self.renderer.variables:
            raise KeyError(host)
        return _HostView(self.renderer, host, self.depth)

    def __iter__(self) -> Iterator[str]:
        return iter(self.renderer.variables)

    def __len__(self) -> int:
        return len(self.renderer.variables)


class _HostView(Mapping[str, Any]):
    """One host's variables, each rendered when read."""

    def __init__(self, renderer: Renderer, host: str, depth: int) -> None:
        self.renderer = renderer
        self.host = host
        self.depth = depth

    def __getitem__(self, name: str) -> Any:
        value = self.renderer.resolve(self.host, name, self.depth)
        if isinstance(value, _Undefined):
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (
            name in self.renderer.variables[self.host] or name in self.renderer.magic(self.host)
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.renderer.variables[self.host])

    def __len__(self) -> int:
        return len(self.renderer.variables[self.host])


class Renderer:
    """Renders the variables of one inventory's hosts (see the module docstring).

    ``variables``: host -> its variables (Ansible's precedence applied, values as read);
    ``groups``: group -> its hosts; ``host_groups``: host -> the groups it is in (the
    ``group_names`` magic variable); ``inventory_file``: host -> where it was declared."""

    def __init__(  # noqa: PLR0917 - one call site
        self,
        variables: Mapping[str, Mapping[str, Any]],
        groups: Mapping[str, Sequence[str]],
        host_groups: Mapping[str, Sequence[str]],
        inventory_file: Mapping[str, str],
        positions: Positions,
        vault: Vault,
    ) -> None:
        self.variables = variables
        self.groups = {name: list(members) for name, members in groups.items()}
        self.host_groups = host_groups
        self.inventory_file = inventory_file
        self.positions = positions
        self.vault = vault
        self._memo: dict[tuple[str, str], Any] = {}
        self._active: set[tuple[str, str]] = set()
        self._scanned: dict[int, tuple[Any, bool]] = {}
        self.deadline = math.inf

    def magic(self, host: str) -> dict[str, Any]:
        source = self.inventory_file.get(host, "")
        return {
            "inventory_hostname": host,
            "inventory_hostname_short": host.split(".", 1)[0],
            "group_names": sorted(name for name in self.host_groups.get(host, ()) if name not in ("all", "ungrouped")),
            "groups": self.groups,
            "inventory_file": source,
            "inventory_dir": source.rsplit("/", 1)[0] if "/" in source else "",
        }

    def host(self, host: str, names: Sequence[str]) -> dict[str, Any]:
        """``host``'s variables with ``names`` rendered (the others as read)."""
        result = dict(self.variables[host])
        for name in names:
            if name in result and self._needs_rendering(result[name]):
                value = self.resolve(host, name, 0, top=True)
                result[name] = value
        return result

    def resolve(self, host: str, name: str, depth: int, *, top: bool = False) -> Any:
        """Variable ``name`` of ``host``, rendered (an :class:`Unresolved` value when it cannot
        be), undefined when the host has no such variable."""
        key = (host, name)
        if key in self._memo:
            return self._memo[key]
        variables = self.variables[host]
        if name not in variables:
            if name == "hostvars":
                return _HostVars(self, depth)
            magic = self.magic(host)
            return magic[name] if name in magic else _Undefined(name)
        if key in self._active:
            raise _Stop(f"refers to itself through {redact.quote(name)}")
        if depth > limits.MAX_TEMPLATE_DEPTH:
            raise _Stop(f"nests variable references deeper than {limits.MAX_TEMPLATE_DEPTH} levels")
        raw = variables[name]
        if not self._needs_rendering(raw):
            self._memo[key] = raw
            return raw
        self._active.add(key)
        if top:
            self.deadline = time.monotonic() + limits.TEMPLATE_SECONDS
        try:
            value = self._render(raw, host, depth, top)
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    def _needs_rendering(self, value: Any) -> bool:
        """Whether ``value`` holds a template or a vault value, once per container object
        (the hosts of a group share its values)."""
        if isinstance(value, str):
            return not isinstance(value, Unsafe) and may_template(value)
        if isinstance(value, Vaulted):
            return True
        if not isinstance(value, (dict, list)):
            return False
        if self.positions.without_templates(value):
            return False
        known = self._scanned.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        answer = _holds(value, self._needs_rendering)
        self._scanned[id(value)] = (value, answer)
        return answer

    def _render(self, value: Any, host: str, depth: int, top: bool) -> Any:
        """``value`` with its templates rendered; containers are copied only where something
        changed, and the copies keep the positions of the originals."""
        if isinstance(value, Vaulted):
            return self._decrypted(value)
        if isinstance(value, str):
            if isinstance(value, Unsafe) or not may_template(value):
                return value
            return self._string(value, host, depth, top)
        if isinstance(value, dict):
            items = {key: self._render(item, host, depth, top) for key, item in value.items()}
            if all(items[key] is item for key, item in value.items()):
                return value
            self.positions.carry(value, items)
            return items
        if isinstance(value, list):
            listed = [self._render(item, host, depth, top) for item in value]
            if all(new is old for new, old in zip(listed, value, strict=True)):
                return value
            self.positions.carry(value, listed)
            return listed
        return value

    def _decrypted(self, value: Vaulted) -> Any:
        from kafkalint.loaders.vault import VaultError

        try:
            return self.vault.decrypt(value.envelope)
        except VaultError as error:
            return unresolved(
                f"is {error}" if str(error).startswith("vault-encrypted") else f"cannot be decrypted: {error}"
            )

    def _string(self, text: str, host: str, depth: int, top: bool) -> Any:
        tree, why = _parse(text)
        if tree is None:
            return unresolved(why or "cannot be rendered")
        evaluator = _Evaluator(lambda name: self._lookup(host, name, depth + 1), self.deadline)
        try:
            return evaluator.template(tree)
        except _Stop as stop:
            if not top:
                raise
            return unresolved(str(stop.args[0]))
        except RecursionError:
            if not top:
                raise _Stop("nests too deeply to render") from None
            return unresolved("nests too deeply to render")

    def _lookup(self, host: str, name: str, depth: int) -> Any:
        value = self.resolve(host, name, depth)
        if isinstance(value, Unresolved):
            raise _Stop(f"uses {redact.quote(name)}, which {reason(value) or 'is unresolved'}")
        if isinstance(value, Vaulted):
            return self._decrypted(value)
        return self._plain_rendered(value, host, depth)

    def _plain_rendered(self, value: Any, host: str, depth: int) -> Any:
        if isinstance(value, (dict, list, Vaulted, str)) and self._needs_rendering(value):
            rendered = self._render(value, host, depth, False)
            found = reason(rendered)
            if found is not None:
                raise _Stop(f"uses a value that {found}")
            return rendered
        return value


def _holds(value: Any, test: Callable[[Any], bool]) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif test(item):
            return True
    return False
