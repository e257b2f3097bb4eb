"""EntityChecks: the base of a test class that gives every entity of some modules its checks."""

from __future__ import annotations

from .entity_run import EntityRun
from .helpers import EntityCase, checks_for, entities_in


class EntityChecks:
    """Base of a test class: every EntityViews of `modules` gets the checks that apply to it.

    Subclass it in a test module (the class name must start with Test), name the modules whose
    entities are covered, give one EntityCase per entity slug in `cases`, and list known bugs in
    `xfail` by test id ("customer-export", "customer-perms-warehouse") with the reason. Tests:

    - test_entity[<slug>-<check>]: one check of CHECKS that applies to the entity;
    - test_permissions[<slug>-perms-<role>]: the role table, for every role and entity;
    - test_every_entity_has_sample_data: a new entity without a case fails here, not silently.
    """

    modules: tuple = ()
    cases: dict[str, EntityCase] = {}
    xfail: dict[str, str] = {}

    @classmethod
    def entities(cls) -> list:
        return entities_in(*cls.modules)

    def _param(self, test_id: str, *values):
        import pytest

        marks = [pytest.mark.xfail(strict=True, reason=self.xfail[test_id])] if test_id in self.xfail else []
        return pytest.param(*values, id=test_id, marks=marks)

    def pytest_generate_tests(self, metafunc) -> None:
        from gendan.accounts.choices import Role

        covered = [e for e in self.entities() if e.slug in self.cases]
        if "entity_check" in metafunc.fixturenames:
            params = [self._param(f"{e.slug}-{c}", (e, c)) for e in covered for c in checks_for(e)]
            metafunc.parametrize("entity_check", params)
        if "entity_role" in metafunc.fixturenames:
            params = [self._param(f"{e.slug}-perms-{r}", (e, r)) for e in covered for r in Role.values]
            metafunc.parametrize("entity_role", params)

    def _run(self, entity, make, users, on_commit) -> EntityRun:
        return EntityRun(entity, self.cases[entity.slug], make=make, users=users, on_commit=on_commit)

    def test_entity(self, entity_check, make, users, django_capture_on_commit_callbacks) -> None:
        entity, check = entity_check
        run = self._run(entity, make, users, django_capture_on_commit_callbacks)
        getattr(run, "check_" + check.replace("-", "_"))()

    def test_permissions(self, entity_role, make, users, django_capture_on_commit_callbacks) -> None:
        entity, role = entity_role
        self._run(entity, make, users, django_capture_on_commit_callbacks).check_permissions(role)

    def test_every_entity_has_sample_data(self) -> None:
        slugs = [e.slug for e in self.entities()]
        assert slugs, "no EntityViews found in the modules"
        missing = [s for s in slugs if s not in self.cases]
        assert not missing, f"entities without sample data in {type(self).__name__}.cases: {missing}"
        stale = sorted(set(self.cases) - set(slugs))
        assert not stale, f"sample data for entities that do not exist: {stale}"
        from gendan.accounts.choices import Role

        ids = {f"{e.slug}-{c}" for e in self.entities() for c in checks_for(e)}
        ids |= {f"{s}-perms-{r}" for s in slugs for r in Role.values}
        unknown = sorted(set(self.xfail) - ids)
        assert not unknown, f"xfail entries that name no test: {unknown}"
