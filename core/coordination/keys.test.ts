import { describe, expect, it } from 'vitest';
import { registryKeys } from './keys.ts';

describe('registryKeys', () => {
  it('puts every key under one hash tag so the registry lives on one cluster slot', () => {
    const k = registryKeys('orrery');
    const all = [k.leader, k.epoch, k.agents, k.frameworks, k.tasks, k.completedTasks, k.events, k.collection('jobs'), k.collectionKey('apps')];
    for (const key of all) {
      // Redis Cluster hashes only what is between the first '{' and the next '}'.
      expect(key.slice(key.indexOf('{') + 1, key.indexOf('}'))).toBe('orrery');
      expect(key.indexOf('{')).toBe(0);
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('maps core collections to their dedicated hashes and others under reg:', () => {
    const k = registryKeys('p');
    expect(k.collectionKey('tasks')).toBe(k.tasks);
    expect(k.collectionKey('completed-tasks')).toBe(k.completedTasks);
    expect(k.collectionKey('jobs')).toBe(k.collection('jobs'));
    expect(k.collection('jobs')).not.toBe(k.tasks);
  });

  it('rejects invalid prefixes and collection names', () => {
    for (const bad of ['', 'a b', 'x{y}', 'é', 'a'.repeat(65)]) expect(() => registryKeys(bad)).toThrow(/prefix/);
    for (const ok of ['a', 'orrery.prod:eu-1_A', 'a'.repeat(64)]) expect(() => registryKeys(ok)).not.toThrow();
    const k = registryKeys('p');
    for (const bad of ['', 'Jobs', 'a:b', 'a b', 'a/b']) expect(() => k.collection(bad)).toThrow(/collection/);
  });
});
