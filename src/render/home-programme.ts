// The rooms a generated home has, floor by floor, before any geometry: a programme that grows with
// the area (a studio up to five bedrooms, a bathroom per two bedrooms, a WC in larger homes,
// closets, an entrance, utility and laundry) and is spread over the floors the way houses are:
// living spaces at the entrance level, bedrooms upstairs, recreation, utility and storage below
// grade. Sizes are believable ranges (m²) the layout keeps each room inside.
import type { RoomType } from './model.js';

/** [smallest, preferred, largest] area in m², and the narrowest width in m. */
export interface RoomSize {
  min: number;
  pref: number;
  max: number;
  minWidth: number;
}

// The largest sizes sit a little inside the believable range: walls land on a 5 cm grid after slicing.
export const ROOM_SIZES: Partial<Record<RoomType, Omit<RoomSize, 'pref'>>> = {
  living_room: { min: 15.5, max: 44, minWidth: 3.2 },
  kitchen: { min: 5.3, max: 19.5, minWidth: 2.2 },
  dining_room: { min: 8, max: 20, minWidth: 2.6 },
  bedroom: { min: 7.3, max: 19.5, minWidth: 2.5 },
  bathroom: { min: 3.2, max: 9.6, minWidth: 1.7 },
  toilet: { min: 1.1, max: 2.8, minWidth: 0.9 },
  entrance: { min: 3, max: 12, minWidth: 1.6 },
  closet: { min: 1.1, max: 5.7, minWidth: 0.9 },
  office: { min: 6, max: 16, minWidth: 2.3 },
  utility: { min: 2.5, max: 10, minWidth: 1.4 },
  laundry: { min: 3, max: 10, minWidth: 1.6 },
  storage: { min: 2, max: 16, minWidth: 1.2 },
  sauna: { min: 3, max: 8, minWidth: 1.6 },
  recreation_room: { min: 12, max: 45, minWidth: 3.0 },
};

/** Rooms a floor has at most one of: the layout adds no second one to fill spare length. */
export const ONE_PER_FLOOR: RoomType[] = ['living_room', 'dining_room'];

export interface RoomSpec extends RoomSize {
  type: RoomType;
  /** Dropped first when a floor has no room for everything. */
  optional: boolean;
  /**
   * A pair in one band cell: this small room at the hallway side and `back` behind it (a closet),
   * reached from the room beside the cell.
   */
  back?: RoomType;
  /** A kitchen open to the living room: joined to it by an opening, not a door. */
  open?: boolean;
  /** The bedroom with a walk-in closet beside it. */
  main?: boolean;
}

export interface FloorProgramme {
  level: number;
  /** Rooms wanted at the hallway's top side and bottom side (where there are two sides). */
  top: RoomSpec[];
  bottom: RoomSpec[];
  /** Types the layout may add to fill spare length, in order of preference. */
  fillers: RoomType[];
}

export interface HomeProgramme {
  bedrooms: number;
  bathrooms: number;
  wc: boolean;
  openKitchen: boolean;
  floors: FloorProgramme[];
}

export function spec(type: RoomType, pref: number, extra: Partial<RoomSpec> = {}): RoomSpec {
  const size = ROOM_SIZES[type] ?? { min: 1, max: 60, minWidth: 1 };
  return { type, ...size, pref: Math.min(size.max, Math.max(size.min, pref)), optional: false, ...extra };
}

/** Bedrooms for a home of `totalM2`: a studio below 40 m², five from 170 m². */
export function bedroomsFor(totalM2: number): number {
  return totalM2 < 40 ? 0 : totalM2 < 60 ? 1 : totalM2 < 85 ? 2 : totalM2 < 120 ? 3 : totalM2 < 170 ? 4 : 5;
}

/**
 * The programme of a home of `totalM2` on `levels` (lowest first; 0 is the entrance level).
 * `rnd` decides the choices a family would (an open kitchen, a sauna), nothing else.
 */
export function homeProgramme(totalM2: number, levels: number[], rnd: () => number): HomeProgramme {
  const bedrooms = bedroomsFor(totalM2);
  const bathrooms = Math.max(1, Math.ceil(bedrooms / 2));
  const wc = totalM2 >= 100;
  const openKitchen = bedrooms === 0 || rnd() < 0.4;
  const basement = levels[0]! < 0;
  const uppers = levels.filter((l) => l > 0);
  const grow = (base: number, perM2: number) => base + totalM2 * perM2;

  const living = spec('living_room', Math.min(40, grow(12, 0.08)));
  // An open kitchen is a counter run along the living room: it may be narrower than a closed one.
  const kitchen = spec('kitchen', Math.min(16, grow(5, 0.04)), { open: openKitchen, ...(openKitchen ? { minWidth: 1.6 } : {}) });
  const entrance = spec('entrance', Math.min(8, grow(3, 0.02)));
  const bedroomSpecs = Array.from({ length: bedrooms }, (_, i) =>
    i === 0 ? spec('bedroom', Math.min(16, grow(9, 0.03)), { main: totalM2 >= 120 }) : spec('bedroom', Math.min(12, grow(8, 0.015))),
  );
  const bathroomSpecs = Array.from({ length: bathrooms }, () => spec('bathroom', Math.min(7.5, grow(4, 0.015))));
  const wcSpec = () => spec('toilet', 2, { back: 'closet' });
  const laundry = spec('laundry', 5, { optional: totalM2 < 70 });
  const utility = spec('utility', 4, { optional: true });
  const dining = spec('dining_room', Math.min(16, grow(6, 0.04)), { optional: true });
  const office = spec('office', 10, { optional: true });

  const floors: FloorProgramme[] = levels.map((level) => ({ level, top: [], bottom: [], fillers: [] }));
  const at = (level: number) => floors.find((f) => f.level === level)!;
  const ground = at(0);
  ground.top.push(living, kitchen);
  if (totalM2 >= 45) ground.bottom.push(entrance);
  ground.fillers = ['dining_room', 'office', 'storage'];

  if (uppers.length === 0) {
    // One floor above grade (perhaps a basement): everything but recreation at the entrance level.
    if (wc) ground.bottom.push(wcSpec());
    if (totalM2 >= 130) ground.top.push(dining);
    spreadBedrooms(ground, bedroomSpecs, bathroomSpecs, totalM2);
    if (!basement) {
      if (totalM2 >= 60) ground.bottom.push(laundry);
      if (totalM2 >= 150) ground.bottom.push(utility);
    }
  } else {
    // The entrance level keeps the day rooms, a WC (or a bathroom when the home has no WC) and,
    // without a basement, the laundry; the bedrooms and their bathrooms go upstairs.
    ground.bottom.push(wc ? wcSpec() : bathroomSpecs.pop()!);
    if (bathroomSpecs.length === 0) bathroomSpecs.push(spec('bathroom', 5));
    if (totalM2 >= 120 || rnd() < 0.5) ground.top.push(dining);
    if (!basement) ground.bottom.push(laundry);
    if (totalM2 >= 200) ground.bottom.push(office);
    uppers.forEach((level, i) => {
      const share = (list: RoomSpec[]) => list.filter((_, k) => k % uppers.length === i);
      const floor = at(level);
      spreadBedrooms(floor, share(bedroomSpecs), share(bathroomSpecs).length ? share(bathroomSpecs) : [spec('bathroom', 5)], totalM2);
      floor.fillers = ['office', 'storage'];
    });
    if (basement) at(levels[0]!).fillers = ['storage', 'recreation_room'];
    // An upper floor holds what 75 % of the footprint can (the rest is hallway and stairs): the
    // bedrooms it cannot hold come down to the entrance level, each with the closet beside it.
    const perFloor = totalM2 / levels.length;
    for (const level of uppers) {
      const floor = at(level);
      for (let guard = 0; guard < 4 && total([...floor.top, ...floor.bottom]) > perFloor * 0.75; guard++) {
        const side = total(floor.top) >= total(floor.bottom) ? floor.top : floor.bottom;
        const i = side.map((r) => r.type).lastIndexOf('bedroom');
        if (i < 0 || [...floor.top, ...floor.bottom].filter((r) => r.type === 'bedroom').length <= 1) break;
        const moved = side.splice(i, side[i + 1]?.back ? 2 : 1);
        (total(ground.top) <= total(ground.bottom) ? ground.top : ground.bottom).push(...moved);
      }
    }
  }
  if (basement) {
    const below = at(levels[0]!);
    below.top.push(spec('recreation_room', Math.min(35, grow(10, 0.06))));
    if (rnd() < 0.35) below.top.push(spec('sauna', 5, { optional: true }));
    below.bottom.push(spec('utility', 5), spec('laundry', 6), spec('storage', 6, { optional: true }));
    below.fillers = ['storage', 'recreation_room'];
  }
  return { bedrooms, bathrooms: Math.max(1, Math.ceil(bedrooms / 2)), wc, openKitchen, floors };
}

/** Bedrooms alternate between the two sides; bathrooms and closets stand between them. */
function spreadBedrooms(floor: FloorProgramme, bedrooms: RoomSpec[], bathrooms: RoomSpec[], totalM2: number): void {
  const shorter = () => (total(floor.top) <= total(floor.bottom) ? floor.top : floor.bottom);
  bedrooms.forEach((b, i) => {
    const side = shorter();
    side.push(b);
    if (b.main) side.push(spec('closet', 3, { back: 'closet' }));
    else if (i === 1 && totalM2 >= 90) side.push(spec('closet', 2, { back: 'closet' }));
  });
  for (const bath of bathrooms) shorter().push(bath);
}

const total = (list: RoomSpec[]) => list.reduce((s, r) => s + r.pref, 0);

/** A programme with one room moved off a crowded floor (`to` the level that takes it, null when dropped). */
export interface Relief {
  programme: HomeProgramme;
  to: number | null;
}

/**
 * Ways to take a room off the crowded floor at `level`, best first: an optional room dropped, a
 * bedroom (with the closet beside it) moved to another floor where bedrooms belong, a bathroom the
 * floor can spare moved to a floor with bedrooms, the laundry moved from the entrance level; then
 * rooms the home can do without dropped: a closet pair while another closet remains, the entrance
 * room of a one-floor home (the hallway is then the entrance). Floors that take a room are tried
 * lightest first.
 */
export function reliefs(p: HomeProgramme, level: number): Relief[] {
  const floor = p.floors.find((f) => f.level === level)!;
  const rooms = (f: FloorProgramme) => [...f.top, ...f.bottom];
  const count = (f: FloorProgramme, t: RoomType) => rooms(f).filter((r) => r.type === t).length;
  const others = p.floors.filter((f) => f !== floor).sort((a, b) => total(rooms(a)) - total(rooms(b)));
  const out: Relief[] = [];
  // The unit at `side[i]`: the room and the closet pair standing beside it.
  const unit = (side: RoomSpec[], i: number) => (side[i + 1]?.back && side[i + 1]!.type === 'closet' ? 2 : 1);
  const edit = (change: (q: HomeProgramme, from: FloorProgramme) => void, to: number | null) => {
    const q: HomeProgramme = { ...p, floors: p.floors.map((f) => ({ ...f, top: [...f.top], bottom: [...f.bottom] })) };
    const from = q.floors.find((f) => f.level === level)!;
    change(q, from);
    out.push({ programme: q, to });
  };
  const move = (type: RoomType, targets: FloorProgramme[]) => {
    for (const sideName of ['top', 'bottom'] as const) {
      const i = floor[sideName].map((r) => r.type).lastIndexOf(type);
      if (i < 0) continue;
      for (const target of targets) {
        edit((q, from) => {
          const moved = from[sideName].splice(i, unit(floor[sideName], i));
          const to = q.floors.find((f) => f.level === target.level)!;
          (total(to.top) <= total(to.bottom) ? to.top : to.bottom).push(...moved);
        }, target.level);
      }
    }
  };
  const drop = (test: (r: RoomSpec, side: RoomSpec[], i: number) => boolean) => {
    for (const sideName of ['top', 'bottom'] as const) {
      const i = floor[sideName].findIndex((r, k) => test(r, floor[sideName], k));
      if (i >= 0) edit((_, from) => from[sideName].splice(i, 1), null);
    }
  };

  // An optional room (a dining room, an office) may hold a place a room the home needs could take.
  drop((r) => r.optional);
  // Bedrooms go upstairs, or down to the entrance level of a home with more than three; an upper
  // floor keeps one.
  const sleeps = (f: FloorProgramme) => f.level > 0 || (f.level === 0 && p.bedrooms > 3);
  if (count(floor, 'bedroom') > (level > 0 ? 1 : 0)) move('bedroom', others.filter(sleeps));
  // A bathroom goes with bedrooms; the entrance level keeps one (or its WC).
  const spare = count(floor, 'bathroom') - (level > 0 || (level === 0 && count(floor, 'toilet') === 0) ? 1 : 0);
  if (spare > 0)
    move(
      'bathroom',
      others.filter((f) => count(f, 'bedroom') > 0),
    );
  if (level === 0) move('laundry', others);
  const closets = p.floors.reduce((s, f) => s + rooms(f).filter((r) => r.back === 'closet').length, 0);
  if (closets > 1) drop((r, side, i) => r.type === 'closet' && r.back === 'closet' && !side[i - 1]?.main);
  // Only without stairs: they stand in a hallway, which the entrance level's would no longer be.
  if (level === 0 && p.floors.length === 1) drop((r) => r.type === 'entrance');
  return out;
}
