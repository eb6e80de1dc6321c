// Fastify compiles every route's schemas each time an app starts. What a compiler makes depends on
// the schema alone, so the process keeps it for every later app (the tests build hundreds): by the
// schema's text, since some routes write theirs inline and Ajv keeps only by object.
export function compiledPerSchema<T>(compile: (schema: object) => T): (schema: object) => T {
  const kept = new Map<string, T>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let made = kept.get(key);
    if (made === undefined) kept.set(key, (made = compile(schema)));
    return made;
  };
}
