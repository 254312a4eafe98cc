"""The people of ``site_config/units.yml`` who may sign a review, and which stages each may sign.

A review is judged against the roster of two revisions of units.yml, both before the merge: the merge
base (where the branch began: nothing the branch changed is in it) and the first parent (main just
before the merge: a key or role main has removed since the branch began no longer counts).
:func:`trusted_roster` keeps what both say: a person, each of their roles and each of their public
keys must be in both. So a branch cannot add its own reviewer or key, and a main line that was
fast-forwarded to a branch's commit cannot either.
"""

from __future__ import annotations

from dataclasses import dataclass

from mzpress.model.config import SiteConfig
from mzpress.model.review_policy import EMERGENCY_STAGE, PublicKey, stage_label


@dataclass(frozen=True)
class Reviewer:
    """One person of units.yml and the stages they may sign: ``(stage, unit id)``, "" for bureau level.

    ``keys``: the SSH public keys their signed approvals are verified against."""

    key: str
    name: str
    github: str
    roles: tuple[tuple[str, str], ...]
    keys: tuple[PublicKey, ...] = ()

    def may_sign(self, stage: str, unit_id: str | None) -> bool:
        if stage == "初审" and unit_id is not None:
            return (stage, unit_id) in self.roles
        return any(role == stage for role, _ in self.roles)

    @property
    def stages(self) -> tuple[str, ...]:
        """The stages this person may sign, each once, in the order units.yml names them."""
        return tuple(dict.fromkeys(stage for stage, _ in self.roles))

    def owns(self, fingerprint: str) -> bool:
        return any(k.fingerprint == fingerprint for k in self.keys)


def reviewers_of(config: SiteConfig) -> list[Reviewer]:
    """Everyone who may sign something, one entry per person (by account, or by name without one)."""
    people: dict[str, tuple[str, str, list[tuple[str, str]], list[PublicKey]]] = {}

    def add(person, stage: str, unit_id: str) -> None:
        key = person.github.lower() if person.github else f"name:{person.name}"
        _, _, roles, keys = people.setdefault(key, (person.name, person.github, [], []))
        if stage and (stage, unit_id) not in roles:
            roles.append((stage, unit_id))
        if person.emergency and (EMERGENCY_STAGE, "") not in roles:
            roles.append((EMERGENCY_STAGE, ""))
        keys.extend(k for k in person.ssh_keys if k not in keys)

    for unit in config.units:
        for person in unit.reviewers:  # a unit's reviewer without a stage is its 初审 (its head)
            add(person, person.stage or "初审", unit.id)
    for person in config.bureau_reviewers:
        add(person, person.stage, "")
    return [Reviewer(key, name, github, tuple(roles), tuple(keys))
            for key, (name, github, roles, keys) in people.items()]


def trusted_roster(at_base: list[Reviewer], at_parent: list[Reviewer]) -> list[Reviewer]:
    """The people, roles and keys both rosters name (see the module docstring)."""
    base = {r.key: r for r in at_base}
    result = []
    for reviewer in at_parent:
        before = base.get(reviewer.key)
        if before is None:
            continue
        roles = tuple(role for role in reviewer.roles if role in before.roles)
        if roles:
            keys = tuple(k for k in reviewer.keys if k in before.keys)
            result.append(Reviewer(reviewer.key, reviewer.name, reviewer.github, roles, keys))
    return result


def roles_text(reviewer: Reviewer, config: SiteConfig) -> str:
    parts = []
    for stage, unit_id in reviewer.roles:
        unit = config.unit_by_id.get(unit_id)
        parts.append(f"{unit.name}{stage_label(stage)}人" if unit else f"{stage_label(stage)}人")
    return "、".join(parts) or "没有审核环节"


def reviewer_with_key(reviewers: list[Reviewer], key: PublicKey) -> Reviewer | None:
    return next((r for r in reviewers if key in r.keys), None)
