/** What identifies a database across renames: its resource id and its creation time. */
export interface ResourceIdentity {
  resourceId: string;
  /** ISO time; kept because some emulators give every instance the same resource id. */
  createdAt?: string | undefined;
}

/** The identity of a described instance or cluster, as journaled. */
export function identityOf(info: { resourceId: string; createdAt?: Date | undefined }): ResourceIdentity {
  return { resourceId: info.resourceId, createdAt: info.createdAt?.toISOString() };
}

/**
 * Whether a described resource is the one identified. Real RDS's DbiResourceId and
 * DbClusterResourceId survive renames and are unique; the creation time (also unchanged by a
 * rename) tells apart copies where an emulator reuses resource ids.
 */
export function isSameResource(
  info: { resourceId: string; createdAt?: Date | undefined } | undefined,
  identity: ResourceIdentity,
): boolean {
  if (!info || info.resourceId !== identity.resourceId) return false;
  return identity.createdAt === undefined || info.createdAt === undefined || info.createdAt.toISOString() === identity.createdAt;
}
