"""Which image files an insertion pastes: the snippet's images, as the application's rule allows.

Images go in only in paste mode (typing cannot carry a picture) and not where the rule or the
`image_paste_mode` setting says "text_only". A missing asset file is left out with a notice; the
text is inserted all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quickreply.core.app_rules import AppBehaviour
from quickreply.core.i18n import tr
from quickreply.core.library.assets import AssetStore
from quickreply.core.library.model import Snippet


@dataclass(frozen=True)
class ImagePlan:
    """The image files to paste, how, and what the agent should be told."""

    paths: tuple[Path, ...] = ()
    combine: bool = False
    missing: tuple[str, ...] = ()  # references whose file is gone
    skipped_for_typing: bool = False  # the app types instead of pasting: images left out


def plan_images(snippet: Snippet, behaviour: AppBehaviour, assets: AssetStore) -> ImagePlan:
    """Return the image files `snippet` pastes into an application that behaves as `behaviour`."""
    if not snippet.images or behaviour.image_paste_mode == "text_only":
        return ImagePlan()
    if behaviour.insert_mode == "type":
        return ImagePlan(skipped_for_typing=True)
    present = tuple(assets.path_for(ref) for ref in snippet.images if assets.exists(ref))
    missing = tuple(ref for ref in snippet.images if not assets.exists(ref))
    return ImagePlan(present, behaviour.image_paste_mode == "combined", missing)


def missing_notice(title: str, missing: tuple[str, ...]) -> str:
    """What to tell the agent when images of snippet `title` are missing (the text went in)."""
    return tr(
        "“{title}”: {count} image(s) are missing from the library and were not pasted; the text "
        "was inserted.",
        title=title,
        count=len(missing),
    )


def typing_notice() -> str:
    """What to tell the agent (once) when an application that types instead of pasting gets an
    image snippet."""
    return tr(
        "This application gets snippets typed, not pasted, so their images are left out; only "
        "the text is typed."
    )
