// Moved to shared/seats/items.ts (the seats' one home); kept as a re-export while work in progress still
// imports it from here. New code imports shared/seats.
export * from '../seats/items';
