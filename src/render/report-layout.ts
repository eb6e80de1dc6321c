// Text layout shared by the PDF reports: headings, key figures and tables that break across pages.
import { A4_PORTRAIT, PAGE_MARGIN, SANS, SANS_BOLD, addPage } from './pdf.js';

export const INK = '#222222';
export const MUTED = '#666666';
export const RULE = '#cccccc';

export class ReportWriter {
  y = PAGE_MARGIN;
  readonly width = A4_PORTRAIT[0] - 2 * PAGE_MARGIN;

  constructor(readonly doc: PDFKit.PDFDocument) {}

  page(): void {
    addPage(this.doc, A4_PORTRAIT);
    this.y = PAGE_MARGIN;
  }

  private ensure(height: number): void {
    if (this.y + height > A4_PORTRAIT[1] - PAGE_MARGIN) this.page();
  }

  title(text: string, subtitle?: string): void {
    this.doc.font(SANS_BOLD).fontSize(22).fillColor(INK).text(text, PAGE_MARGIN, this.y, { width: this.width, lineBreak: false });
    this.y += 30;
    if (subtitle) {
      this.doc.font(SANS).fontSize(11).fillColor(MUTED).text(subtitle, PAGE_MARGIN, this.y, { width: this.width });
      this.y = this.doc.y + 6;
    }
    this.y += 8;
  }

  heading(text: string): void {
    this.ensure(40);
    this.y += 4;
    this.doc.font(SANS_BOLD).fontSize(12).fillColor(INK).text(text, PAGE_MARGIN, this.y, { width: this.width, lineBreak: false });
    this.y += 18;
  }

  paragraph(text: string): void {
    if (!text) return;
    this.ensure(30);
    this.doc.font(SANS).fontSize(10).fillColor(MUTED).text(text, PAGE_MARGIN, this.y, { width: this.width });
    this.y = this.doc.y + 8;
  }

  /** Label–value pairs in two columns. */
  facts(pairs: [string, string][]): void {
    const colWidth = this.width / 2;
    pairs.forEach(([label, value], i) => {
      if (i % 2 === 0) this.ensure(34);
      const x = PAGE_MARGIN + (i % 2) * colWidth;
      this.doc
        .font(SANS)
        .fontSize(9)
        .fillColor(MUTED)
        .text(label, x, this.y, { width: colWidth - 10, lineBreak: false });
      this.doc
        .font(SANS_BOLD)
        .fontSize(13)
        .fillColor(INK)
        .text(value, x, this.y + 11, { width: colWidth - 10, lineBreak: false });
      if (i % 2 === 1 || i === pairs.length - 1) this.y += 34;
    });
    this.y += 4;
  }

  /**
   * A table; `widths` are fractions of the page width; columns after the first are right-aligned.
   * The header repeats on each new page. The last row is bold when `totalRow` is set.
   */
  table(header: string[], rows: string[][], widths: number[], totalRow = false): void {
    const rowHeight = 14.5;
    const drawRow = (cells: string[], bold: boolean) => {
      let x = PAGE_MARGIN;
      cells.forEach((cell, i) => {
        const w = widths[i]! * this.width;
        this.doc
          .font(bold ? SANS_BOLD : SANS)
          .fontSize(9)
          .fillColor(INK)
          .text(cell, x + 4, this.y + 3.5, { width: w - 8, align: i === 0 ? 'left' : 'right', lineBreak: false });
        x += w;
      });
      this.y += rowHeight;
      this.doc
        .moveTo(PAGE_MARGIN, this.y)
        .lineTo(PAGE_MARGIN + this.width, this.y)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
    };
    this.ensure(rowHeight * 2);
    drawRow(header, true);
    rows.forEach((row, i) => {
      if (this.y + rowHeight > A4_PORTRAIT[1] - PAGE_MARGIN) {
        this.page();
        drawRow(header, true);
      }
      drawRow(row, totalRow && i === rows.length - 1);
    });
    this.y += 6;
  }
}
