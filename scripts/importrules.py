"""The import rule between the apps of jianguan, as an import-linter contract type (see `.importlinter`).

An app may import another app only through its door: `<app>.contracts` (the functions and read models offered to
other apps) and `<app>.models` (for foreign keys and typing). Everything else in an app — services, selectors,
views, api, seed, tasks — is its own business, free to change without breaking a neighbour. `shared` names the
packages every app may use whole (the kernel); `exempt` the ones that may reach anywhere (the composition root wires
every app's routes and pages).
"""

from __future__ import annotations

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class DoorContract(Contract):
    type_name = "doors"

    root = fields.StringField()
    doors = fields.ListField(subfield=fields.StringField())
    shared = fields.ListField(subfield=fields.StringField(), required=False)
    exempt = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        root = str(self.root)
        doors = {str(door) for door in self.doors}
        shared = {str(name) for name in (self.shared or [])}
        exempt = {str(name) for name in (self.exempt or [])}
        broken = []
        for importer in sorted(graph.modules):
            source = _app(importer, root)
            if source is None or source in exempt:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = _app(imported, root)
                if target is None or target == source or target in shared:
                    continue
                parts = imported.split(".")
                if len(parts) > 2 and parts[2] not in doors:
                    lines = graph.get_import_details(importer=importer, imported=imported)
                    where = ", ".join(f"line {detail['line_number']}" for detail in lines) or "?"
                    broken.append(f"{importer} -> {imported} ({where})")
        return ContractCheck(kept=not broken, warnings=[], metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("Other apps are reached only through their contracts or models:")
        for line in check.metadata["broken"]:
            output.print(f"  {line}")


def _app(module: str, root: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == root else None
