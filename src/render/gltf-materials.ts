// The 3D model's materials. Colours are written as the sRGB a viewer shows and stored linear, as
// glTF wants. Walls are a dark slate that stands out on the viewer's pale background
// (#eef1f4) and against every floor; floors are coloured by what people walk on in each kind of
// room, so rooms read apart from above; fixtures are porcelain, cabinet wood, appliances and stone.
import type { RoomType } from './model.js';

export interface MaterialSpec {
  name: string;
  /** sRGB, as seen. */
  color: string;
  roughness: number;
  metallic?: number;
  /** Below 1: blended (glass). */
  alpha?: number;
}

export const MATERIALS = {
  wall: { name: 'Wall', color: '#4f535a', roughness: 0.9 },
  slab: { name: 'Slab', color: '#9ea3a8', roughness: 0.95 },
  floorLiving: { name: 'Floor wood', color: '#c39a6b', roughness: 0.7 },
  floorBedroom: { name: 'Floor bedroom', color: '#d9c7a5', roughness: 0.8 },
  floorWet: { name: 'Floor tile', color: '#b7d2e0', roughness: 0.5 },
  floorKitchen: { name: 'Floor kitchen', color: '#e6d5a8', roughness: 0.6 },
  floorCirculation: { name: 'Floor hallway', color: '#d8d2c6', roughness: 0.8 },
  floorService: { name: 'Floor concrete', color: '#bdb9b2', roughness: 0.9 },
  floorOutdoor: { name: 'Floor outdoor', color: '#a48c72', roughness: 0.9 },
  stairs: { name: 'Stairs', color: '#a8876a', roughness: 0.7 },
  glass: { name: 'Glass', color: '#9fd0ef', roughness: 0.1, alpha: 0.35 },
  porcelain: { name: 'Porcelain', color: '#f7f7f4', roughness: 0.25 },
  cabinet: { name: 'Cabinet', color: '#9c7350', roughness: 0.7 },
  worktop: { name: 'Worktop', color: '#46474c', roughness: 0.4 },
  steel: { name: 'Steel', color: '#c4c8cc', roughness: 0.35, metallic: 0.6 },
  appliance: { name: 'Appliance', color: '#eceeef', roughness: 0.35 },
  applianceDark: { name: 'Appliance dark', color: '#2a2c30', roughness: 0.4 },
  stone: { name: 'Stone', color: '#8d8780', roughness: 0.9 },
} as const satisfies Record<string, MaterialSpec>;

export type MaterialKey = keyof typeof MATERIALS;

const WET: readonly RoomType[] = ['bathroom', 'toilet', 'sauna', 'laundry'];
const SERVICE: readonly RoomType[] = ['closet', 'storage', 'utility', 'garage', 'other'];

export function floorMaterial(type: RoomType): MaterialKey {
  if (type === 'balcony' || type === 'terrace' || type === 'porch') return 'floorOutdoor';
  if (WET.includes(type)) return 'floorWet';
  if (type === 'kitchen') return 'floorKitchen';
  if (type === 'bedroom') return 'floorBedroom';
  if (type === 'hallway' || type === 'entrance') return 'floorCirculation';
  if (SERVICE.includes(type)) return 'floorService';
  return 'floorLiving';
}

/** An sRGB hex colour as glTF's linear factors. */
export function linearRgb(hex: string): [number, number, number] {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return Math.round((c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4) * 10_000) / 10_000;
  };
  return [channel(0), channel(1), channel(2)];
}

/** The glTF material of a spec. */
export function gltfMaterial(spec: MaterialSpec): Record<string, unknown> {
  const alpha = spec.alpha ?? 1;
  return {
    name: spec.name,
    pbrMetallicRoughness: {
      baseColorFactor: [...linearRgb(spec.color), alpha],
      metallicFactor: spec.metallic ?? 0,
      roughnessFactor: spec.roughness,
    },
    ...(alpha < 1 ? { alphaMode: 'BLEND', doubleSided: true } : {}),
  };
}
