// PDF documents with pdfkit: fixed metadata dates (so bytes repeat), text in the PDF standard
// Helvetica (its WinAnsi set covers every label language we print, needs no embedding and lays out
// several times faster than an embedded TrueType font), and SVG drawings placed as vector graphics
// (svg-to-pdfkit), never as rasters. Both are loaded with the first document, not by every process
// (a command line, an API process) that only might draw one: they and their font tables are about
// a fifth of the modules a process would load.

let libs: { PDFDocument: typeof import('pdfkit'); SVGtoPDF: typeof import('svg-to-pdfkit').default } | undefined;

async function pdfLibs() {
  if (!libs) {
    const [pdfkit, svgToPdf] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit')]);
    libs = { PDFDocument: pdfkit.default, SVGtoPDF: svgToPdf.default };
  }
  return libs;
}

/** Every PDF claims this creation date: output depends on the model only, not on the clock. */
export const PDF_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

export const A4_PORTRAIT: [number, number] = [595.28, 841.89];
export const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
export const PAGE_MARGIN = 40;

export const SANS = 'Helvetica';
export const SANS_BOLD = 'Helvetica-Bold';

export async function newPdf(title: string): Promise<PDFKit.PDFDocument> {
  const { PDFDocument } = await pdfLibs();
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    margin: PAGE_MARGIN,
    info: {
      Title: title,
      Author: 'casa-integrate',
      Creator: 'casa-integrate',
      Producer: 'casa-integrate',
      CreationDate: PDF_DATE,
      ModDate: PDF_DATE,
    },
  });
  return doc;
}

export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Draws an SVG drawing as vectors, fitted into the box (of a document from `newPdf`, which loaded the library). */
export function drawSvg(doc: PDFKit.PDFDocument, svg: string, box: { x: number; y: number; width: number; height: number }): void {
  libs!.SVGtoPDF(doc, svg, box.x, box.y, {
    width: box.width,
    height: box.height,
    preserveAspectRatio: 'xMidYMid meet',
    fontCallback: (_family, bold) => (bold ? SANS_BOLD : SANS),
    warningCallback: () => {},
  });
}

/** A page of the given size, returning the drawable box inside the margins. */
export function addPage(doc: PDFKit.PDFDocument, size: [number, number]): { x: number; y: number; width: number; height: number } {
  doc.addPage({ size, margin: PAGE_MARGIN });
  return { x: PAGE_MARGIN, y: PAGE_MARGIN, width: size[0] - 2 * PAGE_MARGIN, height: size[1] - 2 * PAGE_MARGIN };
}
