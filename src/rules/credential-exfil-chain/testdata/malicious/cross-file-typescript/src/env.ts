// The source half, typed.
type Snapshot = Record<string, string | undefined>;

export const snapshot = (): string => JSON.stringify(process.env as Snapshot);
