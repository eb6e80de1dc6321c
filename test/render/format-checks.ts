// Real parsers for every delivered format, shared by the render and deliverables tests.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import yauzl from 'yauzl';
import dxfParserModule, { type IDxf } from 'dxf-parser';
import validator from 'gltf-validator';

// dxf-parser's CommonJS build exports the class as the default; its typings only name it.
const DxfParser = dxfParserModule as unknown as new () => { parseSync(text: string): IDxf | null };
import sharp from 'sharp';

export interface ParsedSvg {
  width: number;
  height: number;
  rooms: { id: string; type: string; texts: string[] }[];
  background: string | null;
}

/** Parses SVG text as XML (throws when it is not well-formed) and lists its room groups. */
export function parseSvg(text: string): ParsedSvg {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`SVG is not well-formed XML: ${JSON.stringify(valid)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['g', 'text', 'polygon', 'line', 'path', 'rect'].includes(name),
  });
  const doc = parser.parse(text) as { svg: Record<string, unknown> };
  const svg = doc.svg as { width: string; height: string; g?: Record<string, unknown>[]; rect?: { class?: string; fill: string }[] };
  const roomsGroup = (svg.g ?? []).find((g) => g.class === 'rooms') as
    { g?: { class: string; id: string; 'data-room-type': string; text?: ({ '#text': string | number } | string)[] }[] } | undefined;
  const rooms = (roomsGroup?.g ?? [])
    .filter((g) => g.class === 'room')
    .map((g) => ({
      id: g.id,
      type: g['data-room-type'],
      texts: (g.text ?? []).map((t) => String(typeof t === 'object' ? t['#text'] : t)),
    }));
  return {
    width: Number(svg.width),
    height: Number(svg.height),
    rooms,
    background: svg.rect?.find((r) => r.class === 'background')?.fill ?? null,
  };
}

/** The area line of every room label that shows one (a small room's label may drop it). */
export function areaLines(svg: ParsedSvg): string[] {
  return svg.rooms.filter((r) => r.texts.length >= 2).map((r) => r.texts[1]!);
}

/** Whether the drawing shows area lines and every one is in the given unit. */
export function areasIn(svg: ParsedSvg, unit: RegExp): boolean {
  const lines = areaLines(svg);
  return lines.length > 0 && lines.every((l) => unit.test(l));
}

export async function imageSize(data: Buffer): Promise<{ format: string; width: number; height: number }> {
  const meta = await sharp(data).metadata();
  return { format: meta.format!, width: meta.width!, height: meta.height! };
}

/** Page count and the text of each page (pdf.js). */
export async function readPdf(data: Buffer): Promise<{ pages: number; text: string[] }> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const text: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text };
}

export function zipEntries(data: Buffer): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: { name: string; size: number }[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        out.push({ name: e.fileName, size: e.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** What the tests read of a DXF entity (dxf-parser's names): a LINE's or POLYLINE's vertices, a CIRCLE's centre and radius. */
export interface DxfEntity {
  type: string;
  layer: string;
  text?: string;
  vertices?: { x: number; y: number }[];
  /** A closed polyline. */
  shape?: boolean;
  center?: { x: number; y: number };
  radius?: number;
}

export function parseDxf(data: Buffer): { entities: DxfEntity[]; layers: string[] } {
  const parsed = new DxfParser().parseSync(data.toString('latin1'));
  if (!parsed) throw new Error('DXF did not parse');
  return { entities: parsed.entities as unknown as DxfEntity[], layers: Object.keys(parsed.tables.layer.layers) };
}

export async function gltfIssues(data: Buffer): Promise<{ errors: number; warnings: number; messages: unknown[] }> {
  const report = await validator.validateBytes(new Uint8Array(data));
  return { errors: report.issues.numErrors, warnings: report.issues.numWarnings, messages: report.issues.messages };
}
