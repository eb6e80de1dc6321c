// How deeply a parsed JSON value nests objects and lists, found without recursion: the values a
// client sends can nest far deeper than any recursive walk (JSON.stringify included) survives.

/**
 * The top-level field (or `__root__`) under which `value` nests deeper than `maxDepth` levels, or
 * null. Iterative, and stops at the first value too deep, so any body is checked in bounded stack.
 */
export function tooDeepField(value: unknown, maxDepth: number): string | number | null {
  if (value === null || typeof value !== 'object') return null;
  const stack: { value: object; depth: number; field: string | number }[] = [];
  const push = (child: unknown, depth: number, field: string | number) => {
    if (child !== null && typeof child === 'object') stack.push({ value: child, depth, field });
  };
  if (Array.isArray(value)) push(value, 1, '__root__');
  else for (const [key, child] of Object.entries(value)) push(child, 2, key);
  while (stack.length) {
    const { value: node, depth, field } = stack.pop()!;
    if (depth > maxDepth) return field;
    for (const child of Array.isArray(node) ? node : Object.values(node)) push(child, depth + 1, field);
  }
  return null;
}
