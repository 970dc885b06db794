/** Code-point order: locale-independent, so outputs are byte-identical on every machine. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort(byString);
