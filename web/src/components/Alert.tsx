import type { ComponentChildren } from 'preact';

/** A message next to what it concerns; announced by screen readers when it appears. */
export function ErrorText({ id, children }: { id?: string; children: ComponentChildren }) {
  if (children === null || children === undefined || children === '' || children === false)
    return null;
  return (
    <p id={id} class="error-text" role="alert">
      {children}
    </p>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}
