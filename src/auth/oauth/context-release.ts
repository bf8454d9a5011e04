import oidcContext from 'oidc-provider/lib/helpers/als.js';

/**
 * oidc-provider runs each request inside an AsyncLocalStorage. On Node 20 an
 * enabled AsyncLocalStorage installs promise hooks for the whole process, and
 * they stay on after the request: every promise anywhere — the /mcp hot path
 * included — then costs about three times as much (measured: authenticated
 * tools/call fell from ~15k to ~10k req/s after one sign-in). This counts the
 * authorization server's requests in flight and disables the storage when the
 * last one has finished; the next request's `run()` enables it again.
 */
export class ContextRelease {
  #inFlight = 0;

  /** Runs one oidc-provider request, releasing the hooks when no other is running. */
  run(handle: () => Promise<void>): void {
    this.#inFlight++;
    handle()
      .catch(() => undefined) // oidc-provider answers its own errors; this only tracks completion
      .finally(() => {
        if (--this.#inFlight === 0) oidcContext.disable();
      });
  }

  /** Whether the storage (and with it Node's promise hooks) is on — for tests. */
  get active(): boolean {
    return (oidcContext as unknown as { enabled?: boolean }).enabled === true;
  }
}
