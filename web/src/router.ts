// Hash routing (#/lookup?id=...): the server serves one index.html and needs no fallback route.
import type { PageId } from './access.js';

export interface Route {
  page: PageId;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = (path || 'home') as PageId;
  return { page, params: new URLSearchParams(query) };
}

export function navigate(page: PageId, params?: Record<string, string>): void {
  const q = params ? `?${new URLSearchParams(params).toString()}` : '';
  location.hash = `#/${page}${q}`;
}

export function href(page: PageId, params?: Record<string, string>): string {
  return `#/${page}${params ? `?${new URLSearchParams(params).toString()}` : ''}`;
}
