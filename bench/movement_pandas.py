#!/usr/bin/python3
"""The movement report's core aggregations in pandas: the reference `make bench` compares
`lanyard analytics report` against, on the same files in the same run.

    movement_pandas.py IN_DIR

Written fairly: only the columns needed (usecols), categorical dtypes for the codes, and the
file read in chunks whose partial counts are summed at the end, so memory stays bounded as
Lanyard's does. It computes events by class; corridors between organisations, systems and
regions; organisation changes per person by staff group; seasonality; mechanisms and reasons;
outcomes per mechanism and item; days to clear (median and 90th percentile) per mechanism.
Prints a digest of the results so that no work can be skipped.
"""
import sys

import numpy as np
import pandas as pd

CHUNK = 2_000_000
CODES = ["class", "from_ods", "to_ods", "staff_group", "mechanism", "reason"]


def total(parts):
    """Sums per-chunk counts (Series with the same index names)."""
    return pd.concat(parts).groupby(level=list(range(parts[0].index.nlevels))).sum()


def main(in_dir):
    orgs = pd.read_csv(f"{in_dir}/organisations.csv", dtype=str, keep_default_na=False)
    ics = dict(zip(orgs.ods, orgs.ics))
    region = dict(zip(orgs.ods, orgs.region))
    parts = {k: [] for k in ("class", "corridors", "moves", "season", "mech_reason", "clear")}
    outcome_parts = [[] for _ in range(18)]
    groups = {}
    dtypes = {c: "category" for c in CODES}
    dtypes.update({"person": str, "date": str, "outcomes": str})
    for chunk in pd.read_csv(f"{in_dir}/movements.csv", chunksize=CHUNK,
                             usecols=CODES + ["person", "date", "outcomes", "days_to_clear"],
                             dtype=dtypes, keep_default_na=False,
                             na_values={"days_to_clear": [""]}):
        parts["class"].append(chunk["class"].value_counts())
        moving = chunk[chunk["class"] != "shift"]
        parts["corridors"].append(
            moving.groupby(["from_ods", "to_ods", "class"], observed=True).size())
        changes = chunk[chunk["class"] == "organisation_change"]
        parts["moves"].append(changes["person"].value_counts())
        groups.update(zip(changes["person"].values, changes["staff_group"].values))
        month = chunk["date"].str.slice(5, 7).rename("month")
        parts["season"].append(chunk.groupby([chunk["class"], month], observed=True).size())
        parts["mech_reason"].append(chunk.groupby(["mechanism", "reason"], observed=True).size())
        known = chunk[chunk["outcomes"] != ""]
        if len(known):
            letters = np.frombuffer("".join(known["outcomes"].values).encode(),
                                    dtype="S1").reshape(-1, 18)
            mech = known["mechanism"].astype(str).values
            for item in range(18):
                frame = pd.DataFrame({"mechanism": mech, "outcome": letters[:, item]})
                outcome_parts[item].append(frame.groupby(["mechanism", "outcome"]).size())
        days = chunk.dropna(subset=["days_to_clear"])
        parts["clear"].append(days.groupby(["mechanism", "days_to_clear"], observed=True).size())

    by_class = total(parts["class"])
    corridors = total(parts["corridors"])
    c = corridors.reset_index()
    c.columns = ["from_ods", "to_ods", "class", "n"]
    c["from_ods"] = c["from_ods"].astype(str)
    c["to_ods"] = c["to_ods"].astype(str)
    systems = c.groupby([c.from_ods.map(ics).fillna("outside_nhs"),
                         c.to_ods.map(ics).fillna("outside_nhs"), "class"]).n.sum()
    regions = c.groupby([c.from_ods.map(region).fillna("outside_nhs"),
                         c.to_ods.map(region).fillna("outside_nhs"), "class"]).n.sum()
    moves = total(parts["moves"])
    per_person = pd.DataFrame({"moves": moves.clip(upper=16)})
    per_person["group"] = per_person.index.map(groups)
    distribution = per_person.groupby(["group", "moves"]).size()
    season = total(parts["season"])
    mech_reason = total(parts["mech_reason"])
    outcomes = [total(p) for p in outcome_parts if p]
    clear = total(parts["clear"])
    quantiles = {}
    for mech, h in clear.groupby(level=0):
        h = h.droplevel(0).sort_index()
        h = h[h > 0]
        if h.empty:
            continue
        cum = h.cumsum().values
        n = cum[-1]
        quantiles[mech] = tuple(int(h.index[np.searchsorted(cum, q * (n - 1), side="right")])
                                for q in (0.5, 0.9))
    print("classes", {k: int(v) for k, v in by_class.items()})
    print("corridors", len(corridors), "systems", len(systems), "regions", len(regions),
          "people", len(per_person), "bins", len(distribution), "season", len(season),
          "mechanism x reason", len(mech_reason), "outcome tables", len(outcomes))
    print("time to clear (median, p90)", quantiles)


if __name__ == "__main__":
    main(sys.argv[1])
