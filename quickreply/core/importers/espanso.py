"""Espanso: a match file, a `match/` folder, or a package folder (`package.yml` + `_manifest.yml`).

`trigger`/`triggers` become the abbreviation, `replace` the body, `label` the title, the package or
file name the category. Variables are translated into our placeholders: `date` (chrono formats are
strftime formats), `clipboard`, `echo` (its fixed text), `choice`/`list`, `form` fields, and `$|$`
becomes ``{{cursor}}``. Other variable types (`shell`, `script`, `http`, `random`, `match` ...) are
never run: the match is skipped and reported, or, with `keep_unsupported`, imported with the
variable shown as plain ``[name]`` text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from quickreply.core.errors import ValidationError
from quickreply.core.importers.result import ImportedSnippet, ImportResult, clean_abbrev, title_from
from quickreply.core.importers.text import read_text

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VAR_REF = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_FORM_FIELD = re.compile(r"\[\[\s*([^\[\]]*?)\s*\]\]")
_YAML_SUFFIXES = (".yml", ".yaml")


class _Unsupported(Exception):
    """A variable we do not translate; the message says which and of what type."""


def read_espanso(path: Path, *, keep_unsupported: bool = False) -> ImportResult:
    """Read an Espanso match file, match folder or package folder.

    Raises ValidationError when `path` holds no readable Espanso matches at all.
    """
    path = Path(path)
    result = ImportResult(source=path.name, format="espanso")
    files = _match_files(path)
    if not files:
        raise ValidationError(f"{path}: no Espanso match files (.yml) there")
    for file, category in files:
        where = str(file.relative_to(path)) if path.is_dir() else file.name
        try:
            data = yaml.load(read_text(file), Loader=_Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            if len(files) == 1:
                raise ValidationError(f"{where}: not readable YAML ({_first_line(exc)})") from exc
            result.skip(where, f"not readable YAML ({_first_line(exc)})")
            continue
        if not isinstance(data, dict) or "matches" not in data:
            if len(files) == 1:
                raise ValidationError(f"{where}: not an Espanso match file (no 'matches' list)")
            continue  # config files and other YAML in the folder hold no matches
        _read_matches(data, category, where, result, keep_unsupported)
    return result


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _match_files(path: Path) -> list[tuple[Path, str]]:
    """Return (file, category name) for every match file; of a package, only its newest version."""
    if path.is_file():
        if path.name == "package.yml":
            return [(path, _package_name(path.parent))]
        return [(path, path.stem)]
    if not path.is_dir():
        raise ValidationError(f"{path}: no such file or folder")
    newest: dict[Path, Path] = {}
    files: list[tuple[Path, str]] = []
    for file in sorted(path.rglob("*")):
        if file.suffix not in _YAML_SUFFIXES or not file.is_file() or file.name.startswith("_"):
            continue
        if file.name == "package.yml":
            home = _package_home(file.parent)
            if home not in newest or _version_key(file.parent) > _version_key(newest[home]):
                newest[home] = file.parent
            continue
        files.append((file, file.stem))
    packages = [(folder / "package.yml", _package_name(folder)) for folder in newest.values()]
    return sorted(packages) + files


def _package_home(folder: Path) -> Path:
    """`packages/NAME/VERSION/` -> `packages/NAME`; an installed `NAME/` is its own home."""
    return folder.parent if _looks_like_version(folder.name) else folder


def _looks_like_version(name: str) -> bool:
    return bool(re.fullmatch(r"v?\d+(\.\d+)*([-.+][0-9A-Za-z.]+)?", name))


def _version_key(folder: Path) -> tuple[int, ...]:
    return (
        tuple(int(n) for n in re.findall(r"\d+", folder.name))
        if _looks_like_version(folder.name)
        else ()
    )


def _package_name(folder: Path) -> str:
    """Return a package's title from `_manifest.yml`, else its name, else its folder's name."""
    manifest = folder / "_manifest.yml"
    fallback = _package_home(folder).name
    if manifest.is_file():
        try:
            data = yaml.load(read_text(manifest), Loader=_Loader)  # noqa: S506
        except (yaml.YAMLError, ValidationError):
            return fallback
        if isinstance(data, dict):
            for key in ("title", "name"):
                if isinstance(data.get(key), str) and data[key].strip():
                    return str(data[key]).strip()
    return fallback


def _read_matches(
    data: dict[str, Any], category: str, where: str, result: ImportResult, keep: bool
) -> None:
    matches = data.get("matches")
    if not isinstance(matches, list):
        result.skip(where, "'matches' is not a list")
        return
    global_vars = _vars_by_name(data.get("global_vars"))
    for index, match in enumerate(matches):
        place = f"{where}: match {index + 1}"
        if not isinstance(match, dict):
            result.skip(place, "not a match (a mapping with trigger and replace)")
            continue
        triggers = _triggers(match)
        if triggers:
            place = f"{place} ({triggers[0]})"
        try:
            body = _body(match, {**global_vars, **_vars_by_name(match.get("vars"))}, keep)
        except _Unsupported as exc:
            result.skip(place, str(exc))
            continue
        if not body.strip():
            result.skip(place, "no replacement text")
            continue
        label = match.get("label")
        title = (
            str(label).strip()
            if isinstance(label, (str, int, float)) and str(label).strip()
            else ""
        )
        title = title or title_from(body, triggers[0] if triggers else category)
        if len(triggers) > 1:
            result.notes.append(
                f"{place}: only the first trigger became the abbreviation "
                f"({', '.join(triggers[1:])} dropped)"
            )
        abbrev = clean_abbrev(triggers[0]) if triggers else None
        result.add(ImportedSnippet(title, body, category, abbrev, place))


def _triggers(match: dict[str, Any]) -> list[str]:
    raw = match.get("triggers")
    if raw is None:
        raw = [match.get("trigger")] if match.get("trigger") is not None else []
    if not isinstance(raw, list):
        raw = [raw]
    return [str(t).strip() for t in raw if isinstance(t, (str, int, float)) and str(t).strip()]


def _vars_by_name(raw: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, list):
        return {}
    return {
        str(v["name"]): v
        for v in raw
        if isinstance(v, dict) and isinstance(v.get("name"), (str, int))
    }


def _body(match: dict[str, Any], variables: dict[str, dict[str, Any]], keep: bool) -> str:
    """Return the match's text in our placeholder syntax; raise _Unsupported when it cannot be."""
    for key in ("regex", "image_path", "html"):
        if key in match:
            raise _Unsupported(f"'{key}' matches are not supported")
    fields: dict[str, Any] = {}
    is_form = "form" in match and "replace" not in match
    if is_form:
        raw_fields = match.get("form_fields")
        fields = raw_fields if isinstance(raw_fields, dict) else {}
        text = _text(match.get("form"))
    else:
        replace = match.get("replace", match.get("markdown"))
        if replace is None:
            raise _Unsupported("no 'replace' text")
        text = _text(replace)

    def substitute(ref: re.Match[str]) -> str:
        name = ref.group(1)
        try:
            return _variable(name, variables)
        except _Unsupported:
            if keep:
                return f"[{name}]"
            raise

    text = _VAR_REF.sub(substitute, text)
    if is_form:
        text = _FORM_FIELD.sub(lambda m: _field(m.group(1), fields.get(m.group(1))), text)
    return text.replace("$|$", "{{cursor}}")


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise _Unsupported("the replacement is not text")
    if isinstance(value, (str, int, float)):
        return str(value)
    raise _Unsupported("the replacement is not text")


def _variable(name: str, variables: dict[str, dict[str, Any]]) -> str:
    base, _, member = name.partition(".")
    var = variables.get(base)
    if var is None:
        if base == "form" or member:
            raise _Unsupported(f"variable '{name}' is not defined")
        raise _Unsupported(f"variable '{name}' is not defined in the match")
    kind = str(var.get("type", ""))
    raw_params = var.get("params")
    params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
    if kind == "form" and member:
        fields = params.get("fields")
        return _field(member, fields.get(member) if isinstance(fields, dict) else None)
    if member:
        raise _Unsupported(f"variable '{name}' of type {kind} is not supported (never run)")
    if kind == "date":
        if "offset" in params:
            raise _Unsupported(f"date variable '{name}' with an offset is not supported")
        fmt = str(params.get("format") or "%Y-%m-%d")
        return "{{date:" + fmt + "}}" if fmt != "%Y-%m-%d" else "{{date}}"
    if kind == "clipboard":
        return "{{clipboard}}"
    if kind == "echo" and isinstance(params.get("echo"), (str, int, float)):
        return str(params["echo"])
    if kind in ("choice", "list"):
        return _choice(base, params.get("values"))
    raise _Unsupported(
        f"variable '{name}' of type {kind or 'unknown'} is not supported (never run)"
    )


def _field(name: str, spec: Any) -> str:
    """Return the placeholder for one form field: a choice when it lists values, else an input."""
    label = _label(name)
    if isinstance(spec, dict) and str(spec.get("type", "text")) in ("choice", "list"):
        return _choice(label, spec.get("values"))
    return "{{input:" + label + "}}"


def _choice(label: str, raw: Any) -> str:
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    if not isinstance(raw, list):
        raise _Unsupported(f"choice '{label}' has no list of values")
    values = []
    for item in raw:
        value = item.get("label", item.get("id")) if isinstance(item, dict) else item
        if isinstance(value, (str, int, float)) and str(value).strip():
            values.append(_label(str(value)))
    if len(values) < 2:
        raise _Unsupported(f"choice '{label}' needs at least two values")
    return "{{choice:" + "|".join([_label(label), *values]) + "}}"


def _label(text: str) -> str:
    """A label or option as our placeholder syntax can hold it (no braces, bars or newlines)."""
    return re.sub(r"[{}|\n\r]+", " ", text).strip() or "?"
