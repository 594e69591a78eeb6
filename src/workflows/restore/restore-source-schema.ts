import { z } from 'zod';

/**
 * Where a restore takes its data from, journaled with the plan. The configuration carried over
 * is always the restored database's own (captured before the first change); only the data
 * comes from here.
 * - `snapshot`: a DB (cluster) snapshot; `of` names the other database it was taken of (`--from`).
 * - `point-in-time`: a database's automated backups at `restoreTime`, or at its latest restorable
 *   time (`latest`). `sourceResourceId` is its identity: the restore step finds it under its
 *   current name (rename-first renames the restored database itself away before the restore).
 */
export const restoreSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), snapshotIdentifier: z.string(), of: z.string().optional() }),
  z.object({
    kind: z.literal('point-in-time'),
    sourceIdentifier: z.string(),
    sourceResourceId: z.string(),
    /** With the resource id, the source's identity (some emulators copy resource ids into restored copies). */
    sourceCreatedAt: z.string().optional(),
    restoreTime: z.string().datetime({ offset: true }).optional(),
    latest: z.boolean().default(false),
  }),
]);

/** The data source of a restore. */
export type RestoreSource = z.infer<typeof restoreSourceSchema>;
