/** "1.4 MB": sizes as people read them (powers of 1024, like Slack and Rocket.Chat). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** A short label for a MIME type: "PDF", "PNG image", "ZIP". */
export function describeType(type: string | undefined, name: string): string {
  const ext = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toUpperCase();
  if (!type) return ext ?? 'File';
  if (type.startsWith('image/')) return `${ext ?? type.slice(6).toUpperCase()} image`;
  if (type.startsWith('video/')) return `${ext ?? 'Video'} video`;
  if (type.startsWith('audio/')) return `${ext ?? 'Audio'} audio`;
  if (type === 'application/pdf') return 'PDF';
  return ext ?? type;
}

/** Only same-origin download paths the server builds are linked (never a URL from elsewhere). */
export function isFileUrl(url: string | undefined): url is string {
  return typeof url === 'string' && url.startsWith('/file-upload/');
}
