import QRCode from 'qrcode';

export type QrFormat = 'SVG' | 'PNG';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  format: QrFormat;
  /** Width of the image in pixels (PNG) or user units (SVG), quiet zone included. */
  size: number;
  errorCorrection: QrErrorCorrection;
}

export const QR_LIMITS = { minSize: 64, maxSize: 2048 } as const;

/**
 * A QR code of a Digital Link URI. GS1 recommends error correction M or
 * higher on packaging; the quiet zone is the 4 modules ISO/IEC 18004 asks for.
 */
export async function qrCode(text: string, options: QrOptions): Promise<{ contentType: string; body: Buffer }> {
  const common = { errorCorrectionLevel: options.errorCorrection, margin: 4, width: options.size };
  if (options.format === 'SVG') {
    return { contentType: 'image/svg+xml', body: Buffer.from(await QRCode.toString(text, { ...common, type: 'svg' })) };
  }
  return { contentType: 'image/png', body: await QRCode.toBuffer(text, { ...common, type: 'png' }) };
}

/** The module matrix, for drawing into a PDF without rasterising. */
export function qrMatrix(text: string, errorCorrection: QrErrorCorrection): { size: number; dark: (x: number, y: number) => boolean } {
  const code = QRCode.create(text, { errorCorrectionLevel: errorCorrection });
  const { size, data } = code.modules;
  return { size, dark: (x, y) => Boolean(data[y * size + x]) };
}
