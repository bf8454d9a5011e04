// oidc-provider keeps each request's context in one AsyncLocalStorage (lib/helpers/als.js, no typings).
declare module 'oidc-provider/lib/helpers/als.js' {
  import type { AsyncLocalStorage } from 'node:async_hooks';
  const als: AsyncLocalStorage<unknown>;
  export default als;
}
