import { extractText } from 'unpdf';

/** The text of each page of a PDF, as PDF.js extracts it (white space collapsed to single spaces). */
export async function pdfPageTexts(pdf: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: false });
  return text.map((t) => t.replace(/\s+/g, ' '));
}

/** How often `needle` occurs in `text`, without overlaps. */
export function occurrences(text: string, needle: string): number {
  return needle === '' ? 0 : text.split(needle).length - 1;
}
