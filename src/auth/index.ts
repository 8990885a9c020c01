export { ROLES, PERSONAL_ROLES, parseRole, parseOrgName, parsePerson } from './roles.js';
export type { Role } from './roles.js';
export { PERMISSIONS, allows, OVERSEERS } from './permissions.js';
export type { Permission } from './permissions.js';
export { generateApiKey, hashApiKey, looksLikeApiKey, KEY_PREFIX } from './api-keys.js';
