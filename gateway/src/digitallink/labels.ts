import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { qrMatrix, type QrErrorCorrection } from '@nguon/gs1/digitallink/qr';

const require = createRequire(import.meta.url);
// DejaVu Sans covers Vietnamese; PDF's built-in Helvetica does not.
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export interface Label {
  uri: string;
  productName: string;
  lotCode: string;
  expiresOn?: string | null;
  serial?: string | null;
}

export interface SheetOptions {
  /** Labels across and down an A4 page. */
  columns: number;
  rows: number;
  errorCorrection: QrErrorCorrection;
}

export const MAX_LABELS = 5000;

const mm = (v: number) => (v * 72) / 25.4;

/** A4 sheets of labels (QR + product name + lot + expiry), N per page, as a PDF buffer. */
export function labelSheet(labels: Label[], options: SheetOptions): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: 'Nhãn truy xuất nguồn gốc', Producer: 'Nguồn' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const pageW = mm(210);
  const pageH = mm(297);
  const margin = mm(8);
  const cellW = (pageW - 2 * margin) / options.columns;
  const cellH = (pageH - 2 * margin) / options.rows;
  const perPage = options.columns * options.rows;

  labels.forEach((label, index) => {
    if (index % perPage === 0) doc.addPage();
    const slot = index % perPage;
    const x = margin + (slot % options.columns) * cellW;
    const y = margin + Math.floor(slot / options.columns) * cellH;
    const qrSide = Math.min(cellW * 0.45, cellH - mm(6));
    const matrix = qrMatrix(label.uri, options.errorCorrection);
    const module = qrSide / (matrix.size + 8);
    const ox = x + mm(3) + 4 * module;
    const oy = y + (cellH - qrSide) / 2 + 4 * module;
    for (let r = 0; r < matrix.size; r++) {
      for (let c = 0; c < matrix.size; c++) if (matrix.dark(c, r)) doc.rect(ox + c * module, oy + r * module, module, module);
    }
    doc.fill('#000');
    const tx = x + mm(3) + qrSide + mm(2);
    const tw = cellW - (tx - x) - mm(2);
    doc
      .font('bold')
      .fontSize(8)
      .text(label.productName, tx, y + mm(4), { width: tw, height: cellH * 0.45, ellipsis: true });
    doc.font('body').fontSize(7);
    doc.text(`Lô / Lot: ${label.lotCode}`, { width: tw });
    if (label.serial) doc.text(`Số sê-ri / Serial: ${label.serial}`, { width: tw });
    if (label.expiresOn) doc.text(`HSD / Exp: ${label.expiresOn}`, { width: tw });
  });
  doc.end();
  return done;
}
