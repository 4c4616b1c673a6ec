// No zod here: the regeneration path (membership, feed pages) slugifies without the schema.
/** Lower-case slug used in URLs and keys: `International` -> `international`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

