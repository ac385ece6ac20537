"""Views of the built dataset: comparison tables (`table`), cells with tier and state (`data`),
row labels and presets (`fields`) and figures (`plots`, which alone imports matplotlib)."""
