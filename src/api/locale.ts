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
  const header = request.headers['accept-language'];
  return header === undefined ? undefined : matchLocale(header);
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'Accept-Language');
  else if (!/(^|,)\s*accept-language\s*(,|$)/i.test(String(vary))) reply.header('vary', `${String(vary)}, Accept-Language`);
}

export function speakTheReadersLanguage(app: FastifyInstance): void {
  // Without a served language named the body goes out as the domain wrote it (English, and advice
  // in the subscriber's or session's own language): nothing to walk on the hot path.
  app.addHook('preSerialization', (request, _reply, payload, done) => {
    const locale = requestedLocale(request);
    done(null, locale === undefined ? payload : localise(payload, locale));
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('content-language', requestLocale(request));
    addVary(reply);
    done(null, payload);
  });
}
