// Fixtures for a generated room: each stands with its back to a wall, in the first free place
// along the room's walls (the outer walls first), clear of door swings, the way in through every
// door and opening, and the fixtures already placed; tall ones (fridge, wardrobe) keep off windows.
// Placing a kitchen's appliances one after another this way makes a counter run that turns the corner.
import type { Fixture, FixtureType, RoomType } from './model.js';
import { fix, type Rect } from './home-layout.js';

export type Side = 'n' | 's' | 'w' | 'e';
/** Rotation that turns a fixture's back (-y at 0°) to the wall on each side (clockwise, y down). */
const ROTATION: Record<Side, number> = { n: 0, e: 90, s: 180, w: 270 };

export interface FixtureWant {
  type: FixtureType;
  width: number;
  depth: number;
  /** Another fixture to try when this one finds no place. */
  instead?: FixtureWant;
  /** The room is not what it is called without it (a kitchen's stove, a bathroom's toilet). */
  needed?: boolean;
}

export interface RoomForFixtures {
  id: string;
  type: RoomType;
  /** The room inside its walls' faces. */
  inner: Rect;
  /** Sides in the order to try. */
  sides: Side[];
  /** Nothing may stand here (door swings, ways in). */
  keepClear: Rect[];
  /** Tall fixtures may not stand here (in front of windows). */
  keepLow: Rect[];
}

const TALL: FixtureType[] = ['fridge', 'wardrobe'];

export function overlaps(a: Rect, b: Rect, tol = 1e-6): boolean {
  return a.x0 < b.x1 - tol && b.x0 < a.x1 - tol && a.y0 < b.y1 - tol && b.y0 < a.y1 - tol;
}

/** The rectangle a fixture covers, from its centre, size and rotation (a multiple of 90°). */
export function fixtureRect(f: Pick<Fixture, 'position' | 'width' | 'depth' | 'rotation'>): Rect {
  const turned = Math.round(f.rotation / 90) % 2 !== 0;
  const w = turned ? f.depth : f.width;
  const d = turned ? f.width : f.depth;
  return { x0: f.position[0] - w / 2, y0: f.position[1] - d / 2, x1: f.position[0] + w / 2, y1: f.position[1] + d / 2 };
}

function candidates(inner: Rect, side: Side, w: number, d: number): Rect[] {
  const out: Rect[] = [];
  const along = side === 'n' || side === 's' ? inner.x1 - inner.x0 : inner.y1 - inner.y0;
  const across = side === 'n' || side === 's' ? inner.y1 - inner.y0 : inner.x1 - inner.x0;
  if (w > along + 1e-6 || d > across + 1e-6) return out;
  for (let t = 0; t <= along - w + 1e-6; t += 0.05) {
    const a = Math.min(t, along - w);
    if (side === 'n') out.push({ x0: inner.x0 + a, x1: inner.x0 + a + w, y0: inner.y0, y1: inner.y0 + d });
    if (side === 's') out.push({ x0: inner.x1 - a - w, x1: inner.x1 - a, y0: inner.y1 - d, y1: inner.y1 });
    if (side === 'w') out.push({ x0: inner.x0, x1: inner.x0 + d, y0: inner.y1 - a - w, y1: inner.y1 - a });
    if (side === 'e') out.push({ x0: inner.x1 - d, x1: inner.x1, y0: inner.y0 + a, y1: inner.y0 + a + w });
  }
  return out;
}

/**
 * Places `wants` in order; a want with no free place (and no alternative that has one) is left out.
 * The order makes the run a drafter draws (a kitchen's counters between its appliances); where it
 * leaves out a fixture the room needs, the needed ones are placed first, then alone.
 */
export function placeFixtures(room: RoomForFixtures, wants: FixtureWant[], nextId: () => string): Fixture[] {
  const needed = wants.filter((w) => w.needed);
  const orders = [wants, [...needed, ...wants.filter((w) => !w.needed)], needed];
  let best: { placed: Placed[]; missing: number } | null = null;
  for (const order of orders) {
    const placed = placeInOrder(room, order);
    const missing = needed.filter((w) => !placed.some((p) => p.want === w)).length;
    if (!best || missing < best.missing) best = { placed, missing };
    if (missing === 0) break;
  }
  return best!.placed.map(({ fixture }) => ({ id: nextId(), ...fixture }));
}

interface Placed {
  want: FixtureWant;
  fixture: Omit<Fixture, 'id'>;
}

function placeInOrder(room: RoomForFixtures, wants: FixtureWant[]): Placed[] {
  const placed: Placed[] = [];
  const taken: Rect[] = [];
  const tryPlace = (want: FixtureWant, as: FixtureWant): boolean => {
    for (const side of room.sides) {
      for (const r of candidates(room.inner, side, as.width, as.depth)) {
        if (room.keepClear.some((k) => overlaps(k, r)) || taken.some((k) => overlaps(k, r))) continue;
        if (TALL.includes(as.type) && room.keepLow.some((k) => overlaps(k, r))) continue;
        taken.push(r);
        placed.push({
          want,
          fixture: {
            type: as.type,
            room_id: room.id,
            position: [fix((r.x0 + r.x1) / 2), fix((r.y0 + r.y1) / 2)],
            rotation: ROTATION[side],
            width: as.width,
            depth: as.depth,
          },
        });
        return true;
      }
    }
    return as.instead ? tryPlace(want, as.instead) : false;
  };
  for (const want of wants) tryPlace(want, want);
  return placed;
}

const want = (type: FixtureType, width: number, depth: number, instead?: FixtureWant): FixtureWant => ({
  type,
  width,
  depth,
  ...(instead ? { instead } : {}),
});
const needed = (w: FixtureWant): FixtureWant => ({ ...w, needed: true });

/** What a room of `type` gets, for a room `inner` wide and deep; `rnd` picks the optional ones. */
export function fixturesFor(type: RoomType, inner: Rect, rnd: () => number): FixtureWant[] {
  const w = inner.x1 - inner.x0;
  const d = inner.y1 - inner.y0;
  const long = Math.max(w, d);
  switch (type) {
    case 'bathroom': {
      const shower = want('shower', 0.9, 0.9, want('shower', 0.8, 0.8));
      const bath = long >= 2.2 && Math.min(w, d) >= 1.6 ? want('bathtub', 1.7, 0.75, shower) : shower;
      return [needed(bath), needed(want('toilet', 0.4, 0.7)), needed(want('sink', 0.6, 0.45, want('sink', 0.45, 0.35)))];
    }
    case 'toilet':
      return [needed(want('toilet', 0.4, 0.65)), want('sink', 0.45, 0.3)];
    case 'kitchen': {
      const list = [
        needed(want('fridge', 0.7, 0.65, want('fridge', 0.6, 0.6))),
        needed(want('kitchen_counter', 0.6, 0.6)),
        needed(want('kitchen_sink', 0.8, 0.6, want('kitchen_sink', 0.6, 0.5))),
      ];
      if (long >= 3.2) list.push(want('dishwasher', 0.6, 0.6));
      list.push(
        want('kitchen_counter', 0.4, 0.6),
        needed(want('stove', 0.6, 0.6, want('stove', 0.5, 0.55))),
        want('kitchen_counter', 0.6, 0.6),
      );
      if (long >= 3.8) list.push(want('kitchen_counter', 0.8, 0.6));
      return list;
    }
    case 'laundry':
      return [needed(want('washer', 0.6, 0.6)), want('dryer', 0.6, 0.6), want('sink', 0.5, 0.4)];
    case 'utility':
      return rnd() < 0.5 ? [want('washer', 0.6, 0.6)] : [];
    case 'bedroom':
      return [needed(want('wardrobe', Math.min(2.4, Math.max(1.0, Math.round(long * 0.45 * 10) / 10)), 0.6, want('wardrobe', 1.0, 0.55)))];
    case 'closet':
      return long >= 1.6 ? [want('wardrobe', Math.min(2.0, Math.round((long - 0.7) * 10) / 10), 0.55)] : [];
    case 'entrance':
      return long >= 2.4 ? [want('wardrobe', 1.2, 0.55)] : [];
    case 'living_room':
      return rnd() < 0.45 ? [want('fireplace', 1.2, 0.45)] : [];
    default:
      return [];
  }
}
