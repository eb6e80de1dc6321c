// ZIP archives with fixed timestamps and modes, entries in the given order: same files, same bytes.
import yazl from 'yazl';
import { PDF_DATE } from './pdf.js';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** PNG, JPG and our PDFs are compressed already: deflating them again costs CPU and saves nothing. */
const STORED = /\.(png|jpe?g|pdf|glb|zip)$/i;

export function zipFiles(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { mtime: PDF_DATE, mode: 0o100644, compress: !STORED.test(e.name) });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
