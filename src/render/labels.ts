// Room labels and the few words the drawings and reports print, per language. A BCP-47 tag is
// reduced to its primary language; an unsupported one falls back to English.
import type { RoomType } from './model.js';

export const LANGUAGES = ['en', 'fi', 'de', 'fr', 'es', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

export function languageOf(tag: string | null | undefined): Language {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : 'en';
}

const ROOM_LABELS: Record<RoomType, Record<Language, string>> = {
  living_room: { en: 'Living room', fi: 'Olohuone', de: 'Wohnzimmer', fr: 'Séjour', es: 'Salón', sv: 'Vardagsrum' },
  kitchen: { en: 'Kitchen', fi: 'Keittiö', de: 'Küche', fr: 'Cuisine', es: 'Cocina', sv: 'Kök' },
  dining_room: { en: 'Dining room', fi: 'Ruokailutila', de: 'Esszimmer', fr: 'Salle à manger', es: 'Comedor', sv: 'Matsal' },
  bedroom: { en: 'Bedroom', fi: 'Makuuhuone', de: 'Schlafzimmer', fr: 'Chambre', es: 'Dormitorio', sv: 'Sovrum' },
  bathroom: { en: 'Bathroom', fi: 'Kylpyhuone', de: 'Badezimmer', fr: 'Salle de bain', es: 'Baño', sv: 'Badrum' },
  toilet: { en: 'WC', fi: 'WC', de: 'WC', fr: 'WC', es: 'Aseo', sv: 'Toalett' },
  hallway: { en: 'Hallway', fi: 'Käytävä', de: 'Flur', fr: 'Couloir', es: 'Pasillo', sv: 'Hall' },
  entrance: { en: 'Entrance', fi: 'Eteinen', de: 'Diele', fr: 'Entrée', es: 'Recibidor', sv: 'Entré' },
  closet: { en: 'Closet', fi: 'Vaatehuone', de: 'Ankleide', fr: 'Dressing', es: 'Vestidor', sv: 'Klädkammare' },
  office: { en: 'Office', fi: 'Työhuone', de: 'Arbeitszimmer', fr: 'Bureau', es: 'Despacho', sv: 'Arbetsrum' },
  utility: { en: 'Utility', fi: 'Tekninen tila', de: 'Technikraum', fr: 'Local technique', es: 'Cuarto técnico', sv: 'Teknikrum' },
  laundry: { en: 'Laundry', fi: 'Kodinhoitohuone', de: 'Waschküche', fr: 'Buanderie', es: 'Lavadero', sv: 'Tvättstuga' },
  storage: { en: 'Storage', fi: 'Varasto', de: 'Abstellraum', fr: 'Rangement', es: 'Trastero', sv: 'Förråd' },
  sauna: { en: 'Sauna', fi: 'Sauna', de: 'Sauna', fr: 'Sauna', es: 'Sauna', sv: 'Bastu' },
  recreation_room: { en: 'Recreation room', fi: 'Harrastehuone', de: 'Hobbyraum', fr: 'Salle de jeux', es: 'Sala de juegos', sv: 'Allrum' },
  garage: { en: 'Garage', fi: 'Autotalli', de: 'Garage', fr: 'Garage', es: 'Garaje', sv: 'Garage' },
  balcony: { en: 'Balcony', fi: 'Parveke', de: 'Balkon', fr: 'Balcon', es: 'Balcón', sv: 'Balkong' },
  terrace: { en: 'Terrace', fi: 'Terassi', de: 'Terrasse', fr: 'Terrasse', es: 'Terraza', sv: 'Terrass' },
  porch: { en: 'Porch', fi: 'Kuisti', de: 'Veranda', fr: 'Porche', es: 'Porche', sv: 'Veranda' },
  other: { en: 'Room', fi: 'Huone', de: 'Raum', fr: 'Pièce', es: 'Habitación', sv: 'Rum' },
};

export function roomLabel(room: { type: RoomType; name?: string }, lang: Language): string {
  return room.name?.trim() || ROOM_LABELS[room.type][lang];
}

export function floorName(level: number, lang: Language): string {
  const n = level + 1;
  if (level < 0) {
    const base = { en: 'Basement', fi: 'Kellari', de: 'Keller', fr: 'Sous-sol', es: 'Sótano', sv: 'Källare' }[lang];
    return level === -1 ? base : `${base} ${-level}`;
  }
  switch (lang) {
    case 'en':
      return `Floor ${n}`;
    case 'fi':
      return `${n}. kerros`;
    case 'de':
      return level === 0 ? 'Erdgeschoss' : `${level}. Obergeschoss`;
    case 'fr':
      return level === 0 ? 'Rez-de-chaussée' : `${level}${level === 1 ? 'er' : 'e'} étage`;
    case 'es':
      return level === 0 ? 'Planta baja' : `Planta ${level}`;
    case 'sv':
      return `Plan ${n}`;
  }
}

const TERMS = {
  total: { en: 'Total', fi: 'Yhteensä', de: 'Gesamt', fr: 'Total', es: 'Total', sv: 'Totalt' },
  room: { en: 'Room', fi: 'Huone', de: 'Raum', fr: 'Pièce', es: 'Estancia', sv: 'Rum' },
  area: { en: 'Area', fi: 'Pinta-ala', de: 'Fläche', fr: 'Surface', es: 'Superficie', sv: 'Area' },
  floor: { en: 'Floor', fi: 'Kerros', de: 'Geschoss', fr: 'Niveau', es: 'Planta', sv: 'Plan' },
  floors: { en: 'Floors', fi: 'Kerroksia', de: 'Geschosse', fr: 'Niveaux', es: 'Plantas', sv: 'Plan' },
  rooms: { en: 'Rooms', fi: 'Huoneita', de: 'Räume', fr: 'Pièces', es: 'Estancias', sv: 'Rum' },
  bedrooms: { en: 'Bedrooms', fi: 'Makuuhuoneita', de: 'Schlafzimmer', fr: 'Chambres', es: 'Dormitorios', sv: 'Sovrum' },
  bathrooms: { en: 'Bathrooms', fi: 'Kylpyhuoneita', de: 'Badezimmer', fr: 'Salles de bain', es: 'Baños', sv: 'Badrum' },
  totalArea: {
    en: 'Total area',
    fi: 'Kokonaispinta-ala',
    de: 'Gesamtfläche',
    fr: 'Surface totale',
    es: 'Superficie total',
    sv: 'Total area',
  },
  floorPlan: { en: 'Floor plan', fi: 'Pohjapiirros', de: 'Grundriss', fr: 'Plan', es: 'Plano', sv: 'Planritning' },
  homeReport: {
    en: 'Home report',
    fi: 'Kotiraportti',
    de: 'Hausbericht',
    fr: 'Rapport du logement',
    es: 'Informe de la vivienda',
    sv: 'Bostadsrapport',
  },
  snapshot: {
    en: 'Property snapshot',
    fi: 'Kohteen yhteenveto',
    de: 'Objektübersicht',
    fr: 'Aperçu du bien',
    es: 'Resumen del inmueble',
    sv: 'Objektöversikt',
  },
  gla: {
    en: 'Gross living area',
    fi: 'Asuinpinta-ala',
    de: 'Wohnfläche',
    fr: 'Surface habitable',
    es: 'Superficie habitable',
    sv: 'Boarea',
  },
  belowGrade: {
    en: 'Below grade, excluded',
    fi: 'Maanpinnan alla, ei mukana',
    de: 'Unter Gelände, nicht enthalten',
    fr: 'Sous le niveau du sol, exclu',
    es: 'Bajo rasante, excluida',
    sv: 'Under mark, ej medräknad',
  },
  included: { en: 'Included', fi: 'Mukana', de: 'Enthalten', fr: 'Inclus', es: 'Incluida', sv: 'Medräknad' },
  notToScale: {
    en: 'For illustration only, not to scale',
    fi: 'Suuntaa-antava, ei mittakaavassa',
    de: 'Nur zur Veranschaulichung, nicht maßstabsgetreu',
    fr: 'À titre indicatif, pas à l’échelle',
    es: 'Solo ilustrativo, no a escala',
    sv: 'Endast illustration, ej skalenlig',
  },
} satisfies Record<string, Record<Language, string>>;

export type Term = keyof typeof TERMS;

export function term(key: Term, lang: Language): string {
  return TERMS[key][lang];
}
