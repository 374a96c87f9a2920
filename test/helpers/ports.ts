/**
 * Host port ranges for test agents. Tasks really listen on the ports their agent offers, and test files run at once
 * (vitest workers, other checkouts on this machine): a fixed `ports:[31000-…]` in every test makes two files' apps
 * listen on, and probe, the same ports. Each call picks a block at random in 10000–32000 (below Linux' ephemeral
 * range, 32768+), so two live clusters rarely share the first ports they hand out.
 */
export function portRange(size: number): string {
  const base = 10_000 + Math.floor(Math.random() * (22_000 - size));
  return `[${base}-${base + size - 1}]`;
}
