// Hash routing: `#/users`, `#/import`, `#/import/12`, `#/templates`, `#/audit`. Deep links
// work without any server-side fallback, since the path itself is always `/`.
import { useEffect, useState } from 'preact/hooks';

export function currentRoute(): string[] {
  const path = window.location.hash.replace(/^#\/?/, '');
  return path.split('/').filter((part) => part !== '');
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(path: string): string {
  return `#/${path}`;
}

/** Goes to `path`; `replace` keeps the history entry (used when a wizard job gets its id). */
export function navigate(path: string, replace = false): void {
  const target = href(path);
  if (window.location.hash === target) return;
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}
