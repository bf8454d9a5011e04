/**
 * A tool's policy, declared as data beside its schema. Each field is enforced
 * by one stage of the pipeline (docs/tool-policy.md); a field left out takes
 * the product's default (`policy.defaults`), and a product default left out
 * takes the value documented here.
 */
export interface ToolPolicy {
  /**
   * The tool changes or deletes something that cannot be taken back. It gets a
   * `confirm` argument and refuses with `confirmation_required` (and `summary`)
   * until the user agreed (B-POL-01). `summary` says what the call would do, in
   * plain words, from the validated input. Default false.
   */
  readonly destructive?: boolean | { readonly summary: (input: Readonly<Record<string, unknown>>) => string };
  /**
   * A repeated call with the same `idempotency_key` argument (or
   * `Idempotency-Key` header) returns the first result instead of running
   * again (B-POL-03). Default false.
   */
  readonly idempotent?: boolean;
  /** Cost units one call uses against the organization's per-period cap (B-POL-02). Default 1. */
  readonly cost?: number;
  /**
   * The third party the tool writes to ("Meta Conversions API"). Such tools need
   * the write-back scope, an admin role and the organization's write-back
   * setting on (B-POL-05). Default: none.
   */
  readonly writesTo?: string;
  /** The integration the tool needs connected (one of `policy.connectors`) (B-POL-06). Default: none. */
  readonly connector?: string;
  /**
   * The client-side add-on that serves this tool (one of `policy.addons`): the
   * call is routed to the caller's connected add-on over WebSocket (B-POL-07).
   * Default: none.
   */
  readonly addon?: string;
  /**
   * Output fields that hold personal data, as paths into the result:
   * `email`, `contact.phone`, `subscribers[].email`. Masked unless the caller
   * may and asks to see them (B-POL-08). Default: none.
   */
  readonly pii?: readonly string[];
  /**
   * Results carry `meta.data_as_of` (B-POL-09). `live`: the data is read at
   * call time, so it is the call's time unless the handler reports an older
   * one with `ctx.dataAsOf()`. `reported`: the handler reports it (the last
   * sync). Either adds `meta` to a declared output schema. Default: none (a
   * tool without an output schema still gets what its handler reports).
   */
  readonly freshness?: 'live' | 'reported';
}

