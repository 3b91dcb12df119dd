"""Cross-reference checks on a Compose file that its JSON schema cannot express.

The schema check (check-jsonschema --builtin-schema vendor.compose-spec) proves the shape of
the file; this proves that what it names exists: every `depends_on` names a service of the
file, and every named volume a service mounts is declared under the top-level `volumes:`.
Offline; ruamel.yaml comes with check-jsonschema. Usage: python3 .ci/compose_refs.py FILE...
"""

import sys

from ruamel.yaml import YAML


def problems(doc):
    services = doc.get("services") or {}
    volumes = doc.get("volumes") or {}
    for name, service in services.items():
        for dependency in service.get("depends_on") or []:  # a list or a mapping of names
            if dependency not in services:
                yield f"service {name!r} depends on {dependency!r}, which is not a service here"
        for mount in service.get("volumes") or []:
            if isinstance(mount, dict):
                source = mount.get("source") if mount.get("type", "volume") == "volume" else None
            else:
                source = mount.split(":")[0] if ":" in mount else None
            # Bind mounts are paths (./models, /data, ~/x) or interpolated; the rest name volumes.
            if source and not source.startswith((".", "/", "~", "$")) and source not in volumes:
                yield f"service {name!r} mounts volume {source!r}, which is not declared under volumes:"


def main(paths):
    failed = False
    for path in paths:
        with open(path, encoding="utf-8") as file:
            doc = YAML(typ="safe").load(file) or {}
        for problem in problems(doc):
            print(f"{path}: {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
