// undici's Pool and error classes by their own modules. The package's index also loads fetch,
// WebSocket, EventSource, the cache stores and the mock agents, none of which the "http"
// transport uses: 8–14 MB more resident memory and twice the import time. undici has no `exports`
// map, and this package pins its version (the tests cover these two paths).
declare module "undici/lib/dispatcher/pool.js" {
  import { Pool } from "undici";
  export default Pool;
}
declare module "undici/lib/core/errors.js" {
  import { errors } from "undici";
  export default errors;
}
