// Checks a response against the OpenAPI document the server publishes (/openapi.json): the status is
// documented for the operation, the content type is the documented one, and the body validates
// against its schema. Drift between the code and the contract then fails a test.
import AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}

export interface ContractChecker {
  /** Problems with one response, or an empty list when it matches the document. */
  check(method: string, path: string, res: { status: number; headers: Headers; body: unknown }): string[];
}

export function contractChecker(doc: { paths: Record<string, Record<string, Operation>>; components?: object }): ContractChecker {
  const ajv = new (Ajv as unknown as new (o: object) => { compile(s: object): ValidateFunction })({ strict: false, allErrors: true, validateFormats: false });
  const routes = Object.entries(doc.paths).map(([template, item]) => ({
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    item,
  }));
  const compiled = new Map<object, ValidateFunction>();
  return {
    check(method, path, res) {
      const bare = path.split('?')[0]!;
      const route = routes.find((r) => r.pattern.test(bare));
      const op = route?.item[method.toLowerCase()];
      if (!op) {
        // No operation: only a 404 (unknown path) or 405 (wrong method) problem document may answer.
        const expected = route ? 405 : 404;
        const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
        if (res.status === expected && type === 'application/problem+json' && typeof (res.body as { code?: unknown })?.code === 'string') return [];
        return [`${method} ${bare} is ${route ? 'not documented' : 'not in the document'} and answered ${res.status} ${type}`];
      }
      const documented = op.responses?.[String(res.status)] ?? op.responses?.default;
      if (!documented) return [`${method} ${bare} answered ${res.status}, which is not documented`];
      if (!documented.content) return [];
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const media = documented.content[type];
      if (!media) return [`${method} ${bare} ${res.status} came as ${type}, documented as ${Object.keys(documented.content).join(', ')}`];
      if (!media.schema) return [];
      let validate = compiled.get(media.schema);
      if (!validate) compiled.set(media.schema, (validate = ajv.compile({ ...media.schema, components: doc.components ?? {} })));
      return validate(res.body) ? [] : [`${method} ${bare} ${res.status} body: ${ajv_errors(validate)}`];
    },
  };
}

function ajv_errors(v: ValidateFunction): string {
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}
