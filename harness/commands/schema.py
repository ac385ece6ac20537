"""Write the JSON Schema for spec files and the data dictionary, from the field registry.

examples:
  accel schema                 regenerate schemas/accelerator.schema.json and README's dictionary
  accel schema --check         exit 2 if either is stale (used by the tests)
"""

from __future__ import annotations


def configure(parser):
    parser.add_argument("--check", action="store_true", help="only report whether generated files are stale")


def run(args) -> int:
    from harness import paths

    paths.need_checkout("accel schema")
    from harness.dataset.schemagen import generated_files
    from harness.errors import UserError

    stale = []
    for path, content in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path)
            if not args.check:
                from harness.atomic import atomic_file

                with atomic_file(path, "w", encoding="utf-8") as fh:
                    fh.write(content)
                print(f"wrote {path}")
    if args.check and stale:
        raise UserError("stale generated files (run `accel schema`): " + ", ".join(str(p) for p in stale))
    return 0
