"""Turn one item's raw data into a model, and pydantic's errors into diagnostics."""

from __future__ import annotations

import difflib
import re
import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from mitrm.core.checking.checks import FILE_CHECKS
from mitrm.core.checking.workflow import missing_fields, workflow_for
from mitrm.core.diagnostics import Diagnostic, Loc, format_loc
from mitrm.core.models import MODELS, Item, Settings
from mitrm.core.record import Record
from mitrm.core.vocabulary import shown
from mitrm.i18n import N_, _, ngettext

_FRIENDLY = {
    "decimal_parsing": N_("must be a number"),
    "decimal_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "date_parsing": N_("must be a date written YYYY-MM-DD"),
    "date_type": N_("must be a date written YYYY-MM-DD"),
    "date_from_datetime_inexact": N_("must be a date without a time"),
    "date_from_datetime_parsing": N_("must be a date written YYYY-MM-DD"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list (one '- ' line per entry)"),
    "model_type": N_("must be a mapping of fields"),
    "model_attributes_type": N_("must be a mapping of fields"),
    "dict_type": N_("must be a mapping of fields"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "string_too_short": N_("must not be empty"),
    "finite_number": N_("must be a finite number"),
}
# A field that wants a date: a YAML-trap hint ("quote it") would not help there.
DATE_PROBLEMS = (_FRIENDLY["date_parsing"], _FRIENDLY["date_from_datetime_inexact"])


# The patterns of the models, in words.
_FORMS = {
    r"^[A-Z][A-Z0-9]*$": N_("capital letters and digits, beginning with a letter (e.g. REQ)"),
    r"^[A-Z]{3}$": N_("a three-letter currency code in capitals (e.g. CNY, EUR, USD)"),
    r"^MIT[0-9]{3}$": N_("a rule code like MIT401"),
}


def _got(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return repr(value) if not hasattr(value, "isoformat") else str(value)


def _message(error: ErrorDetails, model: type[BaseModel]) -> tuple[str, str, bool]:
    """Return (code, message, points_at_key) for one pydantic error."""
    loc = tuple(error["loc"])
    where = format_loc(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _field_names(model, loc[:-1])
        message = _("unknown field '{field}'").format(field=where)
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if close:
            message += _("; did you mean '{field}'?").format(field=close[0])
        elif allowed:
            message += _(" (allowed here: {names})").format(names=", ".join(sorted(allowed)))
        return "MIT101", message, True
    if kind == "missing":
        return "MIT103", _("missing required field '{field}'").format(field=where), True
    got = _got(error.get("input"))
    if kind == "value_error":
        reason = error.get("ctx", {}).get("error")
        return "MIT102", f"field '{where}': {reason or error['msg']}", False
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        choices = re.sub(r"'(\w+)'", r"\1", str(expected)).replace(" or ", ", ")
        message = _("field '{field}' must be one of: {choices} (got {got})").format(
            field=where, choices=choices, got=got
        )
        given = error.get("input")
        if isinstance(given, str):
            close = difflib.get_close_matches(
                given.strip().lower(), choices.split(", "), n=1, cutoff=0.6
            )
            if close:
                message += _("; did you mean '{field}'?").format(field=close[0])
        return "MIT104", message, False
    if kind == "string_pattern_mismatch":
        if loc and (loc[-1] in ("id",) or isinstance(loc[-1], int) or str(loc[-1]) == "rule"):
            message = (
                _("field '{field}' must be a rule code like MIT101 (got {got})")
                if "rule" in loc
                else _("field '{field}' must be an id like REQ-0001 (got {got})")
            )
            return "MIT102", message.format(field=where, got=got), False
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        form = _FORMS.get(pattern)
        if form:
            message = _("field '{field}' must be {form} (got {got})")
            return "MIT102", message.format(field=where, form=_(form), got=got), False
        message = _("field '{field}' is not in the expected form (got {got})")
        return "MIT102", message.format(field=where, got=got), False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        ctx = error.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        message = {
            "greater_than_equal": _("field '{field}' must be at least {bound} (got {got})"),
            "greater_than": _("field '{field}' must be more than {bound} (got {got})"),
            "less_than_equal": _("field '{field}' must be at most {bound} (got {got})"),
            "less_than": _("field '{field}' must be less than {bound} (got {got})"),
        }[kind]
        return "MIT102", message.format(field=where, bound=bound, got=got), False
    friendly = _FRIENDLY.get(kind)
    if friendly:
        message = _("field '{field}' {problem} (got {got})")
        return "MIT102", message.format(field=where, problem=_(friendly), got=got), False
    message = _("field '{field}': {problem} (got {got})")
    return "MIT102", message.format(field=where, problem=error["msg"], got=got), False


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/list/Annotated down to the model class, if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    if origin in (list, tuple):
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _unwrap(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def errors_to_diagnostics(
    exc: ValidationError, model: type[BaseModel], path: str, item: str | None
) -> list[Diagnostic]:
    """Turn pydantic's errors into diagnostics that carry the field path."""
    found = []
    for error in exc.errors(include_url=False):
        code, message, key = _message(error, model)
        found.append(Diagnostic(path, code, message, item=item, loc=tuple(error["loc"]), key=key))
    return found


@lru_cache(maxsize=16)
def _id_pattern(prefix: str, digits: int) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(prefix)}-[0-9]{{{digits},}}$")


def validate_item(record: Record, *, settings: Settings, checks: bool = True) -> None:
    """Validate ``record.data`` into ``record.model``; append diagnostics to the record.

    ``checks=False`` builds the model only, without the per-file rules: read-only
    commands such as ``prioritize`` need the models, not the report.
    """
    data = record.data
    if data is None:
        return
    raw_id = data.get("id")
    if isinstance(raw_id, str):
        record.id = raw_id.strip()
    model_cls = MODELS[record.kind]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        record.diagnostics += errors_to_diagnostics(exc, model_cls, record.path, record.id)
        return
    record.model = model
    if not checks:
        return
    _check_identity(record, model, settings)
    _check_required(record, data, settings)
    for check in FILE_CHECKS:
        record.diagnostics += check(record, model, settings)


def _check_identity(record: Record, model: Item, settings: Settings) -> None:
    scheme = settings.ids.for_kind(record.kind)
    if not _id_pattern(scheme.prefix, scheme.digits).match(model.id):
        example = f"{scheme.prefix}-{'0' * (scheme.digits - 1)}1"
        record.diagnostics.append(
            Diagnostic(
                record.path,
                "MIT207",
                _(
                    "id '{id}' does not fit the {kind} id scheme "
                    "({example}, set in mitrm.yaml {key})"
                ).format(
                    id=model.id,
                    kind=shown("kind", record.kind.value),
                    example=example,
                    key=f"ids.{record.kind.value}",
                ),
                item=model.id,
                loc=("id",),
            )
        )
    name = record.path.rsplit("/", 1)[-1]
    rest = name[len(model.id) :] if name.startswith(model.id) else None
    if rest is None or not (rest.startswith("-") or rest.startswith(".")):
        record.diagnostics.append(
            Diagnostic(
                record.path,
                "MIT202",
                _(
                    "file name '{name}' must begin with the item's id '{id}' "
                    "(e.g. {id}-short-title.yaml)"
                ).format(name=name, id=model.id),
                item=model.id,
                loc=("id",),
            )
        )


def _check_required(record: Record, data: dict[str, Any], settings: Settings) -> None:
    status = data.get("status")
    workflow = workflow_for(record.kind, settings)
    gaps = missing_fields(data, workflow.required_fields(str(status)))
    if not gaps:
        return
    # One diagnostic per file, on the status line: the list is what the user acts on.
    names = list(dict.fromkeys(format_loc(loc) if "*" in path else path for loc, path in gaps))
    record.diagnostics.append(
        Diagnostic(
            record.path,
            "MIT301",
            ngettext(
                "status '{status}' requires {fields}; fill it in or choose an earlier status",
                "status '{status}' requires {fields}; fill them in or choose an earlier status",
                len(names),
            ).format(status=status, fields=_listing(names)),
            item=record.id,
            loc=("status",),
        )
    )


def _listing(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    return _("{some} and {last}").format(some=_(", ").join(quoted[:-1]), last=quoted[-1])
