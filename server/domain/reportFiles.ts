/**
 * One report, every file: picks the renderer for a format and says what the file is. The
 * route and the benchmark both go through here, so what is measured is what is served.
 */
import type { Report, ReportFormat, ReportLanguage, ReportVersion } from '../../shared/report.js';
import { reportOutline } from '../../shared/reportOutline.js';
import { renderCsv } from './reportCsv.js';
import { renderDocx } from './reportDocx.js';
import { renderHtml } from './reportHtml.js';
import type { ReportLogo } from './reportLogo.js';
import { renderMarkdown } from './reportMarkdown.js';
import { renderPdf } from './reportPdf.js';
import { renderXlsx } from './reportXlsx.js';

export interface ReportFile {
  body: Buffer;
  type: string;
}

export interface FileOptions {
  lang: ReportLanguage;
  version: ReportVersion;
  logo?: ReportLogo | undefined;
}

export const REPORT_TYPES: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
};

export async function renderReportFile(report: Report, format: ReportFormat, { lang, version, logo }: FileOptions): Promise<ReportFile> {
  const outline = () => reportOutline(report, lang, { version });
  const file = (body: Buffer | string): ReportFile => ({ body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), type: REPORT_TYPES[format] });
  switch (format) {
    case 'docx':
      return file(await renderDocx(outline(), { logo }));
    case 'pdf':
      return file(await renderPdf(outline(), { logo }));
    case 'xlsx':
      return file(await renderXlsx(outline()));
    case 'html':
      return file(renderHtml(outline()));
    case 'md':
      return file(renderMarkdown(outline()));
    case 'csv':
      return file(renderCsv(report, lang, version));
    case 'json':
      // The public version is the document, not the record: the record has every table's detail.
      return file(JSON.stringify(version === 'public' ? { version, ...outline() } : report, null, 2));
  }
}
