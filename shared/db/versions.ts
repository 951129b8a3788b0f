// Optimistic concurrency on a `version` attribute that items written before it existed lack: their schema
// reads them at a default version, so a write decided on such a read must accept the missing attribute, and
// its bump must start from that default (ADD would start from 0), or a second write decided on the same read
// would also find the attribute missing, or at the default, and land too.

/** The condition that the item is still at `expected` (`values` go into the write's ExpressionAttributeValues). */
export function versionIs(
  expected: number,
  defaultVersion: number,
  attribute = 'version',
): { condition: string; values: Record<string, number> } {
  const values = { ':expectedVersion': expected };
  if (expected !== defaultVersion) return { condition: `${attribute} = :expectedVersion`, values };
  // attribute_not_exists alone also holds for an item that is gone: an update would create it again.
  return {
    condition: `attribute_exists(PK) AND (attribute_not_exists(${attribute}) OR ${attribute} = :expectedVersion)`,
    values,
  };
}

/** The SET clause moving the version one past what it was, or past `defaultVersion` where the item has none. */
export function versionBump(
  defaultVersion: number,
  attribute = 'version',
): { set: string; values: Record<string, number> } {
  return {
    set: `${attribute} = if_not_exists(${attribute}, :defaultVersion) + :versionStep`,
    values: { ':defaultVersion': defaultVersion, ':versionStep': 1 },
  };
}
