const kNumber = new Intl.NumberFormat('en');

export function count(n: number): string {
  return kNumber.format(n);
}

/** "3 users", "1 user": `plural` defaults to the singular with an "s". */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : plural}`;
}

const kDate = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export function dateTime(unixSeconds: number): string {
  return kDate.format(new Date(unixSeconds * 1000));
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
