// The drawing styles of the contract's templates, and the options every 2D renderer takes.
import type { RoomType } from './model.js';
import type { Language } from './labels.js';
import type { Units } from './units.js';

export const STYLE_TEMPLATES = ['default', 'classic', 'blueprint', 'monochrome'] as const;
export type StyleTemplate = (typeof STYLE_TEMPLATES)[number];

export interface DrawOptions {
  template: StyleTemplate;
  units: Units;
  language: Language;
  /** Whether the reports and the combined PDF use the drawings with measurements. */
  showDimensions: boolean;
  /** Free text printed on the reports (the order's styling `add_info`), may be empty. */
  note: string;
}

export const DEFAULT_DRAW_OPTIONS: DrawOptions = { template: 'default', units: 'metric', language: 'en', showDimensions: false, note: '' };

export interface Palette {
  background: string;
  wall: string;
  /** Room fill by type; rooms of types not listed use `roomFill`. */
  roomFill: string;
  roomFills: Partial<Record<RoomType, string>>;
  roomStroke: string;
  label: string;
  area: string;
  dimension: string;
  door: string;
  window: string;
  stairs: string;
  fixture: string;
  title: string;
  labelWeight: 'normal' | 'bold';
}

const WET: RoomType[] = ['bathroom', 'toilet', 'sauna', 'laundry'];

export const PALETTES: Record<StyleTemplate, Palette> = {
  default: {
    background: '#ffffff',
    wall: '#2b2b2b',
    roomFill: '#f6f3ee',
    roomFills: Object.fromEntries(WET.map((t) => [t, '#e8f0f5'])),
    roomStroke: '#d0c8bb',
    label: '#222222',
    area: '#555555',
    dimension: '#6b6b6b',
    door: '#2b2b2b',
    window: '#4a90c2',
    stairs: '#8a8a8a',
    fixture: '#6f6a62',
    title: '#222222',
    labelWeight: 'bold',
  },
  classic: {
    background: '#fbf6e9',
    wall: '#3b2f25',
    roomFill: '#f3e6c8',
    roomFills: { ...Object.fromEntries(WET.map((t) => [t, '#dfe7e0'])), kitchen: '#f0dcc0', bedroom: '#efe0d3' },
    roomStroke: '#c9b48f',
    label: '#3b2f25',
    area: '#6e5a45',
    dimension: '#7a6550',
    door: '#3b2f25',
    window: '#6b8fa3',
    stairs: '#8d7a63',
    fixture: '#6e5a45',
    title: '#3b2f25',
    labelWeight: 'normal',
  },
  blueprint: {
    background: '#1f4e8c',
    wall: '#ffffff',
    roomFill: 'none',
    roomFills: {},
    roomStroke: '#8fb3e0',
    label: '#ffffff',
    area: '#d6e4f5',
    dimension: '#d6e4f5',
    door: '#ffffff',
    window: '#ffffff',
    stairs: '#d6e4f5',
    fixture: '#d6e4f5',
    title: '#ffffff',
    labelWeight: 'normal',
  },
  monochrome: {
    background: '#ffffff',
    wall: '#000000',
    roomFill: '#ffffff',
    roomFills: {},
    roomStroke: '#000000',
    label: '#000000',
    area: '#000000',
    dimension: '#000000',
    door: '#000000',
    window: '#000000',
    stairs: '#000000',
    fixture: '#000000',
    title: '#000000',
    labelWeight: 'bold',
  },
};
