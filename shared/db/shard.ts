/**
 * Which of `shards` index partitions an id writes to: FNV-1a of the id, stable across processes and releases
 * (an item's shard never moves), so a sparse index spreads its writes instead of sending them all to one
 * partition, and a reader Queries each shard.
 */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
