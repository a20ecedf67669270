"""One error tree: every error bagu raises on purpose is a BaguError with its exit and HTTP
status."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import bagu
from bagu import errors
from bagu.errors import BaguError


def _error_classes_in_bagu() -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    for module in pkgutil.walk_packages(bagu.__path__, "bagu."):
        # interfaces: they define no errors
        if module.name.startswith(("bagu.web", "bagu.cli", "bagu.__main__")):
            continue
        for _, value in inspect.getmembers(import_module(module.name), inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("bagu"):
                found.add(value)
    return found


def test_every_error_is_defined_in_the_tree_and_drawn_in_its_docstring() -> None:
    classes = _error_classes_in_bagu()
    public = {c for c in classes if not c.__name__.startswith("_")}
    assert {c.__module__ for c in public} == {"bagu.errors"}
    assert all(issubclass(c, BaguError) for c in public)
    for c in public:
        assert f"{c.__name__} " in (errors.__doc__ or ""), c


def test_each_error_has_its_own_statuses() -> None:
    # input bagu cannot use, like Click's usage
    assert (BaguError.exit_code, BaguError.http_status) == (2, 400)
    assert (errors.StoreBusy.exit_code, errors.StoreBusy.http_status) == (75, 409)
    assert (errors.OutsideVault.exit_code, errors.OutsideVault.http_status) == (77, 403)
    assert errors.SchemaTooNew.exit_code == errors.StoreError.exit_code == 74
    assert issubclass(errors.GlossaryFormatError, ValueError)
