// Fits a home's programme to a footprint: lays out every floor and, where a floor's bands are too
// short to give each of its rooms its smallest believable size, takes rooms off that floor (moved
// to a floor that still holds all of its own, or dropped where the home can do without) until it
// fits or nothing more helps. Where a footprint still leaves a floor short, another footprint of
// the same area is tried; the one that fits best is kept. A floor that still lacks length (a small
// home's) squeezes its rooms without fixtures first.
import { layoutFloor, type FloorLayout, type Footprint } from './home-layout.js';
import { reliefs, type HomeProgramme } from './home-programme.js';

/** Footprints tried before the best of them is taken. */
const FOOTPRINTS = 8;

export interface FittedHome {
  footprint: Footprint;
  /** Each floor's layout, in the programme's order. */
  layouts: FloorLayout[];
}

/** `plan()` draws a footprint (the next one on every call); `flightsOf(i)` lists the flights floor i has. */
export function fitHome(
  plan: () => Footprint,
  programme: HomeProgramme,
  flightsOf: (index: number) => number[],
  keyOf: (index: number) => string,
): FittedHome {
  let best: (FittedHome & { shortfall: number }) | null = null;
  for (let n = 0; n < FOOTPRINTS; n++) {
    const footprint = plan();
    const layouts = fitFloors(footprint, programme, flightsOf, keyOf);
    const shortfall = layouts.reduce((s, l) => s + l.shortfall, 0);
    if (!best || shortfall < best.shortfall - 1e-6) best = { footprint, layouts, shortfall };
    if (shortfall <= 1e-6) break;
  }
  return { footprint: best!.footprint, layouts: best!.layouts };
}

function fitFloors(
  fp: Footprint,
  programme: HomeProgramme,
  flightsOf: (index: number) => number[],
  keyOf: (index: number) => string,
): FloorLayout[] {
  let prog = programme;
  const lay = (p: HomeProgramme, i: number) => layoutFloor(fp, p.floors[i]!, flightsOf(i), keyOf(i));
  const layouts = prog.floors.map((_, i) => lay(prog, i));
  const stuck = new Set<number>();
  // Each accepted change takes a room off a crowded floor for good, so this ends; the guard bounds it.
  for (let guard = 0; guard < 40; guard++) {
    const i = layouts.findIndex((l, k) => l.shortfall > 1e-6 && !stuck.has(k));
    if (i < 0) break;
    const better = reliefs(prog, prog.floors[i]!.level).find((r) => {
      const from = lay(r.programme, i);
      if (from.shortfall >= layouts[i]!.shortfall - 1e-6) return false;
      const j = r.to === null ? -1 : r.programme.floors.findIndex((f) => f.level === r.to);
      const to = j >= 0 ? lay(r.programme, j) : null;
      if (to && to.shortfall > 1e-6) return false;
      prog = r.programme;
      layouts[i] = from;
      if (to) layouts[j] = to;
      return true;
    });
    if (!better) stuck.add(i);
  }
  return layouts;
}
