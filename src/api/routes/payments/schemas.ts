// JSON Schemas shared by the payments route families. Meaning (checksums, ISO 4217, ranges) is
// checked in src/payments so that the error names the payments code and the field.
export const accountString = { type: 'string', minLength: 1, maxLength: 200, description: 'Card number, IBAN, <platform>:<id>, Bitcoin or Ethereum address' } as const;
export const amountNumber = { type: 'number', description: 'Amount in the currency unit (not minor units), > 0 and <= 1e12' } as const;
export const currencyString = { type: 'string', minLength: 1, maxLength: 8, description: 'ISO 4217 code' } as const;
export const reasonBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } },
} as const;
export const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
export const subscriberParams = { type: 'object', additionalProperties: false, required: ['subscriber'], properties: { subscriber: { type: 'string', minLength: 1, maxLength: 512 } } } as const;
export const limitQuery = { limit: { type: 'integer', minimum: 1, maximum: 1000 } } as const;
