// Generated measures and rates are drawn as floats; this fixes them to the column's places once,
// and the string is then the value. Arithmetic on money goes through server/lib/money.
export function fixed(value: number, places: number): string {
  return value.toFixed(places);
}
