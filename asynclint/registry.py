"""Finds every rule in `asynclint.rules`, one per module, and checks the catalogue is sound."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

from asynclint.rule import Rule

_CODE = re.compile(r"^AIO[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RegistryError(Exception):
    pass


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    import asynclint.rules as package

    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                found.append(value)
    codes: dict[str, type[Rule]] = {}
    names: dict[str, type[Rule]] = {}
    for rule in found:
        if not _CODE.match(getattr(rule, "CODE", "")):
            raise RegistryError(f"{rule.__name__}: code {getattr(rule, 'CODE', None)!r} is not AIO + 3 digits")
        if not _NAME.match(getattr(rule, "NAME", "")):
            raise RegistryError(f"{rule.__name__}: name {getattr(rule, 'NAME', None)!r} is not kebab-case")
        for key, table in ((rule.CODE, codes), (rule.NAME, names)):
            if key in table:
                raise RegistryError(f"{key} is used by both {table[key].__name__} and {rule.__name__}")
            table[key] = rule
    return tuple(sorted(found, key=lambda r: r.CODE))


def get_rule(code_or_name: str) -> type[Rule] | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.CODE == wanted.upper() or rule.NAME == wanted.lower().replace(".", "-"):
            return rule
    return None


def codes() -> list[str]:
    return [rule.CODE for rule in all_rules()]
