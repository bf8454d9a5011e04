import { z } from 'zod';

/**
 * Where Gatehouse keeps its data. One process on an embedded SQLite file by
 * default; PostgreSQL when several stateless instances share one store.
 */
export const storeConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sqlite'),
    /** Path of the SQLite file, created with its folder if missing; `:memory:` for tests. */
    file: z.string().min(1),
  }),
  z.object({
    kind: z.literal('postgres'),
    /** A `postgres://` connection URL (`DATABASE_URL`). */
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    /** Connections in the pool per process. Default 10. */
    poolSize: z.number().int().min(1).max(200).default(10),
  }),
]);

export type StoreConfig = z.input<typeof storeConfigSchema>;
