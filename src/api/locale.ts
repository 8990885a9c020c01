// The reader's language at the HTTP edge: Accept-Language picks the catalogue (src/i18n), every
// reply says which one it used (Content-Language) and that it depends on the header (Vary), and
// JSON bodies have their labels, reasons' texts and advice rendered in that language.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { matchLocale, negotiateLocale } from '../i18n/locale.js';
import { localise } from '../i18n/render.js';
import type { Locale } from '../i18n/types.js';

/** The language a request asked for (English without an Accept-Language header). */
export function requestLocale(request: FastifyRequest): Locale {
  return negotiateLocale(request.headers['accept-language']);
}

/**
 * The language a request named, or undefined when it named none served: no header, "*" (what
 * Node's fetch sends by default) or only other languages. Then bodies go out as the domain wrote them.
 */
export function requestedLocale(request: FastifyRequest): Locale | undefined {
  return namedLocale(request.headers['accept-language']);
}

/** requestedLocale from the Accept-Language header's value, for a reply written outside fastify (the screening fast path). */
export function namedLocale(header: string | undefined): Locale | undefined {
  return header === undefined ? undefined : matchLocale(header);
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'Accept-Language');
  else if (!/(^|,)\s*accept-language\s*(,|$)/i.test(String(vary))) reply.header('vary', `${String(vary)}, Accept-Language`);
}

/**
 * Content-Language and Vary on a reply. Set as the request arrives, by the onRequest hook every route
 * already has (authentication, or the address rate limit) and again on every problem document, so
 * that no onSend hook runs per request (issue 17). A header a route adds later (the static files'
 * `Vary: Accept-Encoding`) appends to Vary, as @fastify/static does.
 */
export function languageHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('content-language', requestLocale(request));
  addVary(reply);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler renders its own reply in the reader's language (the screening hot path): no preSerialization hook. */
    localisesItself?: boolean;
  }
}

/** A route's result in the language the request named (unchanged without one): for routes that localise themselves. */
export function inReadersLanguage<T>(request: FastifyRequest, result: T): T {
  return inLanguageNamed(request.headers['accept-language'], result);
}

/** inReadersLanguage from the Accept-Language header's value (the screening fast path). */
export function inLanguageNamed<T>(header: string | undefined, result: T): T {
  const locale = namedLocale(header);
  return locale === undefined ? result : localise(result, locale);
}

export function speakTheReadersLanguage(app: FastifyInstance): void {
  // Without a served language named the body goes out as the domain wrote it (English, and advice
  // in the subscriber's or session's own language): nothing to walk on the hot path. Added per route
  // (a route that renders its own reply skips the hook and its turn through fastify's hook runner).
  const render = (request: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void => {
    done(null, inReadersLanguage(request, payload));
  };
  app.addHook('onRoute', (r) => {
    if (r.config?.localisesItself) return;
    r.preSerialization = [render, ...[r.preSerialization ?? []].flat()] as typeof r.preSerialization;
  });
}
