// A readonly type made writable, for a hot path that fills an object in member by member
// instead of spreading optional parts (each spread is an object more per call).
export type Mutable<T> = { -readonly [K in keyof T]: T[K] }
