import type { MemberSupport } from '../resource-kind.js';
import { memberSettings } from './cluster-settings.js';

/**
 * Aurora members: RestoreDBClusterFromSnapshot creates no instances (API reference), so each
 * is created again with CreateDBInstance in the restored cluster, the writer first.
 */
export const auroraMembers: MemberSupport = {
  create: (rds, name, clusterName, member) =>
    rds.createClusterMember({
      identifier: name,
      clusterIdentifier: clusterName,
      promotionTier: member.promotionTier,
      config: member.config,
    }),
  settings: memberSettings,
  verify(cluster, members, nameOf, resource) {
    const writer = members.find((m) => m.isWriter);
    if (!writer) return [];
    // Only the recreated members count (an emulator may still list the renamed originals).
    const names = new Set(members.map((m) => nameOf(m.identifier)));
    const newWriterName = cluster.members?.find((m) => m.isWriter && names.has(m.instanceIdentifier))?.instanceIdentifier;
    const newWriter = members.find((m) => nameOf(m.identifier) === newWriterName)?.identifier;
    return newWriter === writer.identifier ? [] : [{ resource, setting: 'writer', expected: writer.identifier, actual: newWriter ?? null }];
  },
};
