/** Object key of a rendered report: one per scan and format, so a later request overwrites the same object. */
export function reportObjectKey(scanId: string, format: string): string {
  return `reports/${encodeURIComponent(scanId)}/report.${format === 'markdown' ? 'md' : format}`;
}
