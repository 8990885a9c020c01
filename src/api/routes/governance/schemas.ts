// Shared pieces of the governance route schemas.
export const phoneString = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const purposeEnum = ['marketing', 'research', 'notifications', 'customer-service'] as const;
export const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const reasonList = { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, text: { type: 'string' } }, required: ['code', 'text'] } } as const;

