// Checks a response against the OpenAPI document the server publishes (/openapi.json): the status is
// documented for the operation, the content type is the documented one, and the body validates
// against its schema. test/helpers/server.ts runs it on every response the integration suites
// receive, so drift between the code and the contract fails the test that made the call.
import AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: object;
}

export interface CheckedResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body (or the text when it was not JSON). */
  body: unknown;
  /** The body as received; non-JSON media types (text/csv, text/event-stream) are checked on it. */
  text?: string;
}

export interface ContractChecker {
  /** Problems with one response, or an empty list when it matches the document. */
  check(method: string, path: string, res: CheckedResponse): string[];
}

/** Paths the API contract covers: they must be in the document. Other paths (the console, /docs, /metrics, probes) are not part of it. */
const API_PATH = /^\/(v1|stir\/v1)\//;

export function contractChecker(doc: OpenApiDoc): ContractChecker {
  const ajv = new (Ajv as unknown as new (o: object) => { compile(s: object): ValidateFunction })({ strict: false, allErrors: true, validateFormats: false });
  // Literal segments win over parameters (/v1/lists/notices before /v1/lists/{id}), as in the router.
  const routes = Object.entries(doc.paths)
    .map(([template, item]) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
      item,
    }))
    .sort((a, b) => a.params - b.params);
  const compiled = new Map<object, ValidateFunction>();
  return {
    check(method, path, res) {
      const bare = path.split('?')[0]!;
      const route = routes.find((r) => r.pattern.test(bare));
      if (!route && !API_PATH.test(bare)) return [];
      const head = method.toUpperCase() === 'HEAD';
      const op = route?.item[head ? 'get' : method.toLowerCase()];
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const at = `${method.toUpperCase()} ${bare} → ${res.status}`;
      if (!op) {
        // No operation: only a 404 (unknown path) or 405 (wrong method) problem document may answer.
        const expected = route ? 405 : 404;
        if (res.status === expected && type === 'application/problem+json' && typeof (res.body as { code?: unknown })?.code === 'string') return [];
        return [`${at} ${type}: ${route ? 'the method is not documented for this path' : 'the path is not in the document'}`];
      }
      const documented = op.responses?.[String(res.status)] ?? op.responses?.[`${String(res.status)[0]}XX`] ?? op.responses?.default;
      if (!documented) return [`${at}: status not documented (documented: ${Object.keys(op.responses ?? {}).join(', ')})`];
      if (!documented.content) return res.status === 204 || head ? [] : [`${at}: no content documented for this status`];
      if (head) return [];
      const media = documented.content[type];
      if (!media) return [`${at}: came as "${type}", documented as ${Object.keys(documented.content).join(', ')}`];
      if (!media.schema) return [`${at} ${type}: no schema documented`];
      let validate = compiled.get(media.schema);
      if (!validate) compiled.set(media.schema, (validate = ajv.compile({ ...media.schema, components: doc.components ?? {} })));
      const body = /[/+]json$/.test(type) ? res.body : (res.text ?? res.body);
      return validate(body) ? [] : [`${at} ${type}: body does not match the schema: ${ajvErrors(validate)}`];
    },
  };
}

function ajvErrors(v: ValidateFunction): string {
  return (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ');
}

const byServer = new Map<string, Promise<ContractChecker>>();

/**
 * Throws (failing the test that made the call) when a response does not match the server's
 * /openapi.json. On by default; CALLSHIELD_TEST_CONTRACT=0 turns it off while debugging.
 */
export async function assertContract(baseUrl: string, method: string, path: string, res: CheckedResponse): Promise<void> {
  if (process.env.CALLSHIELD_TEST_CONTRACT === '0') return;
  let checker = byServer.get(baseUrl);
  if (!checker) {
    byServer.set(baseUrl, (checker = fetch(`${baseUrl}/openapi.json`).then(async (r) => contractChecker((await r.json()) as OpenApiDoc))));
    checker.catch(() => byServer.delete(baseUrl));
  }
  const problems = (await checker).check(method, path, res);
  if (problems.length) throw new Error(`response does not match /openapi.json: ${problems.join('; ')}`);
}
