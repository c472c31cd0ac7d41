"""Who may edit the taxonomy and its rules, and who may correct a problem's category.

- The taxonomy and its rules are the installation's, edited by the inspection office's staff
  (Role.OFFICE_STAFF, in an office or one of its groups): anyone else is refused (403) before any
  record is looked up.
- A problem's category is corrected by hand by the office's staff who follow its round, and by the
  unit's people who edit its ledger (Action.EDIT_MEASURE: the clerk, the unit's administrator): they
  know their problems best, and the office sees every correction in the history. Never another
  unit's: the problem is looked up through `get_problem_for_user` (the same 404 as for none).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhenggai.ledger.access import RoundRights, get_problem_for_user, memberships_of
from zhenggai.ledger.models import Problem
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Role


def may_edit_taxonomy(user) -> bool:
    return any(m.role == Role.OFFICE_STAFF for m in memberships_of(user))


def require_taxonomy_editor(user) -> None:
    """Refuse (403) whoever is no office's staff."""
    if not may_edit_taxonomy(user):
        raise PermissionDenied


def may_correct_category(rights: RoundRights) -> bool:
    return Role.OFFICE_STAFF in rights.roles or Action.EDIT_MEASURE in rights.actions


def get_problem_to_categorise(user, pk: int) -> tuple[Problem, RoundRights]:
    """The problem, if the user may see it (else 404) and correct its category (else 403)."""
    problem, rights = get_problem_for_user(user, pk)
    if not may_correct_category(rights):
        raise PermissionDenied
    return problem, rights
