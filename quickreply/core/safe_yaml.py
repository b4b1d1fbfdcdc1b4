"""Reading YAML a stranger may have written (packs): PyYAML's safe loader without aliases or
anchors, with bounded nesting. Used through `quickreply.core.safe_load.load_yaml`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent

from quickreply.core.errors import ValidationError
from quickreply.core.load_problems import MAX_DEPTH, first_line, value_problem


def load_bounded_yaml(text: str, where: str, max_depth: int) -> Any:
    """`safe_load.load_yaml`: the YAML value in `text`, aliases, anchors and nesting deeper
    than `max_depth` refused; ValidationError naming `where` for anything else."""
    loader = _BoundedLoader(text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise ValidationError(f"{where}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ValidationError(f"{where}: not valid YAML ({first_line(exc)})") from exc
    except RecursionError as exc:
        raise ValidationError(f"{where}: nested deeper than {max_depth} levels") from exc
    except (ValueError, TypeError, OverflowError) as exc:  # bad timestamps, huge integers
        raise ValidationError(f"{where}: {value_problem(exc)}") from exc
    finally:
        loader.dispose()


class _Refused(Exception):
    """A YAML construct we do not read (alias, anchor, too deep)."""


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases/anchors and counts nesting while it composes."""

    max_depth = MAX_DEPTH
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(
                f"YAML aliases (*{event.anchor}) are not allowed in packs; write the value out"
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                f"YAML anchors (&{anchor}) are not allowed in packs; write the value out"
            )
        nested = isinstance(event, CollectionStartEvent)
        if nested:
            self._depth += 1
            if self._depth > self.max_depth:
                raise _Refused(f"nested deeper than {self.max_depth} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1
