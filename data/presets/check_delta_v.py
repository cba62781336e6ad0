#!/usr/bin/env python3
"""Sanity check of the missile presets in this folder (stdlib + tomllib only).

For every ``*.toml`` preset it prints, stage by stage, the thrust implied by
constant mass flow (thrust = Isp_vac * g0 * propellant / burn time, sea-level
thrust = vacuum thrust - p0 * A_e), the ideal (vacuum, no gravity, no drag)
delta-v of the whole stack with the re-entry vehicle on top, the lift-off
thrust-to-weight ratio, and compares the delta-v with the burnout speed that a
minimum-energy trajectory needs to reach the published range.

Required burnout speed: vacuum Kepler arc on a non-rotating sphere
(R = 6,371 km, GM = 3.986004418e14), burnout at the surface:
    Q* = 2 sin(psi/2) / (1 + sin(psi/2)),  v = sqrt(Q* GM / R)
(docs: /work/shared/REFERENCES.md, "Ballistic flight").  The difference
"ideal delta-v - required speed" is what the boost has left for gravity, drag
and nozzle back-pressure losses; it should be about 0.4-0.9 km/s, more for
slow-burning liquid first stages.  This is a rough screen, not a trajectory
simulation: the lead calibrates the presets with full 3-DOF flights.

For the [[flight_test]] tables (North Korea's 2017 lofted tests) it also
computes the Kepler burnout speed of the reported lofted arc (apogee +
ground range, surface to surface), its free-flight time, and the losses the
lofted boost would then have had.  Lofted (steep) ascents lose more to gravity
than minimum-energy ones, so those losses are expected to be larger (about
1.0-1.6 km/s for these slow liquid missiles).

Usage:  python3 check_delta_v.py [preset.toml ...]     (default: all presets)
Exit status 1 on schema errors, 0 otherwise (coherence problems are warnings).
"""

from __future__ import annotations

import math
import pathlib
import sys
import tomllib

G0 = 9.80665            # m/s^2, standard gravity (defines Isp in seconds)
MU = 3.986004418e14     # m^3/s^2, WGS-84 GM
R_E = 6_371_000.0       # m, teaching sphere
P0 = 101_325.0          # Pa, sea-level pressure (US Standard Atmosphere 1976)

TOP_KEYS = {
    "name": str, "display_name": str, "country": str, "class": str,
    "propellant": str, "published_max_range_km": float, "range_source": str,
    "note": str, "sources": list, "pitch_program": dict, "stage": list,
    "reentry_vehicle": dict, "flight_test": list,
}
TOP_REQUIRED = set(TOP_KEYS) - {"flight_test"}
PITCH_KEYS = {"vertical_rise_s": float, "pitch_over_duration_s": float}
STAGE_KEYS = {
    "name": str, "propellant_mass_kg": float, "dry_mass_kg": float,
    "burn_time_s": float, "isp_vac_s": float, "exit_area_m2": float,
    "diameter_m": float, "cd_mach": list,
}
STAGE_REQUIRED = set(STAGE_KEYS) - {"cd_mach"}
RV_KEYS = {"mass_kg": float, "ballistic_coefficient_kg_m2": float,
           "rcs_m2": float, "separates": bool}
FT_KEYS = {"date": str, "apogee_km": float, "downrange_km": float,
           "flight_time_s": float, "payload_kg": float,
           "standard_range_km": float, "standard_range_earth": str,
           "source": str}
CLASSES = {"SRBM", "MRBM", "IRBM", "ICBM"}
PROPELLANTS = {"liquid", "solid"}
EARTHS = {"rotating", "non-rotating"}

# Coherence bands (km/s of "ideal delta-v minus required burnout speed").
LOSS_BAND_SOLID = (0.4, 0.9)
LOSS_BAND_LIQUID = (0.4, 0.9)
LOSS_BAND_SLOW_LIQUID = (0.5, 1.1)   # liquid first stage burning > 100 s
TW_BAND = {"liquid": (1.3, 3.0), "solid": (1.3, 4.0)}
LOFTED_LOSS_BAND = (0.9, 1.7)


# --------------------------------------------------------------------------
# Kepler helpers (vacuum, non-rotating sphere, burnout and impact at r = R_E)
# --------------------------------------------------------------------------
def min_energy_speed(range_km: float) -> tuple[float, float]:
    """Burnout speed (m/s) and flight-path angle (rad) of the minimum-energy
    arc for the given ground range, burnout at the surface."""
    psi = range_km * 1e3 / R_E
    s = math.sin(psi / 2.0)
    q = 2.0 * s / (1.0 + s)
    return math.sqrt(q * MU / R_E), (math.pi - psi) / 4.0


def arc_from_speed(v: float, gamma: float) -> tuple[float, float, float]:
    """(ground range km, apogee altitude km, free-flight time s) of the arc
    from burnout speed v and flight-path angle gamma at r = R_E."""
    q = v * v * R_E / MU
    a = R_E / (2.0 - q)
    e = math.sqrt(1.0 + q * (q - 2.0) * math.cos(gamma) ** 2)
    c = (1.0 - q * math.cos(gamma) ** 2) / e
    psi = 2.0 * math.acos(max(-1.0, min(1.0, c)))
    apogee = a * (1.0 + e) - R_E
    return psi * R_E / 1e3, apogee / 1e3, _free_flight_time(a, e)


def _free_flight_time(a: float, e: float) -> float:
    cos_e0 = (1.0 - R_E / a) / e
    e0 = math.acos(max(-1.0, min(1.0, cos_e0)))
    m0 = e0 - e * math.sin(e0)
    return 2.0 * (math.pi - m0) * math.sqrt(a ** 3 / MU)


def lofted_arc(apogee_km: float, range_km: float) -> tuple[float, float, float]:
    """Burnout speed (m/s), flight-path angle (rad) and free-flight time (s)
    of the Kepler arc from the surface through the given apogee altitude to
    the given ground range (symmetric, surface to surface)."""
    ra = R_E + apogee_km * 1e3
    c = math.cos(range_km * 1e3 / R_E / 2.0)
    e = (ra - R_E) / (ra - R_E * c)
    a = ra / (1.0 + e)
    v = math.sqrt(MU * (2.0 / R_E - 1.0 / a))
    h = math.sqrt(MU * a * (1.0 - e * e))          # specific angular momentum
    gamma = math.acos(min(1.0, h / (R_E * v)))
    return v, gamma, _free_flight_time(a, e)


def self_test() -> None:
    """Reproduce the computed rows of REFERENCES.md ("Ballistic flight")."""
    for rng, v_ref, g_ref, apo_ref, t_ref in (
        (1000.0, 3016.1, 42.752, 239.9, 7.91 * 60),
        (10000.0, 7198.1, 22.517, 1319.5, 32.18 * 60),
    ):
        v, g = min_energy_speed(rng)
        r2, apo, t = arc_from_speed(v, g)
        assert abs(v - v_ref) < 0.5, (rng, v)
        assert abs(math.degrees(g) - g_ref) < 0.01, (rng, g)
        assert abs(r2 - rng) < 0.5 and abs(apo - apo_ref) < 0.5, (rng, r2, apo)
        assert abs(t - t_ref) < 1.0, (rng, t)
        v2, g2, t2 = lofted_arc(apo, rng)
        assert abs(v2 - v) < 0.5 and abs(g2 - g) < 1e-4 and abs(t2 - t) < 1.0


# --------------------------------------------------------------------------
# Schema check (mirrors the Rust loader's deny_unknown_fields)
# --------------------------------------------------------------------------
def _check_table(where: str, table: dict, keys: dict, required: set,
                 errors: list[str]) -> None:
    for k, v in table.items():
        if k not in keys:
            errors.append(f"{where}: unknown field '{k}'")
            continue
        want = keys[k]
        ok = isinstance(v, want) and not (want is float and isinstance(v, bool))
        if want is float and isinstance(v, int) and not isinstance(v, bool):
            errors.append(f"{where}.{k}: write {v} as a float ({v}.0)")
        elif not ok:
            errors.append(f"{where}.{k}: expected {want.__name__}, "
                          f"got {type(v).__name__}")
    for k in required - set(table):
        errors.append(f"{where}: missing field '{k}'")


def check_schema(path: pathlib.Path, d: dict) -> list[str]:
    errors: list[str] = []
    _check_table("top", d, TOP_KEYS, TOP_REQUIRED, errors)
    if d.get("name") != path.stem:
        errors.append(f"name '{d.get('name')}' differs from file stem '{path.stem}'")
    if d.get("class") not in CLASSES:
        errors.append(f"class '{d.get('class')}' not in {sorted(CLASSES)}")
    if d.get("propellant") not in PROPELLANTS:
        errors.append(f"propellant '{d.get('propellant')}' not in {sorted(PROPELLANTS)}")
    if not all(isinstance(s, str) for s in d.get("sources", [])):
        errors.append("sources must be strings")
    _check_table("pitch_program", d.get("pitch_program", {}), PITCH_KEYS,
                 set(PITCH_KEYS), errors)
    for i, st in enumerate(d.get("stage", [])):
        _check_table(f"stage[{i}]", st, STAGE_KEYS, STAGE_REQUIRED, errors)
        for k in ("propellant_mass_kg", "dry_mass_kg", "burn_time_s",
                  "isp_vac_s", "diameter_m"):
            if isinstance(st.get(k), float) and st[k] <= 0.0:
                errors.append(f"stage[{i}].{k} must be > 0")
        for pt in st.get("cd_mach", []):
            if not (isinstance(pt, list) and len(pt) == 2):
                errors.append(f"stage[{i}].cd_mach: pairs [mach, cd] expected")
    if not d.get("stage"):
        errors.append("no [[stage]] table")
    _check_table("reentry_vehicle", d.get("reentry_vehicle", {}), RV_KEYS,
                 set(RV_KEYS), errors)
    for i, ft in enumerate(d.get("flight_test", [])):
        _check_table(f"flight_test[{i}]", ft, FT_KEYS, set(FT_KEYS), errors)
        if ft.get("standard_range_earth") not in EARTHS:
            errors.append(f"flight_test[{i}].standard_range_earth not in {sorted(EARTHS)}")
    return errors


# --------------------------------------------------------------------------
# Rocket arithmetic
# --------------------------------------------------------------------------
def stack(stages: list[dict], payload: float) -> list[dict]:
    """Per-stage ignition/burnout masses, thrusts and ideal delta-v."""
    out: list[dict] = []
    above = payload
    for st in reversed(stages):
        m_ign = above + st["propellant_mass_kg"] + st["dry_mass_kg"]
        m_bo = above + st["dry_mass_kg"]
        mdot = st["propellant_mass_kg"] / st["burn_time_s"]
        t_vac = st["isp_vac_s"] * G0 * mdot
        t_sl = t_vac - P0 * st["exit_area_m2"]
        out.append({
            "name": st["name"], "m_ign": m_ign, "m_bo": m_bo, "mdot": mdot,
            "t_vac": t_vac, "t_sl": t_sl, "isp_sl": t_sl / (G0 * mdot),
            "dv": st["isp_vac_s"] * G0 * math.log(m_ign / m_bo),
            "burn": st["burn_time_s"], "isp": st["isp_vac_s"],
            "struct": st["dry_mass_kg"] / (st["dry_mass_kg"] + st["propellant_mass_kg"]),
        })
        above = m_ign
    out.reverse()
    return out


def band_flag(x: float, band: tuple[float, float]) -> str:
    return "ok" if band[0] <= x <= band[1] else f"WARN (outside {band[0]}-{band[1]})"


def report(path: pathlib.Path) -> tuple[list[str], dict | None]:
    with path.open("rb") as f:
        d = tomllib.load(f)
    errors = check_schema(path, d)
    if errors:
        return errors, None
    rv = d["reentry_vehicle"]
    payload = rv["mass_kg"]
    st = stack(d["stage"], payload)
    dv = sum(s["dv"] for s in st)
    m0 = st[0]["m_ign"]
    tw = st[0]["t_sl"] / (m0 * G0)
    burn_total = sum(s["burn"] for s in st)
    rng = d["published_max_range_km"]
    v_req, g_req = min_energy_speed(rng)
    loss = (dv - v_req) / 1e3
    slow = d["propellant"] == "liquid" and st[0]["burn"] > 100.0
    lband = (LOSS_BAND_SOLID if d["propellant"] == "solid"
             else LOSS_BAND_SLOW_LIQUID if slow else LOSS_BAND_LIQUID)

    print(f"== {d['name']}  ({d['display_name']}, {d['country']}, {d['class']}, "
          f"{d['propellant']}, RV {payload:.0f} kg"
          f"{'' if rv['separates'] else ', whole missile re-enters'})")
    for i, s in enumerate(st):
        # sea-level figures only matter for the stage that lights on the ground
        sl = (f"F_sl {s['t_sl']/1e3:7.1f} kN  Isp vac/sl {s['isp']:.0f}/{s['isp_sl']:.0f} s"
              if i == 0 else f"{'(upper stage)':>18s}  Isp vac {s['isp']:.0f} s    ")
        print(f"   {s['name']:7s} m_ign {s['m_ign']:8.0f} kg  m_bo {s['m_bo']:8.0f} kg  "
              f"burn {s['burn']:5.0f} s  mdot {s['mdot']:6.1f} kg/s  "
              f"F_vac {s['t_vac']/1e3:7.1f} kN ({s['t_vac']/G0/1e3:5.1f} tf)  "
              f"{sl}  "
              f"dry/(dry+prop) {s['struct']:.3f}  T/W at ignition (vac) "
              f"{s['t_vac']/(s['m_ign']*G0):4.2f}  dv {s['dv']:6.0f} m/s")
    print(f"   lift-off mass {m0:.0f} kg, lift-off T/W (sea level) {tw:.2f} "
          f"[{band_flag(tw, TW_BAND[d['propellant']])}], total burn {burn_total:.0f} s")
    print(f"   ideal dv {dv:6.0f} m/s | min-energy burnout speed for the published "
          f"{rng:.0f} km: {v_req:6.0f} m/s (gamma {math.degrees(g_req):4.1f} deg)"
          f" | left for losses {loss:5.2f} km/s [{band_flag(loss, lband)}]")
    for ft in d.get("flight_test", []):
        ftp = ft["payload_kg"]
        st_ft = stack(d["stage"], ftp)
        dv_ft = sum(s["dv"] for s in st_ft)
        v_l, g_l, t_ff = lofted_arc(ft["apogee_km"], ft["downrange_km"])
        v_s, _ = min_energy_speed(ft["standard_range_km"])
        t_pred = t_ff + sum(s["burn"] for s in st_ft)
        lofted_loss = (dv_ft - v_l) / 1e3
        std_loss = (dv_ft - v_s) / 1e3
        print(f"   flight {ft['date']}: apogee {ft['apogee_km']:.0f} km, range "
              f"{ft['downrange_km']:.0f} km -> Kepler burnout {v_l:5.0f} m/s at "
              f"{math.degrees(g_l):4.1f} deg, free flight {t_ff/60:4.1f} min + boost "
              f"{sum(s['burn'] for s in st_ft)/60:3.1f} min = {t_pred/60:4.1f} min "
              f"(reported {ft['flight_time_s']/60:4.1f} min)")
        print(f"      payload {ftp:.0f} kg: ideal dv {dv_ft:5.0f} m/s; lofted losses "
              f"{lofted_loss:4.2f} km/s [{band_flag(lofted_loss, LOFTED_LOSS_BAND)}]; "
              f"published {ft['standard_range_km']:.0f} km ({ft['standard_range_earth']}) "
              f"needs {v_s:5.0f} m/s -> losses left {std_loss:4.2f} km/s "
              f"[{band_flag(std_loss, lband)}]")
    print()
    return [], {"name": d["name"], "class": d["class"], "prop": d["propellant"],
                "m0": m0, "n": len(st), "dv": dv, "tw": tw, "rng": rng,
                "loss": loss, "payload": payload}


def main(argv: list[str]) -> int:
    self_test()
    here = pathlib.Path(__file__).resolve().parent
    paths = [pathlib.Path(a) for a in argv] or sorted(here.glob("*.toml"))
    rows, bad = [], 0
    for p in paths:
        errors, row = report(p)
        if errors:
            bad += 1
            print(f"== {p.name}: SCHEMA ERRORS")
            for e in errors:
                print(f"   - {e}")
            print()
        else:
            rows.append(row)
    print(f"{'preset':12s} {'class':5s} {'prop':6s} {'m0 kg':>8s} {'st':>2s} "
          f"{'RV kg':>6s} {'dv m/s':>7s} {'T/W':>5s} {'range km':>9s} {'loss km/s':>9s}")
    for r in rows:
        print(f"{r['name']:12s} {r['class']:5s} {r['prop']:6s} {r['m0']:8.0f} {r['n']:2d} "
              f"{r['payload']:6.0f} {r['dv']:7.0f} {r['tw']:5.2f} {r['rng']:9.0f} "
              f"{r['loss']:9.2f}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
