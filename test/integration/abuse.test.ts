// Every attack of docs/security.md as a test against a running server (SQLite, and PostgreSQL when
// the suite runs there). Each area's attacks are in a file of test/integration/abuse/.
import './abuse/keys.js';
import './abuse/secrets.js';
import './abuse/evidence.js';
import './abuse/ownership.js';
