"""Turn what a user types ("h100", "P800", "昆仑芯 P800", "kunlun p800") into an accelerator id.

Every accelerator is known by its id (`nvidia/h100-sxm5`), the id's tail (`h100-sxm5`), its name
and its aliases. Matching compares normalised keys (NFKC, case-folded, without spaces, hyphens,
underscores, slashes or dots) in three rounds, and the first round that finds anything decides:
1. the query equals a key;
2. the query is a prefix of a key;
3. the query is a substring of a key.
One accelerator in a round -> that one; several -> `UserError` listing them (never a guess);
none in any round -> `UserError` with a did-you-mean.

A bare family name for which the trade means one part by default ("H100" is the SXM module that
NVIDIA's headline figures describe) is listed in `DEFAULT_VARIANT`; it applies only when the
prefix round would otherwise be ambiguous, and the choice is said on stderr by the commands.

`match_device_name` is the lenient variant for device names a runtime reports ("NVIDIA H100 80GB
HBM3", "AMD Instinct MI300X"): it returns None instead of raising, so a benchmark on an unlisted
device still runs.
"""

from __future__ import annotations

import re
import unicodedata

from harness import listcol
from harness.errors import UserError

DEFAULT_VARIANT = {"h100": "nvidia/h100-sxm5"}
VENDOR_WORDS = ("nvidia", "amd", "intel", "huawei", "baidu", "alibaba", "google", "habana", "hisilicon", "tesla")
_DROP = re.compile(r"[\s\-_/.·]+")


def normalise(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


class Resolver:
    """An index of the names of every accelerator in an `accelerators` table."""

    def __init__(self, accelerators):
        self.names: dict[str, str] = {}
        self.keys: list[tuple[str, str, str]] = []   # (normalised key, accelerator id, key as written)
        # words a runtime device name may start with: our vendor ids plus the names in VENDOR_WORDS
        self.vendor_words = set(VENDOR_WORDS) | {str(v).casefold() for v in accelerators.get("vendor", [])
                                                 if isinstance(v, str)}
        for r in accelerators.to_dict("records"):
            acc_id = str(r["accelerator_id"])
            name = r.get("name")
            self.names[acc_id] = str(name) if isinstance(name, str) else acc_id
            aliases = r.get("aliases")
            written = [acc_id, acc_id.split("/", 1)[-1]]
            written += [self.names[acc_id]]
            written += listcol.split(aliases)
            for w in written:
                if w:
                    self.keys.append((normalise(w), acc_id, w))

    def _round(self, q: str, test) -> list[str]:
        return list(dict.fromkeys(acc for key, acc, _ in self.keys if test(key, q)))

    def candidates(self, query: str) -> list[str]:
        """The ids of the first matching round (exact, prefix, substring); empty when none matches."""
        q = normalise(query)
        if not q:
            return []
        for test in (str.__eq__, str.startswith, lambda k, q: len(q) >= 2 and q in k):
            found = self._round(q, test)
            if len(found) > 1 and q in DEFAULT_VARIANT and DEFAULT_VARIANT[q] in found:
                return [DEFAULT_VARIANT[q]]
            if found:
                return found
        return []

    def resolve(self, query: str) -> str:
        found = self.candidates(query)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{a} ({self.names[a]})" for a in sorted(found))
            raise UserError(f"'{query}' is ambiguous: it matches {listed}; give more of the name or the id")
        from harness.problems import did_you_mean

        tails = [acc.split("/", 1)[-1] for acc in self.names]
        hint = did_you_mean(query, tails) or did_you_mean(query, [w for _, _, w in self.keys])
        raise UserError(f"no accelerator matches '{query}'{hint}; `accel list` shows them all")

    def resolve_many(self, queries) -> list[str]:
        """Ids in the order given, without repeats."""
        return list(dict.fromkeys(self.resolve(q) for q in queries))

    def device_candidates(self, device_name: str) -> list[str]:
        """``[id]`` when a runtime device name picks one accelerator; the ids it is torn between
        when it is ambiguous (to name them in a message); ``[]`` when nothing matches."""
        words = str(device_name).split()
        tries = [" ".join(words)]
        while words and words[0].casefold() in self.vendor_words:
            words = words[1:]
            tries.append(" ".join(words))
        several: list[str] = []
        for t in tries:  # exact first, with and without the vendor's name
            found = self._round(normalise(t), str.__eq__) if t else []
            if len(found) == 1:
                return found
            several = several or found
        for t in tries[1:] or tries:
            found = self.candidates(t) if t else []
            if len(found) == 1:
                return found
            several = several or found
        return sorted(several)

    def match_device(self, device_name: str) -> str | None:
        found = self.device_candidates(device_name)
        return found[0] if len(found) == 1 else None


def _resolver(accelerators=None, results_dir=None) -> Resolver:
    if accelerators is None:
        from harness import load

        accelerators = load("accelerators", results_dir=results_dir)
    return Resolver(accelerators)


def resolve(query: str, accelerators=None, *, results_dir=None) -> str:
    """The id of the one accelerator ``query`` names; `UserError` when none or several do."""
    return _resolver(accelerators, results_dir).resolve(query)


def resolve_many(queries, accelerators=None, *, results_dir=None) -> list[str]:
    return _resolver(accelerators, results_dir).resolve_many(queries)


def match_device_name(name: str, accelerators=None, *, results_dir=None) -> str | None:
    """The id for a runtime device name such as "NVIDIA H200" or "NVIDIA H100 80GB HBM3", or None."""
    return _resolver(accelerators, results_dir).match_device(name)
