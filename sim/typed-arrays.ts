/** A typed array the simulator's tables grow (Float64Array, Int32Array or Uint8Array). */
type Grown = Float64Array | Int32Array | Uint8Array;

/**
 * A copy of `a` with room for `capacity` elements (the new ones 0), of the same type: how the
 * engine's tables (event calendar, contacts) grow. Growth doubles, so it is rare and off the hot path.
 */
export function grown<T extends Grown>(a: T, capacity: number): T {
	const b = new (a.constructor as new (n: number) => T)(capacity);
	b.set(a);
	return b;
}
